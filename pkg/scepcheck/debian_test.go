package scepcheck_test

import (
	"context"
	"crypto/x509/pkix"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// debianSCEPServer starts Debian's scepserver (package scep: micromdm's
// server 2.1.0, built against go.mozilla.org/pkcs7 where the module-proxy
// server sceptest runs uses smallstep's fork) with a new CA and a static
// challenge, and returns its SCEP URL. The test is skipped when the binary
// is not installed; .ci/run installs it (apt-get install scep).
//
// Version 2.1.0 takes only a port, not an address, so unlike every other
// test server it listens on all interfaces, on a port picked free on
// loopback, for the length of the test.
func debianSCEPServer(t *testing.T, challenge string) string {
	t.Helper()
	bin, err := exec.LookPath("scepserver")
	if err != nil {
		t.Skip("Debian's scepserver is not installed (apt-get install scep); .ci/run installs it")
	}
	if out, err := exec.CommandContext(t.Context(), bin, "-version").CombinedOutput(); err != nil || !strings.HasPrefix(strings.TrimSpace(string(out)), "2.") {
		t.Skipf("scepserver -version: %q %v, want Debian's 2.x", out, err)
	}
	depot := filepath.Join(t.TempDir(), "depot")
	if out, err := exec.CommandContext(t.Context(), bin, "ca", "-init", "-depot", depot, "-keySize", "2048", "-organization", "Debian SCEP test CA").CombinedOutput(); err != nil {
		t.Fatalf("scepserver ca -init: %v\n%s", err, out)
	}
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	_ = l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	srv := exec.CommandContext(ctx, bin, "-depot", depot, "-port", port, "-challenge", challenge)
	var log strings.Builder
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = srv.Wait()
		if t.Failed() {
			t.Logf("scepserver log:\n%s", log.String())
		}
	})
	url := "http://127.0.0.1:" + port + "/scep"
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"?operation=GetCACaps", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			return url
		}
		if time.Since(start) > 15*time.Second {
			t.Fatalf("scepserver did not answer on port %s: %v", port, err)
		}
	}
}

// TestDebianSCEPServer: what doctor --enroll-test runs, against a second
// third-party CA: GetCACaps, GetCACert, enrollments (a multi-RDN Subject
// the CA may reorder is a note, not a failure), a wrong challenge (a clear
// failure naming the CA's failInfo) and a second request for a Subject the
// CA issued already.
func TestDebianSCEPServer(t *testing.T) {
	const challenge = "static-challenge-debian"
	url := debianSCEPServer(t, challenge)

	caps, r := scepcheck.CheckCACaps(t.Context(), client(), url)
	if r.Status != check.Pass {
		t.Fatalf("CheckCACaps = %v %s", r.Status, r.Message)
	}
	if !caps.Has("POSTPKIOperation") || !caps.Has("SHA-256") {
		t.Errorf("caps %v, want POSTPKIOperation and SHA-256", caps)
	}
	ca, r := scepcheck.CheckCACert(t.Context(), client(), url, time.Now(), 30)
	if r.Status != check.Pass {
		t.Fatalf("CheckCACert = %v %s", r.Status, r.Message)
	}
	if got := ca.CA.Subject.Organization; len(got) != 1 || got[0] != "Debian SCEP test CA" {
		t.Errorf("CA organization %q, want the one scepserver ca -init was given", got)
	}

	tests := []struct {
		name      string
		subject   pkix.RDNSequence
		challenge string
		want      []check.Status // the CA may keep or reorder RDNs
		wantInMsg string
	}{
		{name: "RSA 2048", subject: subject("Debian Mac 2048"), want: []check.Status{check.Pass}},
		{
			name: "multi-RDN Subject",
			subject: pkix.RDNSequence{
				{atv(oidCN, "Debian Mac multi")}, {atv(oidOU, "Macs")}, {atv(oidO, "ACME")}, {atv(oidC, "US")},
			},
			want: []check.Status{check.Pass, check.Info},
		},
		{
			name:    "multi-valued RDN CN=x+OU=y",
			subject: pkix.RDNSequence{{atv(oidO, "ACME")}, {atv(oidCN, "Debian Mac mv"), atv(oidOU, "Macs")}},
			want:    []check.Status{check.Pass, check.Info},
		},
		{
			name: "wrong challenge", subject: subject("Debian Mac wrong"), challenge: "wrong-challenge-0000",
			want: []check.Status{check.Fail}, wantInMsg: "failInfo",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := scepcheck.EnrollRequest{
				SCEPURL: url, Subject: tt.subject, Challenge: scepcheck.NewChallenge(challenge),
				Clock: time.Now, ClockSkew: 5 * time.Minute, Key: testKey(),
			}
			if tt.challenge != "" {
				req.Challenge = scepcheck.NewChallenge(tt.challenge)
			}
			e, r := scepcheck.EnrollTest(t.Context(), client(), req)
			ok := false
			for _, s := range tt.want {
				ok = ok || r.Status == s
			}
			if !ok {
				t.Fatalf("status = %v, want one of %v (%s; fix %s)", r.Status, tt.want, r.Message, r.Fix)
			}
			if !strings.Contains(r.Message, tt.wantInMsg) {
				t.Errorf("message %q lacks %q", r.Message, tt.wantInMsg)
			}
			if strings.Contains(r.Message+r.Fix+fmtDetails(r), req.Challenge.Reveal()) {
				t.Error("result shows the challenge")
			}
			if r.Status == check.Fail {
				var rej *scepcheck.RejectedError
				if !errors.As(r.Err, &rej) || !strings.Contains(r.Fix, "challenge") {
					t.Errorf("error %v, fix %q: want the CA's rejection and a fix about the challenge", r.Err, r.Fix)
				}
				return
			}
			if e.Certificate == nil {
				t.Fatal("no certificate")
			}
			t.Logf("%v: issued %s", r.Status, e.Certificate.Subject)
			if e.Certificate.CheckSignatureFrom(ca.CA) != nil {
				t.Errorf("issued certificate does not chain to the CA GetCACert returned")
			}
			if e.Subject == scepcheck.NamesDiffer {
				t.Errorf("issued Subject %s differs from the one asked", e.Certificate.Subject)
			}
		})
	}
}
