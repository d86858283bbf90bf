package jamf

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Sentinel errors matched by [*Error] through [errors.Is].
var (
	// ErrNotFound matches a 404 answer, or a lookup that found nothing.
	ErrNotFound = errors.New("jamf: not found")
	// ErrConflict matches a 409 answer. Jamf answers 409 both for a
	// duplicate name and for "Unable to update the database".
	ErrConflict = errors.New("jamf: conflict")
	// ErrUnauthorized matches a 401 answer and OAuth errors about the
	// client's credentials (RFC 6749 section 5.2 invalid_client,
	// invalid_grant, unauthorized_client).
	ErrUnauthorized = errors.New("jamf: unauthorized")
	// ErrForbidden matches a 403 answer: the account lacks a privilege, or
	// the Jamf Platform gateway refused the path.
	ErrForbidden = errors.New("jamf: forbidden")
)

// maxErrorBody caps [Error.Body] in bytes.
const maxErrorBody = 2048

// Error is a non-2xx answer from Jamf Pro, or a failure to get a token.
//
// Message is the server's own explanation parsed out of whichever form came
// back: a Classic API HTML page (<p>Error: ...</p>), a Jamf Pro API ApiError
// ({"httpStatus":..,"errors":[{"code","description","field"}]}) or an OAuth
// error (RFC 6749 section 5.2, {"error","error_description"}). Body holds the
// raw answer capped at 2 KiB. Neither ever holds a credential or token: the
// client redacts the secrets it knows before building an Error.
type Error struct {
	Method     string // HTTP method, "GET"
	Path       string // request path relative to the tenant, "JSSResource/osxconfigurationprofiles/id/7"
	StatusCode int    // HTTP status, 404
	Message    string // the server's message, "" when none could be parsed
	Code       string // machine code when the server gave one: ApiError code or OAuth error
	Body       string // raw body, capped at 2 KiB, secrets redacted
}

// Error returns "jamf: GET JSSResource/...: 404 Not Found: message".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jamf: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if t := statusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Is reports whether target is the sentinel for e's status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == 404
	case ErrConflict:
		return e.StatusCode == 409
	case ErrForbidden:
		return e.StatusCode == 403
	case ErrUnauthorized:
		switch e.Code {
		case "invalid_client", "invalid_grant", "unauthorized_client":
			return true
		}
		return e.StatusCode == 401
	}
	return false
}

func statusText(code int) string {
	switch code {
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 409:
		return "Conflict"
	case 429:
		return "Too Many Requests"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	}
	return ""
}

// classicErrorRE matches the message line of a Classic API error page:
// <p>Error: Unable to update the database</p>.
var classicErrorRE = regexp.MustCompile(`(?is)<p>\s*Error:?\s*(.*?)\s*</p>`)

// htmlTitleRE is the fallback for HTML pages without an Error paragraph
// (gateways, load balancers).
var htmlTitleRE = regexp.MustCompile(`(?is)<title>\s*(.*?)\s*</title>`)

// parseErrorBody returns the message and machine code from a Jamf error body
// in any of its three forms; both are "" when nothing is recognized.
func parseErrorBody(body []byte) (message, code string) {
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "{") {
		var v struct {
			// Jamf Pro API ApiError.
			HTTPStatus int `json:"httpStatus"`
			Errors     []struct {
				Code        string `json:"code"`
				Description string `json:"description"`
				Field       string `json:"field"`
			} `json:"errors"`
			// OAuth, RFC 6749 section 5.2.
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		if json.Unmarshal(body, &v) == nil {
			if len(v.Errors) > 0 {
				parts := make([]string, 0, len(v.Errors))
				for _, e := range v.Errors {
					s := e.Description
					if s == "" {
						s = e.Code
					}
					if e.Field != "" {
						s = e.Field + ": " + s
					}
					parts = append(parts, s)
				}
				return strings.Join(parts, "; "), v.Errors[0].Code
			}
			if v.Error != "" {
				if v.ErrorDescription != "" {
					return v.ErrorDescription, v.Error
				}
				return v.Error, v.Error
			}
		}
		return "", ""
	}
	if m := classicErrorRE.FindSubmatch(body); m != nil {
		return cleanHTML(string(m[1])), ""
	}
	if m := htmlTitleRE.FindSubmatch(body); m != nil {
		return cleanHTML(string(m[1])), ""
	}
	return "", ""
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func cleanHTML(s string) string {
	s = tagRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	return strings.Join(strings.Fields(s), " ")
}

// newError builds an *Error from a response, redacting every secret in
// secrets from the message and the capped body.
func newError(method, path string, status int, body []byte, secrets []string) *Error {
	msg, code := parseErrorBody(body)
	raw := string(body)
	if len(raw) > maxErrorBody {
		raw = raw[:maxErrorBody] + "...(truncated)"
	}
	return &Error{
		Method:     method,
		Path:       path,
		StatusCode: status,
		Message:    redact(msg, secrets),
		Code:       redact(code, secrets),
		Body:       redact(raw, secrets),
	}
}

// redacted replaces a secret wherever one would have appeared.
const redacted = "[REDACTED]"

// redact replaces each non-empty secret in s. Longer secrets go first so a
// secret that contains another is replaced whole.
func redact(s string, secrets []string) string {
	if s == "" || len(secrets) == 0 {
		return s
	}
	ss := append([]string(nil), secrets...)
	sort.Slice(ss, func(i, j int) bool { return len(ss[i]) > len(ss[j]) })
	for _, sec := range ss {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// AmbiguousNameError reports that several objects share a name that had to
// identify one. Jamf allows duplicate profile and computer names;
// /name/{x} silently returns one of them, so this client refuses to guess.
type AmbiguousNameError struct {
	Kind string // "macOS configuration profile", "computer", ...
	Name string
	IDs  []string // every matching id, ascending
	// IgnoringCase is true when the names differ from Name only in case
	// (Jamf compares names ignoring case, so they count as the same).
	IgnoringCase bool
}

// Error returns `jamf: 2 macOS configuration profiles are named "x" (ids 3, 9); rename or delete all but one, or use an id`.
func (e *AmbiguousNameError) Error() string {
	how := ""
	if e.IgnoringCase {
		how = " ignoring case"
	}
	return fmt.Sprintf("jamf: %d %ss are named %q%s (ids %s); rename or delete all but one, or use an id",
		len(e.IDs), e.Kind, e.Name, how, strings.Join(e.IDs, ", "))
}

func sortIDs(ids []string) {
	sort.Slice(ids, func(i, j int) bool {
		a, errA := strconv.Atoi(ids[i])
		b, errB := strconv.Atoi(ids[j])
		if errA == nil && errB == nil {
			return a < b
		}
		return ids[i] < ids[j]
	})
}
