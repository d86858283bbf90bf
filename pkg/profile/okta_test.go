package profile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// oktaURLCases are Okta URL pairs and the differences the one comparison
// finds (substrings, in order); TestOktaURLDifferences and the init wizard's
// test hold every entry point to them.
var oktaURLCases = []struct {
	name     string
	scep, ch string
	want     []string
}{
	{"same", oktaSCEP("acme.okta.com", testCA, "rac1"), oktaChal("acme.okta.com", testCA, "rac1"), nil},
	{"host case, CA case, trailing slash", oktaSCEP("ACME.okta.com", strings.ToUpper(testCA), "rac1") + "/", oktaChal("acme.okta.com", testCA, "rac1"), nil},
	{"CA differs", oktaSCEP("acme.okta.com", testCA, "rac1"), oktaChal("acme.okta.com", oktaOtherCA, "rac1"), []string{"Okta CA id differs"}},
	{"RA differs", oktaSCEP("acme.okta.com", testCA, "rac1"), oktaChal("acme.okta.com", testCA, "rac2"), []string{"Okta RA id differs"}},
	{"RA case differs", oktaSCEP("acme.okta.com", testCA, "racA"), oktaChal("acme.okta.com", testCA, "raca"), []string{"Okta RA id differs"}},
	{"host differs", oktaSCEP("acme.okta.com", testCA, "rac1"), oktaChal("other.okta.com", testCA, "rac1"), []string{"host other.okta.com differs"}},
	{"port differs", oktaSCEP("acme.okta.com", testCA, "rac1"), oktaChal("acme.okta.com:8443", testCA, "rac1"), []string{"host acme.okta.com:8443 differs"}},
	{"everything differs", oktaSCEP("acme.okta.com", testCA, "rac1"), oktaChal("other.okta.com", oktaOtherCA, "rac2"), []string{"host", "CA id", "RA id"}},
	// The stricter shape (40-hex CA, "rac" RA) of the former two parsers:
	// a URL outside it is not compared by id, only by host.
	{"CA id not 40 hex", oktaSCEP("acme.okta.com", "abc", "rac1"), oktaChal("acme.okta.com", "abd", "rac1"), nil},
	{"RA id without rac", oktaSCEP("acme.okta.com", testCA, "x1"), oktaChal("acme.okta.com", testCA, "x2"), nil},
	{"not Okta shaped, same host", "https://acme.okta.com/certsrv/mscep/mscep.dll", oktaChal("acme.okta.com", testCA, "rac1"), nil},
	{"not Okta shaped, other host", "https://scep.example.com/certsrv/mscep/mscep.dll", oktaChal("acme.okta.com", testCA, "rac1"), []string{"host acme.okta.com differs"}},
}

// oktaOtherCA is a second well-formed CA id.
const oktaOtherCA = "fedcba9876543210fedcba9876543210fedcba98"

func oktaSCEP(host, ca, ra string) string { return "https://" + host + "/pki/" + ca + "/scep/" + ra }

func oktaChal(host, ca, ra string) string {
	return "https://" + host + "/api/v1/certificateAuthorities/" + ca + "/registrationAuthorities/" + ra + "/challenge"
}

// TestOktaURLDifferences pins the one Okta URL comparison and that Build
// warns with exactly its differences at the Challenge URL.
func TestOktaURLDifferences(t *testing.T) {
	for _, tt := range oktaURLCases {
		t.Run(tt.name, func(t *testing.T) {
			got := OktaURLDifferences(tt.scep, tt.ch)
			if !matchAll(got, tt.want) {
				t.Errorf("OktaURLDifferences = %q, want sentences containing %q", got, tt.want)
			}
			o := exampleOptions()
			o.SCEPURL, o.ChallengeURL = tt.scep, tt.ch
			_, fs, err := Build(o, nil)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			var warned []string
			for _, f := range fs.Warnings() {
				if f.Path == FieldChallengeURL {
					warned = append(warned, f.Message)
				}
			}
			if diff := cmp.Diff(got, warned); diff != "" {
				t.Errorf("Build warns otherwise than OktaURLDifferences (-comparison +Build):\n%s", diff)
			}
		})
	}
}

// matchAll reports whether got has one sentence per want, each containing
// its want in order.
func matchAll(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			return false
		}
	}
	return true
}

// FuzzOktaURLs checks the one Okta URL parser and comparison on any
// input: no panic; ids, when found, have Okta's shape; a URL compared with
// itself under both parsers differs in nothing but its shape.
func FuzzOktaURLs(f *testing.F) {
	for _, c := range oktaURLCases {
		f.Add(c.scep, c.ch)
	}
	f.Fuzz(func(t *testing.T, scepURL, challengeURL string) {
		diff := OktaURLDifferences(scepURL, challengeURL)
		for _, raw := range []string{scepURL, challengeURL} {
			for _, parse := range []func(string) (OktaIDs, bool){ParseOktaSCEPURL, ParseOktaChallengeURL} {
				ids, ok := parse(raw)
				if ok && (len(ids.CA) != 40 || ids.CA != strings.ToLower(ids.CA) || !strings.HasPrefix(ids.RA, "rac")) {
					t.Errorf("parsed %q to ids %+v outside Okta's shape", raw, ids)
				}
			}
		}
		if len(diff) > 3 {
			t.Errorf("%d differences, at most host, CA and RA: %q", len(diff), diff)
		}
		if d := OktaURLDifferences(scepURL, scepURL); len(d) > 0 {
			t.Errorf("a URL differs from itself: %q", d)
		}
	})
}
