package jamf

import (
	"errors"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/internal/redact"
	"github.com/jamf-scep/jamf-scep/internal/safedecode"
)

// Sentinel errors matched by [*Error] through [errors.Is].
var (
	// ErrNotFound matches a 404 answer, or a lookup that found nothing. A
	// 404 from the token endpoint does not match: there the tenant's url
	// is wrong ([Advice]).
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
	// Auth is the kind of credentials the request was made with: "oauth"
	// (an API client) or "user" (a Jamf user account); "" when unknown.
	Auth string
}

// newRedirectError builds the *Error for a redirect answer (3xx), which
// the client never follows: it names the target, with any credentials
// in it masked, and the fix.
func newRedirectError(method, path string, status int, location string, secrets []string) *Error {
	target := "no Location"
	if location != "" {
		masked, _ := redact.MaskURLSecrets(redactSecrets(location, secrets))
		target = strconv.Quote(capText(masked, 512))
	}
	return &Error{
		Method: method, Path: path, StatusCode: status,
		Message: fmt.Sprintf("Jamf Pro answered a redirect to %s; jamf-scep never follows redirects (it would send credentials elsewhere): fix the tenant URL (https, and the Jamf Pro address itself, such as https://acme.jamfcloud.com, with no path after it)", target),
	}
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
		// A 404 from the token endpoint means the tenant's url does not
		// lead to Jamf Pro, not that an object is missing ([Advice]).
		return e.StatusCode == 404 && !e.tokenRequest()
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

// tokenRequest reports whether e answers a request for a bearer token.
func (e *Error) tokenRequest() bool {
	return e.Path == oauthTokenPath || e.Path == userTokenPath
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
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 303:
		return "See Other"
	case 307:
		return "Temporary Redirect"
	case 308:
		return "Permanent Redirect"
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
// in any of its three forms; both are "" when nothing is recognized. clean
// is applied to the text after each step that changes it (JSON decoding,
// tag stripping, entity decoding, whitespace folding): newError passes the
// redaction, so a secret that only appears after a step is still removed.
func parseErrorBody(body []byte, clean func(string) string) (message, code string) {
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
		if safedecode.JSON(body, &v) == nil {
			if len(v.Errors) > 0 {
				parts := make([]string, 0, min(len(v.Errors), maxErrorParts))
				for _, e := range v.Errors[:min(len(v.Errors), maxErrorParts)] {
					s := clean(e.Description)
					if s == "" {
						s = clean(e.Code)
					}
					if e.Field != "" {
						s = clean(e.Field) + ": " + s
					}
					parts = append(parts, s)
				}
				return clean(strings.Join(parts, "; ")), clean(v.Errors[0].Code)
			}
			if v.Error != "" {
				if v.ErrorDescription != "" {
					return clean(v.ErrorDescription), clean(v.Error)
				}
				return clean(v.Error), clean(v.Error)
			}
		}
		return "", ""
	}
	if m := classicErrorRE.FindSubmatch(body); m != nil {
		return cleanHTML(string(m[1]), clean), ""
	}
	if m := htmlTitleRE.FindSubmatch(body); m != nil {
		return cleanHTML(string(m[1]), clean), ""
	}
	return "", ""
}

// maxErrorParts caps the ApiError entries joined into a message.
const maxErrorParts = 20

var tagRE = regexp.MustCompile(`<[^>]*>`)

// cleanHTML turns an HTML fragment into one line of text: tags stripped,
// entities decoded, whitespace folded, with clean applied before and after
// each step.
func cleanHTML(s string, clean func(string) string) string {
	s = clean(s)
	s = clean(tagRE.ReplaceAllString(s, ""))
	s = clean(html.UnescapeString(s))
	return clean(foldSpace(s))
}

// foldSpace replaces each run of white space by one space and trims the
// ends.
func foldSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// newError builds an *Error from a response, redacting every secret in
// secrets from the message, the code and the capped body: before and after
// every transformation of the text (see parseErrorBody). Server text that
// still holds a secret once fully normalized (withholdQuoted) is withheld.
func newError(method, path string, status int, body []byte, secrets []string) *Error {
	clean := func(s string) string { return redactSecrets(s, secrets) }
	msg, code := parseErrorBody(body, clean)
	e := &Error{
		Method:     method,
		Path:       path,
		StatusCode: status,
		Message:    capText(msg, maxErrorBody),
		Code:       capText(code, maxErrorCode),
		Body:       capText(redactBody(string(body), clean), maxErrorBody),
	}
	withholdQuoted(e, string(body), secrets)
	// Credentials inside a URL the server quotes (a stored payload value)
	// are masked by the one rule, though the client never knew them.
	e.Message, _ = redact.MaskURLSecrets(e.Message)
	e.Body, _ = redact.MaskURLSecrets(e.Body)
	return e
}

// maxErrorCode caps [Error.Code] in bytes.
const maxErrorCode = 128

// capText cuts s to at most limit bytes (on a rune boundary) and marks the
// cut. Redaction has already run on the whole text, so a cut never leaves
// part of a secret.
func capText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "...(truncated)"
}

// redactBody redacts a raw body. A secret hidden from the raw pass by
// markup (split by a tag, spelled with numeric entities, its spaces
// re-flowed) shows in the decoded text instead; when the decoded text
// still holds a secret, the body is kept in that decoded form, redacted.
func redactBody(raw string, clean func(string) string) string {
	out := clean(raw)
	decoded := html.UnescapeString(out)
	for _, view := range []string{decoded, tagRE.ReplaceAllString(decoded, ""), foldSpace(tagRE.ReplaceAllString(decoded, ""))} {
		if c := clean(view); c != view {
			return c
		}
	}
	return out
}

// redacted replaces a secret wherever one would have appeared: the one
// redaction text of jamf-scep.
const redacted = redact.Text

// redactSecrets replaces each non-empty secret in s by redacted, longest
// first (redact.Secrets).
func redactSecrets(s string, secrets []string) string { return redact.Secrets(s, secrets...) }

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
