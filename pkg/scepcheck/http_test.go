package scepcheck_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/pkg/okta/oktatest"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// TestSCEPRedirectRefused: every SCEP request (GetCACaps, GetCACert, the
// PKCSReq carrying the challenge) stops at a redirect to another port or
// to plain http, names the target, and sends nothing there.
func TestSCEPRedirectRefused(t *testing.T) {
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached.Add(1)
		http.Error(w, "unexpected", http.StatusTeapot)
	}))
	t.Cleanup(target.Close)
	okta := oktatest.New(t, oktatest.Options{})
	const to = "/elsewhere/scep"
	// The redirector serves GetCACaps and GetCACert from the real server
	// for the enrollment case, so the redirect hits the PKIOperation.
	redirector := func(ops ...string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			op := r.URL.Query().Get("operation")
			for _, o := range ops {
				if o == op {
					http.Redirect(w, r, target.URL+to, http.StatusTemporaryRedirect)
					return
				}
			}
			forward(w, r, okta.SCEPURL)
		})
	}
	plain := httptest.NewServer(redirector("GetCACaps", "GetCACert", "PKIOperation"))
	t.Cleanup(plain.Close)
	tlsSrv := httptest.NewTLSServer(redirector("GetCACaps", "GetCACert", "PKIOperation"))
	t.Cleanup(tlsSrv.Close)
	pkiOnly := httptest.NewServer(redirector("PKIOperation"))
	t.Cleanup(pkiOnly.Close)

	challenge := okta.NewChallenge()
	run := map[string]func(c *http.Client, u string) check.Result{
		"GetCACaps": func(c *http.Client, u string) check.Result {
			_, r := scepcheck.CheckCACaps(t.Context(), c, u)
			return r
		},
		"GetCACert": func(c *http.Client, u string) check.Result {
			_, r := scepcheck.CheckCACert(t.Context(), c, u, time.Now(), 30)
			return r
		},
		"PKIOperation": func(c *http.Client, u string) check.Result {
			_, r := scepcheck.EnrollTest(t.Context(), c, scepcheck.EnrollRequest{
				SCEPURL: u, Subject: subject("Redirect Mac"), Challenge: scepcheck.NewChallenge(challenge),
				Clock: time.Now, Key: testKey(),
			})
			return r
		},
	}
	tests := []struct {
		name, op, url string
		client        *http.Client
	}{
		{"GetCACaps to another port", "GetCACaps", plain.URL + "/scep", client()},
		{"GetCACert from https to http", "GetCACert", tlsSrv.URL + "/scep", tlsSrv.Client()},
		{"PKCSReq to another port", "PKIOperation", pkiOnly.URL + "/scep", client()},
		{"GetCACaps with a client that follows", "GetCACaps", plain.URL + "/scep", &http.Client{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached.Store(0)
			r := run[tt.op](tt.client, tt.url)
			var re *scepcheck.RedirectError
			if r.Status != check.Fail || !errors.As(r.Err, &re) {
				t.Fatalf("got %v %v, want a failure with a *RedirectError", r.Status, r.Err)
			}
			if re.To != target.URL+to || !strings.Contains(r.Message, target.URL+to) {
				t.Errorf("message %q, redirect to %q: want the target %s named", r.Message, re.To, target.URL+to)
			}
			if !strings.Contains(r.Fix, re.To) {
				t.Errorf("fix %q does not name the target", r.Fix)
			}
			if n := reached.Load(); n != 0 {
				t.Errorf("the redirect target got %d request(s), want none", n)
			}
		})
	}
	if n := len(okta.Issued()); n != 0 {
		t.Errorf("the CA issued %d certificate(s), want none", n)
	}
}

