package profile

import (
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
