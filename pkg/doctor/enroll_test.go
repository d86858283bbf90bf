package doctor

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509/pkix"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/pkg/okta/oktatest"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck/sceptest"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// staticTarget is an Okta static-challenge target for scepURL with the
// Subject template subject; the challenge comes from $STATIC_CHALLENGE.
func staticTarget(t *testing.T, scepURL, subject string) *target {
	t.Helper()
	s, err := profile.ParseSubject(subject)
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{prof: &profile.Profile{}, opts: profile.Options{ChallengeType: profile.ChallengeStatic}}
	tg.prof.SCEP.Content.URL = scepURL
	tg.prof.SCEP.Content.Subject = s
	tg.cfg.SCEP.Challenge.Secret = secret.EnvRef("STATIC_CHALLENGE")
	return tg
}

// testKey is shared by the enrollment tests: a fresh RSA key per run would
// dominate the run time and prove nothing more.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func testEnv(challenge string) Env {
	return Env{
		GenerateKey: func(int) (*rsa.PrivateKey, error) { return testKey(), nil },
		Now:         time.Now,
		Resolver:    secret.Resolver{LookupEnv: func(k string) (string, bool) { return challenge, k == "STATIC_CHALLENGE" }},
		HTTPClient:  scepcheck.NewHTTPClient(10*time.Second, nil),
	}
}

// TestEnrollTestUniqueSubject: micromdm refuses a second certificate for a
// CN it issued; each doctor run requests a new Subject, so repeated runs
// pass, whether or not the template uses a per-Mac variable.
func TestEnrollTestUniqueSubject(t *testing.T) {
	const challenge = "static-challenge-doctor"
	for _, tmpl := range []string{"CN=$COMPUTERNAME ma $UDID", "CN=$COMPUTERNAME", "O=ACME,CN=Okta Device"} {
		t.Run(tmpl, func(t *testing.T) {
			srv := sceptest.New(t, sceptest.Options{Challenge: challenge})
			tg := staticTarget(t, srv.URL, tmpl)
			for run := range 3 {
				if r := enrollTest(t.Context(), tg, testEnv(challenge), scepcheck.Challenge{}); r.Status == check.Fail {
					t.Fatalf("run %d: %s (fix: %s)", run+1, r.Message, r.Fix)
				}
			}
			seen := map[string]bool{}
			for _, c := range srv.Issued() {
				if seen[c.Subject.CommonName] {
					t.Errorf("CN %q requested twice", c.Subject.CommonName)
				}
				seen[c.Subject.CommonName] = true
			}
			if len(seen) != 3 {
				t.Errorf("%d distinct certificates issued, want 3", len(seen))
			}
		})
	}
}

// TestEnrollTestCAClockSkew: a CA that stamps notBefore at issuance with
// its clock 30 s ahead or behind passes every run (a warning naming the
// clock when ahead); one further ahead than SkewLimit fails.
func TestEnrollTestCAClockSkew(t *testing.T) {
	const runs = 50
	tests := []struct {
		offset time.Duration
		want   check.Status
		msg    string // a regular expression
	}{
		{0, check.Pass, "digitalSignature key usage; the CA issued"},
		{-30 * time.Second, check.Pass, "digitalSignature key usage; the CA issued"},
		// notBefore has whole seconds: 29 s when the cut and the round
		// trip add up to more than a second.
		{30 * time.Second, check.Warn, "the CA's clock is about (29|30) s ahead"},
		{SkewLimit + time.Minute, check.Fail, "the CA's clock is about 3(59|60) s ahead, more than the 5m0s allowed"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.offset), func(t *testing.T) {
			srv := oktatest.New(t, oktatest.Options{StampAtIssuance: true, ClockOffset: tt.offset})
			tg := staticTarget(t, srv.SCEPURL, "CN=$COMPUTERNAME ma $UDID")
			n := runs
			switch {
			case tt.want == check.Fail:
				n = 1
			case tt.offset == 0:
				n = 10 // the in-sync clock needs no 50-run proof
			}
			var challenge string
			env := testEnv("")
			env.Resolver.LookupEnv = func(string) (string, bool) { return challenge, true }
			for run := range n {
				challenge = srv.NewChallenge()
				r := enrollTest(t.Context(), tg, env, scepcheck.Challenge{})
				if r.Status != tt.want || !regexp.MustCompile(tt.msg).MatchString(r.Message) {
					t.Fatalf("run %d of %d: %v %q, want %v containing %q", run+1, n, r.Status, r.Message, tt.want, tt.msg)
				}
			}
		})
	}
}

func TestTestSubject(t *testing.T) {
	mac, err := NewTestMac(bytes.NewReader(bytes.Repeat([]byte{0xA5}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 60)
	tests := []struct {
		tmpl, wantCN string
	}{
		{"CN=$COMPUTERNAME ma $UDID", "jamf-scep-doctor ma A5A5A5A5-A5A5-45A5-A5A5-A5A5A5A5A5A5"},
		{"CN=$COMPUTERNAME $PROFILE_IDENTIFIER", "jamf-scep-doctor " + mac["PROFILE_IDENTIFIER"]},
		{"CN=$COMPUTERNAME", "jamf-scep-doctor " + mac["PROFILE_IDENTIFIER"]},
		{"CN=" + long, long[:57] + " " + mac["PROFILE_IDENTIFIER"]},
		{"CN=" + long + long, (long + long)[:113] + " " + mac["PROFILE_IDENTIFIER"]},
	}
	for _, tt := range tests {
		s, err := profile.ParseSubject(tt.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		got, err := testSubject(s, mac)
		if err != nil {
			t.Fatal(err)
		}
		var n pkix.Name
		n.FillFromRDNSequence(&got)
		if n.CommonName != tt.wantCN {
			t.Errorf("testSubject(%s) CN = %q, want %q", tt.tmpl, n.CommonName, tt.wantCN)
		}
		if l := utf8.RuneCountInString(n.CommonName); l > maxCN && len(tt.tmpl) < 3+maxCN {
			t.Errorf("testSubject(%s) CN has %d characters, over %d", tt.tmpl, l, maxCN)
		}
	}
	other, err := NewTestMac(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range uniqueVars {
		if mac[k] == other[k] {
			t.Errorf("$%s is %q in two runs", k, mac[k])
		}
	}
}
