package profile

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// OktaIDs are the certificate authority and registration authority ids
// found in an Okta SCEP URL or Challenge URL (docs/jamf-behavior.md,
// 'Okta URLs and challenge').
type OktaIDs struct {
	CA string // 40 hex characters
	RA string // "rac..."
}

var (
	// https://ORG.okta.com/pki/<CA>/scep/<RA>
	oktaSCEPPath = regexp.MustCompile(`^/pki/([0-9A-Fa-f]{40})/scep/(rac[A-Za-z0-9]+)/?$`)
	// https://ORG.okta.com/api/v1/certificateAuthorities/<CA>/registrationAuthorities/<RA>/challenge
	oktaChallengePath = regexp.MustCompile(`^/api/v1/certificateAuthorities/([0-9A-Fa-f]{40})/registrationAuthorities/(rac[A-Za-z0-9]+)/challenge/?$`)
)

// ParseOktaSCEPURL extracts the ids from an Okta SCEP URL
// (https://ORG.okta.com/pki/<40-hex CA id>/scep/<RA id>); ok is false when
// the URL does not have that shape (it may still be a valid SCEP URL).
func ParseOktaSCEPURL(raw string) (ids OktaIDs, ok bool) {
	return matchOkta(raw, oktaSCEPPath)
}

// ParseOktaChallengeURL extracts the ids from an Okta Challenge URL
// (https://ORG.okta.com/api/v1/certificateAuthorities/<CA>/registrationAuthorities/<RA>/challenge);
// ok is false when the URL does not have that shape.
func ParseOktaChallengeURL(raw string) (ids OktaIDs, ok bool) {
	return matchOkta(raw, oktaChallengePath)
}

func matchOkta(raw string, re *regexp.Regexp) (OktaIDs, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return OktaIDs{}, false
	}
	m := re.FindStringSubmatch(u.EscapedPath())
	if m == nil {
		return OktaIDs{}, false
	}
	return OktaIDs{CA: strings.ToLower(m[1]), RA: m[2]}, true
}

// FixOktaURLs is the fix for every difference [OktaURLDifferences] finds.
const FixOktaURLs = "copy both URLs from the same Okta SCEP configuration"

// OktaURLDifferences compares the SCEP URL and the Challenge URL, which
// Okta shows together for one SCEP configuration, and returns one sentence
// per difference, or none:
//
//   - the host (with any port, compared case-insensitively) of two absolute
//     URLs;
//   - the CA id and the RA id, when both URLs have Okta's shape
//     ([ParseOktaSCEPURL], [ParseOktaChallengeURL]); a URL of another shape
//     is not compared by id, since it may still be valid.
//
// A challenge issued by one registration authority is refused by another
// (docs/jamf-behavior.md, 'Okta URLs and challenge'). It is the one
// comparison: [Build] warns with each sentence, and the init wizard refuses
// a Challenge URL that has any.
func OktaURLDifferences(scepURL, challengeURL string) []string {
	var out []string
	s, errS := url.Parse(scepURL)
	c, errC := url.Parse(challengeURL)
	if errS == nil && errC == nil && s.Host != "" && c.Host != "" && !strings.EqualFold(s.Host, c.Host) {
		out = append(out, fmt.Sprintf("Challenge URL host %s differs from SCEP URL host %s", c.Host, s.Host))
	}
	sIDs, okS := ParseOktaSCEPURL(scepURL)
	cIDs, okC := ParseOktaChallengeURL(challengeURL)
	if !okS || !okC {
		return out
	}
	if sIDs.CA != cIDs.CA {
		out = append(out, fmt.Sprintf("Okta CA id differs: SCEP URL has %s, Challenge URL has %s", sIDs.CA, cIDs.CA))
	}
	if sIDs.RA != cIDs.RA {
		out = append(out, fmt.Sprintf("Okta RA id differs: SCEP URL has %s, Challenge URL has %s", sIDs.RA, cIDs.RA))
	}
	return out
}
