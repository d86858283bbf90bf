package scepcheck

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/jamf-scep/jamf-scep/pkg/check"
)

// Size limits of SCEP answers read into memory. A CA certificate bundle
// or a CertRep is a few kilobytes, a capability list a few hundred bytes.
const (
	maxBody = 1 << 20  // GetCACert and PKIOperation answers
	maxCaps = 64 << 10 // GetCACaps answers
	// maxKeywords bounds the distinct keywords kept from GetCACaps; the
	// IANA registry has about a dozen.
	maxKeywords = 64
)

// Capability keywords from the IANA "SCEP CA Capabilities" registry
// (RFC 8894 section 3.5.2).
const (
	CapAES              = "AES" // AES-128-CBC
	CapDES3             = "DES3"
	CapGetNextCACert    = "GetNextCACert"
	CapPOSTPKIOperation = "POSTPKIOperation"
	CapRenewal          = "Renewal"
	CapSHA1             = "SHA-1"
	CapSHA256           = "SHA-256"
	CapSHA512           = "SHA-512"
	CapSCEPStandard     = "SCEPStandard" // implies AES, POSTPKIOperation and SHA-256
)

// Caps is the list of capability keywords a SCEP server answered to
// GetCACaps, in the order sent.
type Caps []string

// ParseCaps parses a GetCACaps body: keywords separated by any line ending
// (LF, CRLF or a lone CR; RFC 8894 section 3.5.2 asks for LF, servers
// differ) or other white space, control characters and invalid UTF-8
// dropped, repeats (ignoring case) dropped, at most 64 distinct keywords
// kept in the order sent.
func ParseCaps(body []byte) Caps {
	var caps Caps
	seen := map[string]bool{}
	fields := strings.FieldsFunc(strings.ToValidUTF8(string(body), " "), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsPrint(r)
	})
	for _, k := range fields {
		if len(caps) == maxKeywords {
			break
		}
		if key := strings.ToLower(k); !seen[key] {
			seen[key] = true
			caps = append(caps, k)
		}
	}
	return caps
}

// has reports whether the keyword was sent, ignoring case: servers differ in
// case and nothing is gained by being strict.
func (c Caps) has(keyword string) bool {
	return slices.ContainsFunc(c, func(k string) bool { return strings.EqualFold(k, keyword) })
}

// Has reports whether the server supports keyword, directly or through
// SCEPStandard, which RFC 8894 section 3.5.2 defines as AES,
// POSTPKIOperation and SHA-256 together.
func (c Caps) Has(keyword string) bool {
	if c.has(keyword) {
		return true
	}
	switch {
	case strings.EqualFold(keyword, CapAES),
		strings.EqualFold(keyword, CapPOSTPKIOperation),
		strings.EqualFold(keyword, CapSHA256):
		return c.has(CapSCEPStandard)
	}
	return false
}

// StatusError is an unexpected HTTP status from a SCEP server.
type StatusError struct {
	Operation string // "GetCACaps", "GetCACert" or "PKIOperation"
	Status    int    // HTTP status code
	// Text is the server's own explanation from the body, one line,
	// at most 200 characters (see ServerText); may be empty.
	Text string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("SCEP %s: HTTP %d %s", e.Operation, e.Status, http.StatusText(e.Status))
	if e.Text != "" {
		s += ": the server says " + strconvQuote(e.Text)
	}
	return s
}

