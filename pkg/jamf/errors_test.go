package jamf

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		name, body, wantMsg, wantCode string
	}{
		{"classic HTML page", string(readTestdata(t, "error_classic.html")), "Unable to update the database", ""},
		{"classic with entities", "<html><p>Error: Duplicate name &amp; more</p></html>", "Duplicate name & more", ""},
		{"Jamf Pro API", string(readTestdata(t, "error_api.json")), "page-size: page-size must be between 1 and 2000; filter: Invalid RSQL filter", "INVALID_FIELD"},
		{"Jamf Pro API without description", `{"httpStatus":404,"errors":[{"code":"NOT_FOUND"}]}`, "NOT_FOUND", "NOT_FOUND"},
		{"OAuth", `{"error":"invalid_client","error_description":"Client authentication failed"}`, "Client authentication failed", "invalid_client"},
		{"OAuth bare", `{"error":"invalid_grant"}`, "invalid_grant", "invalid_grant"},
		{"gateway page", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "502 Bad Gateway", ""},
		{"empty", "", "", ""},
		{"JSON without errors", `{"httpStatus":500,"errors":[]}`, "", ""},
		{"plain text", "upstream connect error", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, code := parseErrorBody([]byte(tt.body), noClean)
			if msg != tt.wantMsg || code != tt.wantCode {
				t.Errorf("got (%q, %q), want (%q, %q)", msg, code, tt.wantMsg, tt.wantCode)
			}
		})
	}
}

func TestErrorSentinels(t *testing.T) {
	tests := []struct {
		path   string
		status int
		code   string
		want   error // nil: matches no sentinel
	}{
		{"p", 404, "", ErrNotFound},
		{"p", 409, "", ErrConflict},
		{"p", 401, "", ErrUnauthorized},
		{"p", 400, "invalid_client", ErrUnauthorized},
		{"p", 403, "", ErrForbidden},
		// A 404 for a token is a wrong tenant url, not a missing object.
		{oauthTokenPath, 404, "", nil},
		{userTokenPath, 404, "", nil},
		{oauthTokenPath, 401, "", ErrUnauthorized},
	}
	all := []error{ErrNotFound, ErrConflict, ErrUnauthorized, ErrForbidden}
	for _, tt := range tests {
		err := fmt.Errorf("context: %w", &Error{Method: "GET", Path: tt.path, StatusCode: tt.status, Code: tt.code})
		for _, s := range all {
			if got := errors.Is(err, s); got != errors.Is(tt.want, s) {
				t.Errorf("%s status %d code %q: errors.Is(%v) = %v", tt.path, tt.status, tt.code, s, got)
			}
		}
	}
	if errors.Is(&Error{StatusCode: 500}, ErrNotFound) {
		t.Error("500 matches ErrNotFound")
	}
}

func TestNewErrorRedactsAndCaps(t *testing.T) {
	secret := "hunter2-secret"
	body := "<html><p>Error: bad token " + secret + "</p></html>" + strings.Repeat("x", 3*maxErrorBody)
	e := newError("PUT", "JSSResource/x", 409, []byte(body), []string{secret, ""})
	if strings.Contains(e.Message+e.Body+e.Error(), secret) {
		t.Errorf("secret leaked: %+v", e)
	}
	if len(e.Body) > maxErrorBody+len("...(truncated)") {
		t.Errorf("body is %d bytes, want at most %d", len(e.Body), maxErrorBody)
	}
	if want := "jamf: PUT JSSResource/x: 409 Conflict: bad token (sensitive)"; e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
}

func TestRedactLongestFirst(t *testing.T) {
	got := redactSecrets("abc abcdef", []string{"abc", "abcdef"})
	if got != redacted+" "+redacted {
		t.Errorf("got %q", got)
	}
}

func TestAmbiguousNameError(t *testing.T) {
	err := &AmbiguousNameError{Kind: "macOS configuration profile", Name: "SCEP", IDs: []string{"3", "12"}}
	want := `jamf: 2 macOS configuration profiles are named "SCEP" (ids 3, 12); rename or delete all but one, or use an id`
	if err.Error() != want {
		t.Errorf("got %q", err.Error())
	}
}

func FuzzParseErrorBody(f *testing.F) {
	f.Add(`{"httpStatus":400,"errors":[{"code":"X","description":"d","field":"f"}]}`)
	f.Add(`{"error":"invalid_client","error_description":"x"}`)
	f.Add("<html><p>Error: x</p></html>")
	f.Add("<title>t</title>")
	f.Fuzz(func(t *testing.T, body string) {
		msg, _ := parseErrorBody([]byte(body), noClean)
		// Characters, not bytes: JSON decoding turns each invalid UTF-8
		// byte into U+FFFD (three bytes), which is no amplification.
		if utf8.RuneCountInString(msg) > len(body) {
			t.Fatalf("message %q longer than body", msg)
		}
	})
}

func noClean(s string) string { return s }
