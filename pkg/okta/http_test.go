package okta_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"
	"github.com/jamf-scep/jamf-scep/pkg/okta"
	"github.com/jamf-scep/jamf-scep/pkg/okta/oktatest"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// TestChallengeRedirectNeverCarriesCredentials: a Challenge URL answering
// 302 to another origin (another port, or plain http) is a failure naming
// the target, and the target never sees a request, so the Basic auth
// password goes nowhere. The plain http.Client case proves the rule does
// not depend on the caller's client.
func TestChallengeRedirectNeverCarriesCredentials(t *testing.T) {
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		http.Error(w, "unexpected", http.StatusTeapot)
	}))
	t.Cleanup(target.Close)
	to := target.URL + "/api/v1/challenge"
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, to, http.StatusFound)
	})
	plainSrv := httptest.NewServer(redirect)
	t.Cleanup(plainSrv.Close)
	tlsSrv := httptest.NewTLSServer(redirect)
	t.Cleanup(tlsSrv.Close)
	tlsClient := tlsSrv.Client() // trusts the test certificate, follows redirects by default

	tests := []struct {
		name   string
		url    string
		client *http.Client
	}{
		{"to another port", plainSrv.URL + "/challenge", client()},
		{"https to http", tlsSrv.URL + "/challenge", tlsClient},
		{"caller's client follows redirects", plainSrv.URL + "/challenge", &http.Client{}},
	}
	const password = "redirect-test-password-0123"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached.Store(0)
			c, r := okta.CheckChallenge(t.Context(), tt.client, tt.url, okta.Credentials{Username: "okta-1", Password: password}, false)
			if r.Status != check.Fail || !c.IsZero() {
				t.Fatalf("status = %v, want fail without a challenge (%s)", r.Status, r.Message)
			}
			var re *scepcheck.RedirectError
			if !errors.As(r.Err, &re) || re.To != to || re.Status != http.StatusFound {
				t.Errorf("error = %v, want a *RedirectError to %s", r.Err, to)
			}
			if !strings.Contains(r.Message, to) || r.Fix == "" {
				t.Errorf("message %q (fix %q) does not name the target %s", r.Message, r.Fix, to)
			}
			if strings.Contains(r.Message+r.Fix+r.Err.Error(), password) {
				t.Error("result shows the password")
			}
			if n := reached.Load(); n != 0 {
				t.Errorf("the redirect target got %d request(s), want none", n)
			}
		})
	}
}

// TestFetchChallengeBoundsThePage: an endless page is an error after the
// limit, not an exhausted memory.
func TestFetchChallengeBoundsThePage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("<P>challenge password is: ", 1024))
		for range 1 << 12 { // 100 MiB if nobody stops reading
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	_, _, err := okta.FetchChallenge(t.Context(), client(), srv.URL, okta.Credentials{Username: "u", Password: "p"})
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("FetchChallenge error = %v, want a size error", err)
	}
}

// TestChallengeDebugLog: --debug's logger records the challenge request
// (method, host, path, status) and never the password, its Basic auth
// encoding or the challenge.
func TestChallengeDebugLog(t *testing.T) {
	srv := oktatest.New(t, oktatest.Options{})
	var logged bytes.Buffer
	c := scepcheck.NewHTTPClient(10*time.Second, slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ch, r := okta.CheckChallenge(t.Context(), c, srv.ChallengeURL, okta.Credentials{Username: srv.Username, Password: srv.Password}, false)
	if r.Status != check.Pass {
		t.Fatalf("CheckChallenge: %v %s", r.Status, r.Message)
	}
	log := logged.String()
	for _, want := range []string{`msg="http request" method=GET`, "path=/api/v1/certificateAuthorities/" + srv.CAID, "status=200"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(srv.Username + ":" + srv.Password))
	for name, secret := range map[string]string{"password": srv.Password, "Basic auth": basic, "challenge": ch.Reveal()} {
		if strings.Contains(log, secret) {
			t.Errorf("log shows the %s", name)
		}
	}
}
