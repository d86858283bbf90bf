package okta_test

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/redact"
	"github.com/jamf-scep/jamf-scep/pkg/check"
	"github.com/jamf-scep/jamf-scep/pkg/okta"
	"github.com/jamf-scep/jamf-scep/pkg/okta/oktatest"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

func client() *http.Client { return scepcheck.NewHTTPClient(10*time.Second, nil) }

func TestCheckChallenge(t *testing.T) {
	tests := []struct {
		name        string
		opts        oktatest.Options
		password    string // overrides the server's when set
		url         func(*oktatest.Server) string
		want        check.Status
		wantErr     error
		wantInFix   string
		wantEncName string
	}{
		{name: "UTF-16LE", opts: oktatest.Options{Encoding: oktatest.UTF16LE}, want: check.Pass, wantEncName: "UTF-16LE with BOM"},
		{name: "UTF-16BE", opts: oktatest.Options{Encoding: oktatest.UTF16BE}, want: check.Pass, wantEncName: "UTF-16BE with BOM"},
		{name: "UTF-8 with BOM", opts: oktatest.Options{Encoding: oktatest.UTF8BOM}, want: check.Pass, wantEncName: "UTF-8 with BOM"},
		{name: "UTF-8", opts: oktatest.Options{Encoding: oktatest.UTF8}, want: check.Pass, wantEncName: "UTF-8"},
		{
			name: "wrong password", password: "not-the-password", want: check.Fail,
			wantErr: okta.ErrUnauthorized, wantInFix: "generate a new secret/password",
		},
		{
			name: "wrong Challenge URL",
			url:  func(s *oktatest.Server) string { return strings.Replace(s.ChallengeURL, s.RAID, "racwrong", 1) },
			want: check.Fail, wantErr: okta.ErrNotFound, wantInFix: "copy the Challenge URL again",
		},
		{
			name: "cache full", opts: oktatest.Options{Page: oktatest.PageCacheFull}, want: check.Fail,
			wantErr: okta.ErrCacheFull, wantInFix: "expire",
		},
		{
			name: "permission", opts: oktatest.Options{Page: oktatest.PagePermission}, want: check.Fail,
			wantErr: okta.ErrPermission, wantInFix: "Username",
		},
		{
			name: "not a challenge page", url: func(s *oktatest.Server) string { return s.SCEPURL + "?operation=GetCACaps" },
			want: check.Fail, wantErr: okta.ErrNoChallenge,
		},
	}
	// The results are what doctor shows; the golden file lets a reviewer
	// read every message and fix in one place.
	results := map[string]check.Result{}
	t.Cleanup(func() { goldenJSON(t, "challenge-results.json", results) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oktatest.New(t, tt.opts)
			creds := okta.Credentials{Username: srv.Username, Password: srv.Password}
			if tt.password != "" {
				creds.Password = tt.password
			}
			u := srv.ChallengeURL
			if tt.url != nil {
				u = tt.url(srv)
			}
			c, r := okta.CheckChallenge(t.Context(), client(), u, creds, false)
			results[tt.name] = r
			if r.Status != tt.want {
				t.Fatalf("status = %v, want %v (%s)", r.Status, tt.want, r.Message)
			}
			all := fmt.Sprintf("%s %s %v %v", r.Message, r.Fix, r.Details, r.Err)
			if strings.Contains(all, creds.Password) {
				t.Errorf("result shows the password")
			}
			if tt.want != check.Pass {
				if !errors.Is(r.Err, tt.wantErr) || !strings.Contains(r.Fix, tt.wantInFix) {
					t.Errorf("got error %v and fix %q; want %v and a fix mentioning %q", r.Err, r.Fix, tt.wantErr, tt.wantInFix)
				}
				if !c.IsZero() {
					t.Errorf("failed check returned a challenge")
				}
				return
			}
			if strings.Contains(all, c.Reveal()) {
				t.Errorf("result shows the challenge")
			}
			if got := len(c.Reveal()); got != 32 {
				t.Errorf("challenge has %d characters, want Okta's 32", got)
			}
			if enc := r.Details[0].Value; enc != tt.wantEncName {
				t.Errorf("page encoding = %q, want %q", enc, tt.wantEncName)
			}
			if srv.Outstanding() != 1 {
				t.Errorf("server has %d outstanding challenges, want the one fetched", srv.Outstanding())
			}
		})
	}
}

