package jamf

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
	"testing"
)

// percentAll percent-encodes every byte of s, with upper-case hex when
// upper.
func percentAll(s string, upper bool) string {
	var b strings.Builder
	for i := range len(s) {
		f := "%%%02x"
		if upper {
			f = "%%%02X"
		}
		fmt.Fprintf(&b, f, s[i])
	}
	return b.String()
}

func numericEntities(s string, hexForm bool) string {
	var b strings.Builder
	for _, r := range s {
		if hexForm {
			fmt.Fprintf(&b, "&#x%x;", r)
		} else {
			fmt.Fprintf(&b, "&#%d;", r)
		}
	}
	return b.String()
}

// TestNewErrorRedactsEveryEncoding pins QA item 4: a secret quoted back in
// any encoding (percent-encoding, numeric entities, base64 in both
// alphabets, hex, JSON with \/, mixed escaping that markup stripping turns
// into a fragment) never shows in an error's message, code or body.
func TestNewErrorRedactsEveryEncoding(t *testing.T) {
	const secret = "p@ss w<x>&amp;/+="
	const password = "okta&pw<Secret>9"
	type form struct{ name, text string }
	forms := []form{
		{"path-escaped", strings.ReplaceAll(strings.ReplaceAll(secret, " ", "%20"), "@", "%40")},
		{"percent, upper", percentAll(secret, true)},
		{"percent, lower", percentAll(secret, false)},
		{"decimal entities", numericEntities(secret, false)},
		{"hex entities", numericEntities(secret, true)},
		{"base64", base64.StdEncoding.EncodeToString([]byte(secret))},
		{"base64 URL-safe", base64.URLEncoding.EncodeToString([]byte(secret))},
		{"base64 raw", base64.RawStdEncoding.EncodeToString([]byte(secret))},
		{"hex", hex.EncodeToString([]byte(secret))},
		{"HEX", strings.ToUpper(hex.EncodeToString([]byte(secret)))},
	}
	for _, f := range forms {
		for _, shape := range []string{"json", "html"} {
			t.Run(f.name+" in "+shape, func(t *testing.T) {
				body := `<html><body><p>Error: bad value ` + f.text + `</p></body></html>`
				if shape == "json" {
					body = `{"error":"invalid_request","error_description":"bad value ` + f.text + `"}`
				}
				e := newError("POST", "api/oauth/token", 400, []byte(body), secretForms(secret))
				assertNoSecret(t, e, secret, f.text)
			})
		}
	}
	t.Run("JSON with escaped slashes", func(t *testing.T) {
		body := `{"error":"invalid_client","error_description":"bad p@ss w<x>&amp;\/+="}`
		assertNoSecret(t, newError("POST", "api/oauth/token", 400, []byte(body), secretForms(secret)), secret, `p@ss w<x>&amp;\/+=`)
	})
	t.Run("mixed escaping leaves a fragment", func(t *testing.T) {
		body := `<html><body><p>Error: Duplicate okta&amp;pw<Secret>9</p></body></html>`
		e := newError("POST", "JSSResource/x", 409, []byte(body), secretForms(password))
		assertNoSecret(t, e, password, "okta&amp;pw")
		for _, frag := range []string{"okta&pw9", "okta&pw", "pw9"} {
			if strings.Contains(e.Message+e.Body, frag) {
				t.Errorf("fragment %q survives: message %q body %q", frag, e.Message, e.Body)
			}
		}
	})
	t.Run("base64 of the bearer token", func(t *testing.T) {
		const token = "eyJhbGciOiJIUzI1NiJ9.tok-SECRET-1"
		body := `{"error":"x","error_description":"got ` + base64.StdEncoding.EncodeToString([]byte(token)) + `"}`
		assertNoSecret(t, newError("GET", "api/x", 400, []byte(body), secretForms(token)), token, base64.StdEncoding.EncodeToString([]byte(token)))
	})
}

func assertNoSecret(t *testing.T, e *Error, secret, encoded string) {
	t.Helper()
	for _, field := range []string{e.Message, e.Code, e.Body, e.Error()} {
		for _, view := range []string{field, html.UnescapeString(field)} {
			if strings.Contains(view, secret) || strings.Contains(view, encoded) {
				t.Errorf("secret survives in %q", field)
			}
		}
	}
}

// TestNewErrorMasksURLCredentials: a URL with credentials quoted in a Jamf
// error (a stored payload value, a proxy's message) is masked by the one
// rule (profile.MaskURLSecrets), though the client never knew them.
func TestNewErrorMasksURLCredentials(t *testing.T) {
	for _, body := range []string{
		`<html><body><p>Error: bad URL https://okta-abc123:hunter2@acme.okta.com/api</p></body></html>`,
		`{"httpStatus":400,"errors":[{"code":"X","description":"bad https://okta-abc123:hunter2@acme.okta.com/api?token=hunter2"}]}`,
	} {
		e := newError("PUT", "JSSResource/x", 400, []byte(body), nil)
		for _, f := range []string{e.Message, e.Body, e.Error()} {
			if strings.Contains(f, "hunter2") {
				t.Errorf("credential survives in %q", f)
			}
		}
	}
}