// operationURL returns scepURL with ?operation=op (and message when set),
// keeping any query the URL already has.
func operationURL(scepURL, op, message string) (string, error) {
	u, err := url.Parse(scepURL)
	if err != nil {
		return "", fmt.Errorf("SCEP URL: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return "", fmt.Errorf("SCEP URL %q: want an absolute https URL", u.Redacted())
	}
	q := u.Query()
	q.Set("operation", op)
	if message != "" {
		q.Set("message", message)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// get runs one GET of a SCEP operation and returns the body and its media
// type. A non-200 answer is a *StatusError.
func get(ctx context.Context, client *http.Client, scepURL, op string, limit int64) ([]byte, string, error) {
	u, err := operationURL(scepURL, op, "")
	if err != nil {
		return nil, "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", err
	}
	return do(client, req, op, limit)
}

// do sends one SCEP request; secrets are redacted from any text the server
// sends back with an error status.
func do(client *http.Client, req *http.Request, op string, limit int64, secrets ...string) ([]byte, string, error) {
	a, err := Send(client, req, "SCEP "+op, limit)
	if err != nil {
		return nil, "", err
	}
	if a.Status != http.StatusOK {
		return nil, "", &StatusError{Operation: op, Status: a.Status, Text: ServerText(a.Body, secrets...)}
	}
	media, _, _ := mime.ParseMediaType(a.Header.Get("Content-Type"))
	return a.Body, media, nil
}

// GetCACaps asks the SCEP server at scepURL for its capabilities
// (GET ?operation=GetCACaps, RFC 8894 section 3.5.1).
func GetCACaps(ctx context.Context, client *http.Client, scepURL string) (Caps, error) {
	body, _, err := get(ctx, client, scepURL, "GetCACaps", maxCaps)
	if err != nil {
		return nil, err
	}
	return ParseCaps(body), nil
}

// CheckCACaps runs GetCACaps and judges the answer: fail when the server
// cannot be asked, warn without SHA-256 or SHA-512, or without AES (Macs
// then fall back to SHA-1 and triple DES), pass otherwise. The keywords are
// listed in the details.
func CheckCACaps(ctx context.Context, client *http.Client, scepURL string) (Caps, check.Result) {
	r := check.Result{Check: "SCEP GetCACaps"}
	caps, err := GetCACaps(ctx, client, scepURL)
	if err != nil {
		r.Status, r.Err = check.Fail, err
		r.Message = err.Error()
		r.Fix = fixForHTTP(err, "the SCEP URL (profile.scep.url)")
		return nil, r
	}
	r.Add("capabilities", "%s", strings.Join(caps, ", "))
	var missing []string
	if !caps.Has(CapSHA256) && !caps.Has(CapSHA512) {
		missing = append(missing, "SHA-256 or SHA-512")
	}
	if !caps.Has(CapAES) {
		missing = append(missing, "AES")
	}
	if len(missing) > 0 {
		r.Status = check.Warn
		r.Message = fmt.Sprintf("server does not advertise %s", strings.Join(missing, " or "))
		r.Fix = "check that the SCEP URL points at the intended CA; without these Macs use SHA-1 or triple DES"
		r.Err = errors.New(r.Message)
		return caps, r
	}
	r.Status = check.Pass
	r.Message = fmt.Sprintf("%d capabilities: %s", len(caps), strings.Join(caps, ", "))
	return caps, r
}

// fixForHTTP turns a request error into the fix line for field (the config
// field holding the URL).
func fixForHTTP(err error, field string) string {
	var (
		se *StatusError
		re *RedirectError
		ue *url.Error
	)
	if errors.As(err, &re) {
		return "set " + field + " to the final address only if you trust " + re.To + "; jamf-scep never follows a redirect with a challenge or password"
	}
	if errors.As(err, &ue) {
		return "check " + field + ", DNS, the network path and any proxy (HTTPS_PROXY)"
	}
	if errors.As(err, &se) {
		switch se.Status {
		case http.StatusNotFound:
			return "check " + field + ": copy it again from the Okta Admin Console (Security > Device integrations > Device Access)"
		case http.StatusUnauthorized, http.StatusForbidden:
			return "the server refused the request; check " + field + " and any proxy in between"
		}
		return "the server answered HTTP " + fmt.Sprint(se.Status) + "; retry later or check " + field
	}
	return "check " + field + "; it must be the absolute https URL Okta shows"
}

// strconvQuote quotes server text for a message without escaping
// non-ASCII letters.
func strconvQuote(s string) string { return "\u201c" + s + "\u201d" }
