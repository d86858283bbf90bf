// Package okta checks the Okta Device Access side of dynamic SCEP: it
// fetches a one-time challenge from the Challenge URL, which speaks the
// Microsoft NDES mscep_admin page format. (The Okta URLs themselves are
// parsed and compared by pkg/profile: ParseOktaSCEPURL, OktaURLDifferences.)
//
// Each fetch makes the CA issue a challenge that stays valid, unused, until
// it expires, so doctor fetches only when asked. Requests never follow a
// redirect (the Basic auth password must not reach another origin). The
// challenge is returned as a [scepcheck.Challenge], which never prints its
// value; the Basic auth password lives in [Credentials], which never prints
// it either.
package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/jamf-scep/jamf-scep/internal/redact"
	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// Credentials are the Username and Password Okta shows once next to the
// Challenge URL (username like "okta-XXXXXX"). Like the Jamf client, this
// package sits below pkg/secret in the import direction and takes the
// password as text (the caller reveals its secret.Value here, where the
// password leaves the process); every way of printing Credentials shows the
// one redaction text, redact.Text, in its place.
type Credentials struct {
	Username string
	Password string
}

// String returns "okta-XXXXXX:(sensitive)"; the password is never shown.
func (c Credentials) String() string { return c.Username + ":" + redact.Text }

// GoString returns the redacted form, so %#v does not reveal the password.
func (c Credentials) GoString() string { return c.String() }

// Format prints the redacted form for every verb.
func (c Credentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue logs the username only (log/slog).
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("username", c.Username), slog.String("password", redact.Text))
}

// MarshalJSON encodes the username and a redacted password.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"username": c.Username, "password": redact.Text})
}

// maxPage caps the challenge page read into memory (256 KiB; NDES pages
// are a few kilobytes). A longer answer is an error, never truncated.
const maxPage = 256 << 10

// StatusError is an HTTP error status from the Challenge URL. It unwraps to
// ErrUnauthorized for 401 and 403 and to ErrNotFound for 404.
type StatusError struct {
	Status int // HTTP status code
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("Challenge URL: HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// Unwrap maps the status to ErrUnauthorized, ErrNotFound or nothing.
func (e *StatusError) Unwrap() error {
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return ErrUnauthorized
	case http.StatusNotFound:
		return ErrNotFound
	}
	return nil
}

// Page is a fetched challenge page, for reports.
type Page struct {
	Encoding string // e.g. "UTF-16LE with BOM"
	Bytes    int    // size of the raw page
}

// FetchChallenge GETs challengeURL with Basic auth and returns the one-time
// challenge from the NDES page (see ParsePage). Each call makes the CA issue
// a new challenge, which stays valid until it expires unless an enrollment
// uses it; CAs that cap unused challenges (Microsoft NDES) count it until
// then. A redirect is refused, never followed (the error wraps a
// *scepcheck.RedirectError naming the target), and a page over 256 KiB is
// an error. Errors: a *StatusError (errors.Is ErrUnauthorized or
// ErrNotFound), ErrCacheFull, ErrPermission, ErrNoChallenge,
// ErrAmbiguousChallenge, or a network
// error. No error holds the password or the challenge.
func FetchChallenge(ctx context.Context, client *http.Client, challengeURL string, creds Credentials) (scepcheck.Challenge, Page, error) {
	u, err := url.Parse(challengeURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return scepcheck.Challenge{}, Page{}, fmt.Errorf("the Challenge URL %q is not an absolute https URL", redactURL(challengeURL))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return scepcheck.Challenge{}, Page{}, err
	}
	req.SetBasicAuth(creds.Username, creds.Password)
	req.Header.Set("Accept", "text/html")
	// Send refuses redirects: the Basic auth header must never reach
	// another origin or travel over plain http.
	a, err := scepcheck.Send(client, req, "the Challenge URL", maxPage)
	if err != nil {
		return scepcheck.Challenge{}, Page{}, err
	}
	if a.Status != http.StatusOK {
		return scepcheck.Challenge{}, Page{}, &StatusError{Status: a.Status}
	}
	body := a.Body
	page := Page{Encoding: encodingName(body), Bytes: len(body)}
	c, err := ParsePage(DecodePage(body))
	return c, page, err
}

// redactURL drops any user info from a URL before it goes into a message.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}

// Fix lines, kept in one place so doctor and docs say the same thing.
const (
	fixReset = "to reset the password (Okta shows it only once), in the Okta Admin Console open " +
		"Security > Device integrations > Device Access, open the SCEP configuration and generate a new " +
		"secret/password, then update the tenant config and the Jamf profile"
	fixURL = "copy the Challenge URL again from the SCEP configuration in the Okta Admin Console " +
		"(Security > Device integrations > Device Access)"
)

// CheckChallenge runs FetchChallenge and judges it: pass with the
// challenge's length (never its value) when a challenge came back, fail
// with a fix otherwise. The message says what becomes of the challenge:
// it stays valid, unused, until it expires, unless the caller enrolls with
// it (forEnrollment). Run it only when asked.
func CheckChallenge(ctx context.Context, client *http.Client, challengeURL string, creds Credentials, forEnrollment bool) (scepcheck.Challenge, check.Result) {
	r := check.Result{Check: "Okta Challenge URL"}
	c, page, err := FetchChallenge(ctx, client, challengeURL, creds)
	if page.Bytes > 0 {
		r.Details = append(r.Details, check.Detail{Name: "page encoding", Value: page.Encoding})
	}
	if err == nil {
		r.Status = check.Pass
		r.Message = fmt.Sprintf("got a one-time challenge of %d characters; it stays valid, unused, until it expires", c.Len())
		if forEnrollment {
			r.Message = fmt.Sprintf("got a one-time challenge of %d characters for the test enrollment", c.Len())
		}
		r.Details = append(r.Details, check.Detail{Name: "challenge", Value: fmt.Sprintf("%d characters", c.Len())})
		return c, r
	}
	r.Status, r.Err, r.Message = check.Fail, err, err.Error()
	var redirect *scepcheck.RedirectError
	switch {
	case errors.As(err, &redirect):
		r.Message = "the Challenge URL redirects to " + redirect.To + "; the password was not sent there"
		r.Fix = "jamf-scep never follows a redirect with the Okta password; " + fixURL
	case errors.Is(err, ErrUnauthorized):
		r.Message = fmt.Sprintf("wrong Username or Password for the Challenge URL (%s)", err)
		r.Fix = "check the Username (" + creds.Username + ") and Password; " + fixReset
	case errors.Is(err, ErrNotFound):
		r.Message = fmt.Sprintf("wrong Challenge URL (%s)", err)
		r.Fix = fixURL
	case errors.Is(err, ErrCacheFull):
		r.Fix = "too many challenges were fetched and not used; wait for them to expire, then retry"
	case errors.Is(err, ErrPermission):
		r.Fix = "check that the Username (" + creds.Username + ") belongs to this SCEP configuration; " + fixReset
	case errors.Is(err, ErrAmbiguousChallenge):
		r.Fix = "the Challenge URL answered a page with several challenges; " + fixURL
	case errors.Is(err, ErrNoChallenge):
		r.Fix = "the Challenge URL answered a page without a challenge; " + fixURL
	default:
		r.Fix = "check the Challenge URL (profile.scep.challenge.url), DNS, the network path and any proxy (HTTPS_PROXY)"
	}
	return scepcheck.Challenge{}, r
}
