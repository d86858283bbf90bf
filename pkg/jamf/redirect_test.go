package jamf_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// TestRedirectExplained pins QA P3: a redirect on a Jamf call names its
// target (without credentials) and says that jamf-scep never follows one
// and what to fix.
func TestRedirectExplained(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/oauth/token") {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"access_token":"tok-1","expires_in":600,"token_type":"Bearer"}`))
				return
			}
			w.Header().Set("Location", "https://user:hunter2@login.example.com/sso?next=/JSSResource")
			w.WriteHeader(status)
		}))
		c, err := jamf.New(srv.URL+"/jamf/", jamf.OAuthClient("id", "secret-value-1"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListProfiles(t.Context())
		srv.Close()
		var jerr *jamf.Error
		if !errors.As(err, &jerr) || jerr.StatusCode != status {
			t.Fatalf("%d: err = %v, want a *jamf.Error", status, err)
		}
		msg := err.Error()
		for _, want := range []string{"https://(sensitive)@login.example.com/sso", "never follows redirects", "tenant URL"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%d: %q lacks %q", status, msg, want)
			}
		}
		if strings.Contains(msg, "hunter2") {
			t.Errorf("%d: %q shows the Location's password", status, msg)
		}
	}
}

// TestUnauthorizedHintNamesTheCredentials pins QA P3: the hint for a 401
// names the kind of credentials the client used.
func TestUnauthorizedHintNamesTheCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		creds jamf.Credentials
		want  string
	}{
		{jamf.OAuthClient("id", "secret-value-1"), "JAMF_CLIENT_ID/JAMF_CLIENT_SECRET"},
		{jamf.UserAccount("admin", "password-value-1"), "JAMF_USERNAME/JAMF_PASSWORD"},
	} {
		c, err := jamf.New(srv.URL+"/jamf/", tt.creds)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListProfiles(t.Context())
		var jerr *jamf.Error
		if !errors.As(err, &jerr) {
			t.Fatalf("err = %v, want a *jamf.Error", err)
		}
		if h := jamf.Advice(err); !strings.Contains(h, tt.want) {
			t.Errorf("hint %q lacks %q", h, tt.want)
		}
	}
}