func TestCheckChallengeNetworkError(t *testing.T) {
	srv := oktatest.New(t, oktatest.Options{})
	// Port 1 on loopback refuses connections.
	_, r := okta.CheckChallenge(t.Context(), client(), "http://127.0.0.1:1/challenge",
		okta.Credentials{Username: srv.Username, Password: srv.Password}, false)
	if r.Status != check.Fail || r.Fix == "" || strings.Contains(r.Message, srv.Password) {
		t.Errorf("got %v %q fix %q; want a failure with a fix", r.Status, r.Message, r.Fix)
	}
	if want := "check the Challenge URL (profile.scep.challenge.url), DNS"; !strings.Contains(r.Fix, want) {
		t.Errorf("fix %q does not name the field: want %q", r.Fix, want)
	}
}

// TestAllGreen is the doctor path end to end: URL ids agree, capabilities
// and CA are fine, a fetched challenge enrolls a certificate.
func TestAllGreen(t *testing.T) {
	now := time.Now()
	srv := oktatest.New(t, oktatest.Options{Now: now})
	if diff := profile.OktaURLDifferences(srv.SCEPURL, srv.ChallengeURL); len(diff) > 0 {
		t.Errorf("the simulator's Okta URLs differ: %v", diff)
	}
	if _, r := scepcheck.CheckCACaps(t.Context(), client(), srv.SCEPURL); r.Status != check.Pass {
		t.Errorf("CheckCACaps: %v %s", r.Status, r.Message)
	}
	if _, r := scepcheck.CheckCACert(t.Context(), client(), srv.SCEPURL, now, 30); r.Status != check.Pass {
		t.Errorf("CheckCACert: %v %s", r.Status, r.Message)
	}
	c, r := okta.CheckChallenge(t.Context(), client(), srv.ChallengeURL,
		okta.Credentials{Username: srv.Username, Password: srv.Password}, false)
	if r.Status != check.Pass {
		t.Fatalf("CheckChallenge: %v %s", r.Status, r.Message)
	}
	cn := asn1.ObjectIdentifier{2, 5, 4, 3}
	subject := pkix.RDNSequence{{{Type: cn, Value: "Okta Test Mac ma 11111111-2222-3333-4444-555555555555"}}}
	e, r := scepcheck.EnrollTest(t.Context(), client(), scepcheck.EnrollRequest{
		SCEPURL: srv.SCEPURL, Subject: subject, Challenge: c, Clock: time.Now, ClockSkew: 5 * time.Minute,
	})
	if r.Status != check.Pass {
		t.Fatalf("EnrollTest: %v %s (fix: %s)", r.Status, r.Message, r.Fix)
	}
	if e.Certificate.PublicKey.(interface{ Size() int }).Size()*8 != scepcheck.KeyBits {
		t.Errorf("issued key is not %d bits", scepcheck.KeyBits)
	}
	if srv.Outstanding() != 0 {
		t.Errorf("the challenge was not consumed")
	}
}

func TestCredentialsRedacted(t *testing.T) {
	const pw = "hunter2-very-secret"
	c := okta.Credentials{Username: "okta-123456", Password: pw}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("creds", "c", c)
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{
		"%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", c), "%#v": fmt.Sprintf("%#v", c),
		"%s": fmt.Sprintf("%s", c), "slog": logged.String(), "JSON": string(js),
	} {
		if strings.Contains(out, pw) {
			t.Errorf("%s output reveals the password", name)
		}
		if !strings.Contains(out, "okta-123456") {
			t.Errorf("%s output %q lacks the username", name, out)
		}
		if !strings.Contains(out, redact.Text) {
			t.Errorf("%s output %q lacks the one redaction text %q", name, out, redact.Text)
		}
	}
}