// TestDebugLog: --debug's logger sees every SCEP request (method, host,
// path, status, duration) and never the challenge or a PKCS#7 message.
func TestDebugLog(t *testing.T) {
	srv := oktatest.New(t, oktatest.Options{Caps: []string{"AES", "SHA-256"}}) // GET PKIOperation: the message is in the query
	var logged bytes.Buffer
	c := scepcheck.NewHTTPClient(10*time.Second, slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})))
	challenge := srv.NewChallenge()
	_, r := scepcheck.EnrollTest(t.Context(), c, scepcheck.EnrollRequest{
		SCEPURL: srv.SCEPURL, Subject: subject("Debug Mac"), Challenge: scepcheck.NewChallenge(challenge),
		Clock: time.Now, Key: testKey(),
	})
	if r.Status != check.Pass {
		t.Fatalf("enrollment: %v %s", r.Status, r.Message)
	}
	log := logged.String()
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != 3 {
		t.Fatalf("logged %d lines, want 3 (GetCACaps, GetCACert, PKIOperation):\n%s", len(lines), log)
	}
	for _, l := range lines {
		for _, want := range []string{"method=GET", "host=" + strings.TrimPrefix(srv.URL(), "http://"), "path=/pki/", "status=200", "duration="} {
			if !strings.Contains(l, want) {
				t.Errorf("log line %q lacks %q", l, want)
			}
		}
	}
	for _, secret := range []string{challenge, "message=", "operation="} {
		if strings.Contains(log, secret) {
			t.Errorf("log shows %q:\n%s", secret, log)
		}
	}
}

func TestServerText(t *testing.T) {
	tests := []struct {
		name, body, want string
		secrets          []string
	}{
		{"html", "<html><body><h1>Forbidden</h1>\r\n<p>DN  /CN=x already\texists</p></body></html>", "Forbidden DN /CN=x already exists", nil},
		{"secret split by a tag", "bad challenge s3c<b>r3t</b> and s3cr3t", "bad challenge s3c r3t and (sensitive)", []string{"s3cr3t"}},
		{"secret", "password hunter2 refused", "password (sensitive) refused", []string{"hunter2"}},
		{"long", strings.Repeat("a", 300), strings.Repeat("a", 200) + "…", nil},
		{"control characters", "a\x00b\x1b[31mc", "a b [31mc", nil},
	}
	for _, tt := range tests {
		if got := scepcheck.ServerText([]byte(tt.body), tt.secrets...); got != tt.want {
			t.Errorf("%s: ServerText = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestEnrollShowsCAText: a refusal carries the CA's own words, from a
// CertRep's failInfoText or an HTTP error page, with the challenge
// redacted if the CA echoes it.
func TestEnrollShowsCAText(t *testing.T) {
	const caText = "DN /CN=Text Mac already exists"
	t.Run("failInfoText", func(t *testing.T) {
		srv := oktatest.New(t, oktatest.Options{FailureText: caText})
		_, r := scepcheck.EnrollTest(t.Context(), client(), scepcheck.EnrollRequest{
			SCEPURL: srv.SCEPURL, Subject: subject("Text Mac"), Challenge: scepcheck.NewChallenge(srv.NewChallenge()),
			Clock: time.Now, Key: testKey(),
		})
		var rej *scepcheck.RejectedError
		if r.Status != check.Fail || !errors.As(r.Err, &rej) || rej.Text != caText {
			t.Fatalf("got %v %v, want a rejection with the CA's text", r.Status, r.Err)
		}
		if want := "(failInfo badRequest): the CA says \u201c" + caText + "\u201d"; !strings.Contains(r.Message, want) {
			t.Errorf("message %q lacks %q", r.Message, want)
		}
	})
	t.Run("HTTP error page", func(t *testing.T) {
		okta := oktatest.New(t, oktatest.Options{})
		challenge := okta.NewChallenge()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("operation") == "PKIOperation" {
				http.Error(w, "<html><body><h1>Error</h1>\r\n<p>"+caText+" (challenge "+challenge+")</p></body></html>", http.StatusInternalServerError)
				return
			}
			forward(w, r, okta.SCEPURL)
		}))
		t.Cleanup(srv.Close)
		_, r := scepcheck.EnrollTest(t.Context(), client(), scepcheck.EnrollRequest{
			SCEPURL: srv.URL + "/scep", Subject: subject("Text Mac"), Challenge: scepcheck.NewChallenge(challenge),
			Clock: time.Now, Key: testKey(),
		})
		want := "HTTP 500 Internal Server Error: the server says \u201cError " + caText + " (challenge (sensitive))\u201d"
		if r.Status != check.Fail || !strings.Contains(r.Message, want) {
			t.Errorf("got %v %q, want a failure containing %q", r.Status, r.Message, want)
		}
		if strings.Contains(r.Message+r.Fix+fmtDetails(r), challenge) {
			t.Error("result shows the challenge")
		}
	})
}

// forward answers r with what the SCEP server at scepURL answers to the
// same query.
func forward(w http.ResponseWriter, r *http.Request, scepURL string) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, scepURL+"?"+r.URL.RawQuery, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	_, _ = io.Copy(w, resp.Body)
}
