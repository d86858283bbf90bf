package scepcheck_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/google/go-cmp/cmp"
	"github.com/smallstep/scep"

	"github.com/jamf-scep/jamf-scep/pkg/okta/oktatest"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// now is the fixed clock of the offline checks.
var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func client() *http.Client { return scepcheck.NewHTTPClient(10*time.Second, nil) }

func TestParseCaps(t *testing.T) {
	tests := []struct {
		name string
		body string
		want scepcheck.Caps
	}{
		{"LF", "AES\nSHA-256\nPOSTPKIOperation", scepcheck.Caps{"AES", "SHA-256", "POSTPKIOperation"}},
		{"CRLF and blanks", "AES\r\n\r\n SHA-512 \r\n", scepcheck.Caps{"AES", "SHA-512"}},
		{"repeats dropped", "AES\naes\nAES", scepcheck.Caps{"AES"}},
		{"CR only", "AES\rSHA-256\rPOSTPKIOperation\r", scepcheck.Caps{"AES", "SHA-256", "POSTPKIOperation"}},
		{"mixed line endings and tabs", "AES\r\n\tSHA-256\rRenewal\n\u2028SHA-512", scepcheck.Caps{"AES", "SHA-256", "Renewal", "SHA-512"}},
		{"control characters and bad UTF-8", "AES\x00\x1bSHA-256\xff", scepcheck.Caps{"AES", "SHA-256"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, scepcheck.ParseCaps([]byte(tt.body))); diff != "" {
				t.Errorf("ParseCaps(%q) mismatch (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

func TestCapsHas(t *testing.T) {
	tests := []struct {
		caps    scepcheck.Caps
		keyword string
		want    bool
	}{
		{scepcheck.Caps{"SHA-256"}, "sha-256", true},
		{scepcheck.Caps{"SCEPStandard"}, scepcheck.CapAES, true},
		{scepcheck.Caps{"SCEPStandard"}, scepcheck.CapSHA256, true},
		{scepcheck.Caps{"SCEPStandard"}, scepcheck.CapPOSTPKIOperation, true},
		{scepcheck.Caps{"SCEPStandard"}, scepcheck.CapSHA512, false},
		{scepcheck.Caps{"DES3", "SHA-1"}, scepcheck.CapAES, false},
	}
	for _, tt := range tests {
		if got := tt.caps.Has(tt.keyword); got != tt.want {
			t.Errorf("%v.Has(%q) = %v, want %v", tt.caps, tt.keyword, got, tt.want)
		}
	}
}

func TestCheckCACaps(t *testing.T) {
	tests := []struct {
		name       string
		caps       []string
		breakURL   bool
		url        string // instead of the simulator's, when set
		want       check.Status
		wantInText string
		wantInFix  string
	}{
		{name: "modern", want: check.Pass, wantInText: "SHA-256"},
		{name: "SCEPStandard only", caps: []string{"SCEPStandard"}, want: check.Pass},
		{name: "no SHA-256", caps: []string{"AES", "POSTPKIOperation", "SHA-1"}, want: check.Warn, wantInText: "SHA-256 or SHA-512"},
		{name: "no AES", caps: []string{"DES3", "SHA-256"}, want: check.Warn, wantInText: "AES"},
		{name: "wrong SCEP URL", breakURL: true, want: check.Fail, wantInText: "404", wantInFix: "the SCEP URL (profile.scep.url)"},
		// Port 1 on loopback refuses connections: no network path.
		{name: "unreachable", url: "http://127.0.0.1:1/pki/x/scep/y", want: check.Fail, wantInText: "refused", wantInFix: "check the SCEP URL (profile.scep.url), DNS, the network path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oktatest.New(t, oktatest.Options{Caps: tt.caps})
			u := srv.SCEPURL
			if tt.breakURL {
				u = srv.URL() + "/pki/" + srv.CAID + "/scep/racwrong"
			}
			if tt.url != "" {
				u = tt.url
			}
			caps, r := scepcheck.CheckCACaps(t.Context(), client(), u)
			if r.Status != tt.want {
				t.Fatalf("status = %v, want %v (%s)", r.Status, tt.want, r.Message)
			}
			if !strings.Contains(r.Message, tt.wantInText) {
				t.Errorf("message %q does not mention %q", r.Message, tt.wantInText)
			}
			if tt.want != check.Pass && (r.Fix == "" || r.Err == nil) {
				t.Errorf("non-pass result lacks a fix or error: %+v", r)
			}
			if !strings.Contains(r.Fix, tt.wantInFix) {
				t.Errorf("fix %q does not mention %q", r.Fix, tt.wantInFix)
			}
			if tt.caps != nil && !tt.breakURL {
				if diff := cmp.Diff(scepcheck.Caps(tt.caps), caps); diff != "" {
					t.Errorf("caps mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	// SHA-1 and SHA-256 of "abc" (FIPS 180-2 appendix test vectors).
	c := &x509.Certificate{Raw: []byte("abc")}
	tests := []struct {
		h    crypto.Hash
		want string
	}{
		{crypto.SHA1, "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D"},
		{crypto.SHA256, "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"},
	}
	for _, tt := range tests {
		if got := scepcheck.Fingerprint(c, tt.h); got != tt.want {
			t.Errorf("Fingerprint(%v) = %s, want %s", tt.h, got, tt.want)
		}
	}
}

func detail(r check.Result, name string) string {
	for _, d := range r.Details {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}

func TestCheckCACert(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name       string
		opts       oktatest.Options
		redistDays int
		want       check.Status
		wantType   string
		wantRA     int
		wantInText string
	}{
		{name: "DER CA", want: check.Pass, wantType: scepcheck.ContentTypeCACert, wantInText: "valid until"},
		{
			name: "RA bundle", opts: oktatest.Options{RABundle: true}, want: check.Pass,
			wantType: scepcheck.ContentTypeCARACert, wantRA: 1, wantInText: "1 RA certificate",
		},
		{
			name: "expired CA", opts: oktatest.Options{ExpiredCA: true}, want: check.Fail,
			wantType: scepcheck.ContentTypeCACert, wantInText: "expired",
		},
		{
			name: "expires inside the window", opts: oktatest.Options{CAValidity: 100 * day}, redistDays: 14,
			want: check.Warn, wantType: scepcheck.ContentTypeCACert, wantInText: "14 days plus 90",
		},
		{
			name: "expires just outside the window", opts: oktatest.Options{CAValidity: 105 * day}, redistDays: 14,
			want: check.Pass, wantType: scepcheck.ContentTypeCACert,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = now
			srv := oktatest.New(t, tt.opts)
			ca, r := scepcheck.CheckCACert(t.Context(), client(), srv.SCEPURL, now, tt.redistDays)
			if r.Status != tt.want {
				t.Fatalf("status = %v, want %v (%s)", r.Status, tt.want, r.Message)
			}
			if !strings.Contains(r.Message, tt.wantInText) {
				t.Errorf("message %q does not mention %q", r.Message, tt.wantInText)
			}
			if ca.ContentType != tt.wantType || len(ca.RA) != tt.wantRA {
				t.Errorf("got %s with %d RA, want %s with %d", ca.ContentType, len(ca.RA), tt.wantType, tt.wantRA)
			}
			if !ca.CA.Equal(srv.CA) {
				t.Errorf("CA is %s, want the server's CA", ca.CA.Subject)
			}
			if got, want := detail(r, "CA SHA-256"), scepcheck.Fingerprint(srv.CA, crypto.SHA256); got != want {
				t.Errorf("CA SHA-256 detail = %q, want %q", got, want)
			}
			if detail(r, "CA SHA-1") == "" || detail(r, "CA subject") == "" {
				t.Errorf("details lack SHA-1 or subject: %+v", r.Details)
			}
		})
	}
}

func TestParseCACertErrors(t *testing.T) {
	tests := []struct{ name, contentType, body string }{
		{"unknown content type", "text/html", "<html>"},
		{"DER garbage", scepcheck.ContentTypeCACert, "not a certificate"},
		{"PKCS#7 garbage", scepcheck.ContentTypeCARACert, "not a bundle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := scepcheck.ParseCACert(tt.contentType, []byte(tt.body)); err == nil {
				t.Errorf("ParseCACert(%q) succeeded, want an error", tt.contentType)
			}
		})
	}
}

// testKey is shared by the enrollment tests: generating a 2048-bit key per
// case would dominate the run time and proves nothing more.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, scepcheck.KeyBits)
	if err != nil {
		panic(err)
	}
	return k
})

func subject(cn string) pkix.RDNSequence {
	return pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: cn}}}
}

func TestEnrollTest(t *testing.T) {
	const cn = "Test Mac ma 00000000-0000-0000-0000-000000000000"
	tests := []struct {
		name      string
		opts      oktatest.Options
		challenge func(*oktatest.Server) string
		maxPolls  int
		want      check.Status
		wantErr   func(error) bool
		wantPolls int
	}{
		{name: "issued by CA", want: check.Pass},
		{name: "issued through RA bundle", opts: oktatest.Options{RABundle: true}, want: check.Pass},
		{name: "GET when POST not advertised", opts: oktatest.Options{Caps: []string{"AES", "SHA-256"}}, want: check.Pass},
		{name: "pending then issued", opts: oktatest.Options{PendingPolls: 2}, want: check.Pass, wantPolls: 2},
		{
			name:      "wrong challenge",
			challenge: func(*oktatest.Server) string { return "wrong-challenge-000000000000000000" },
			want:      check.Fail,
			wantErr: func(err error) bool {
				var rej *scepcheck.RejectedError
				return errors.As(err, &rej) && rej.FailInfo == scep.BadRequest
			},
		},
		{
			name: "still pending", opts: oktatest.Options{PendingPolls: 5}, maxPolls: 1, want: check.Fail,
			wantErr: func(err error) bool { return errors.Is(err, scepcheck.ErrStillPending) },
		},
		{
			name: "no digitalSignature", opts: oktatest.Options{OmitDigitalSignature: true}, want: check.Fail,
			wantErr: func(err error) bool {
				var ie *scepcheck.IssuedError
				return errors.As(err, &ie) && strings.Contains(ie.Problem, "digitalSignature")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := oktatest.New(t, tt.opts)
			challenge := srv.NewChallenge()
			if tt.challenge != nil {
				challenge = tt.challenge(srv)
			}
			e, r := scepcheck.EnrollTest(t.Context(), client(), scepcheck.EnrollRequest{
				SCEPURL:   srv.SCEPURL,
				Subject:   subject(cn),
				Challenge: scepcheck.NewChallenge(challenge),
				Clock:     time.Now, // PKCS#7 signing times are wall-clock
				Key:       testKey(),
				MaxPolls:  tt.maxPolls,
			})
			if r.Status != tt.want {
				t.Fatalf("status = %v, want %v (%s)", r.Status, tt.want, r.Message)
			}
			if leaked := strings.Contains(r.Message+r.Fix+fmtDetails(r), challenge); leaked {
				t.Errorf("result shows the challenge")
			}
			if tt.want != check.Pass {
				if r.Fix == "" || !tt.wantErr(r.Err) {
					t.Errorf("got error %v with fix %q, want the expected cause and a fix", r.Err, r.Fix)
				}
				return
			}
			c := e.Certificate
			if c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
				t.Errorf("key usage %v lacks digitalSignature", c.KeyUsage)
			}
			if c.Subject.CommonName != cn {
				t.Errorf("CN = %q, want %q", c.Subject.CommonName, cn)
			}
			if issued := srv.Issued(); len(issued) != 1 || !issued[0].Equal(c) {
				t.Errorf("server issued %d certificates, want exactly the one returned", len(issued))
			}
			if e.Polls != tt.wantPolls {
				t.Errorf("polls = %d, want %d", e.Polls, tt.wantPolls)
			}
		})
	}
}

func fmtDetails(r check.Result) string {
	var b strings.Builder
	for _, d := range r.Details {
		b.WriteString(d.Name + "=" + d.Value + "\n")
	}
	return b.String()
}

func TestEnrollTestReusedChallenge(t *testing.T) {
	srv := oktatest.New(t, oktatest.Options{})
	req := scepcheck.EnrollRequest{
		SCEPURL:   srv.SCEPURL,
		Subject:   subject("Reuse Mac"),
		Challenge: scepcheck.NewChallenge(srv.NewChallenge()),
		Clock:     time.Now,
		Key:       testKey(),
	}
	if _, r := scepcheck.EnrollTest(t.Context(), client(), req); r.Status != check.Pass {
		t.Fatalf("first enrollment: %v: %s", r.Status, r.Message)
	}
	_, r := scepcheck.EnrollTest(t.Context(), client(), req)
	var rej *scepcheck.RejectedError
	if r.Status != check.Fail || !errors.As(r.Err, &rej) || !strings.Contains(r.Fix, "one-time") {
		t.Errorf("second enrollment with the same challenge: %v %v, fix %q; want a badRequest failure", r.Status, r.Err, r.Fix)
	}
	if n := len(srv.Issued()); n != 1 {
		t.Errorf("server issued %d certificates, want 1", n)
	}
}

func TestEnrollValidation(t *testing.T) {
	const u = "https://example.invalid/scep"
	c := scepcheck.NewChallenge("x")
	tests := []struct {
		name        string
		req         scepcheck.EnrollRequest
		wantInvalid bool
	}{
		{"no Subject", scepcheck.EnrollRequest{SCEPURL: u, Challenge: c, Clock: fixedClock}, true},
		{"no challenge", scepcheck.EnrollRequest{SCEPURL: u, Subject: subject("x"), Clock: fixedClock}, true},
		{"no time", scepcheck.EnrollRequest{SCEPURL: u, Subject: subject("x"), Challenge: c}, true},
		{"relative URL", scepcheck.EnrollRequest{SCEPURL: "/scep", Subject: subject("x"), Challenge: c, Clock: fixedClock}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := scepcheck.EnrollTest(t.Context(), client(), tt.req)
			if r.Status != check.Fail || r.Fix == "" {
				t.Fatalf("EnrollTest = %v with fix %q, want a failure with a fix", r.Status, r.Fix)
			}
			if got := errors.Is(r.Err, scepcheck.ErrInvalidRequest); got != tt.wantInvalid {
				t.Errorf("errors.Is(%v, ErrInvalidRequest) = %v, want %v", r.Err, got, tt.wantInvalid)
			}
		})
	}
}

// BenchmarkEnroll measures one loopback enrollment (GetCACaps, GetCACert,
// PKCSReq) with a shared key; BenchmarkKeyGeneration the fresh key doctor
// adds to it.
func BenchmarkEnroll(b *testing.B) {
	srv := oktatest.New(b, oktatest.Options{})
	c := client()
	for b.Loop() {
		_, err := scepcheck.Enroll(b.Context(), c, scepcheck.EnrollRequest{
			SCEPURL: srv.SCEPURL, Subject: subject("Bench Mac"),
			Challenge: scepcheck.NewChallenge(srv.NewChallenge()), Clock: time.Now, Key: testKey(),
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeyGeneration(b *testing.B) {
	for b.Loop() {
		if _, err := rsa.GenerateKey(rand.Reader, scepcheck.KeyBits); err != nil {
			b.Fatal(err)
		}
	}
}

func fixedClock() time.Time { return now }
