package profile

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"

	"github.com/jamf-scep/jamf-scep/profiles"
)

// Value rules. Each rule here is the only statement of what a value may be:
// [Build], [Lint], the config file's validator (config.Validate) and the
// flags of `profile build` all call it, so one value gets one verdict and
// one message wherever it comes from. A rule returns nil when the value is
// acceptable, else a [TextProblem] whose Reason does not repeat a value
// that could be secret and whose Fix says what to write.
//
// A zero value meaning "not set, use the preset" is the caller's business:
// the rules judge values that are set.

// Redistribution bounds in days before the certificate expires. Okta's
// certificates last one year (docs/jamf-behavior.md, 'Okta URLs and
// challenge'), so 365 or more would redistribute before the first
// enrollment; 0 is "never", which leaves Macs without a certificate after a
// year.
const (
	MinRedistributeDays = 1
	MaxRedistributeDays = 364
)

// CheckRedistributeDays judges profile.scep.redistribute_days
// (--redistribute-days, Jamf's "Redistribute Profile N days before
// expiry"): MinRedistributeDays to MaxRedistributeDays.
func CheckRedistributeDays(days int) *TextProblem {
	if days >= MinRedistributeDays && days <= MaxRedistributeDays {
		return nil
	}
	return &TextProblem{
		Reason: fmt.Sprintf("%d is out of range", days),
		Fix: fmt.Sprintf("write %d to %d: days before expiry that Jamf redistributes (Okta certificates last a year; 30 is usual)",
			MinRedistributeDays, MaxRedistributeDays),
	}
}

// CheckKeySize judges profile.scep.key_size (--key-size, the SCEP payload's
// Keysize) in bits: 2048 or 4096. 1024 is refused with its own reason:
// Okta requires 2048-bit keys.
func CheckKeySize(bits int) *TextProblem {
	switch bits {
	case 2048, 4096:
		return nil
	case 1024:
		return &TextProblem{Reason: "1024 is refused: Okta requires 2048-bit keys", Fix: "write 2048 (or 4096)"}
	}
	return &TextProblem{Reason: fmt.Sprintf("%d is not a supported key size", bits), Fix: "write 2048 or 4096"}
}

// identifierRE is a reverse-DNS name: two or more dot-separated labels of
// ASCII letters, digits and '-', the first starting with a letter or
// digit. It is the stricter of the two rules that existed before (the
// config's required a dot, Build's allowed '_' and a single label), so a
// value accepted here is accepted by both.
var identifierRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+$`)

// CheckIdentifier judges profile.identifier (--identifier), the profile's
// top-level PayloadIdentifier: a reverse-DNS name such as
// com.acme.okta-device-access (Apple, TopLevel PayloadIdentifier: "A
// reverse-DNS style identifier").
func CheckIdentifier(id string) *TextProblem {
	if identifierRE.MatchString(id) {
		return nil
	}
	return &TextProblem{Reason: "is not a reverse-DNS identifier", Fix: "write one like com.acme.okta-device-access"}
}

// CheckSCEPServiceURL judges a set profile.scep.url (--scep-url, the SCEP
// payload's URL) or profile.scep.challenge.url (--challenge-url, Jamf's
// "URL To SCEP Admin"): an absolute https URL without credentials, query or
// fragment. Macs and Jamf call it over the network: plain http would carry
// the challenge in the clear, user:password@ would put a password in the
// profile, and a SCEP client appends its own query ("?operation=...", RFC
// 8894 section 3.2) to the URL. The Reason never repeats the URL, which may
// hold a password. An empty value is the caller's to judge (required, or
// not set).
func CheckSCEPServiceURL(raw string) *TextProblem {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return &TextProblem{Reason: "is not an absolute URL", Fix: "write it in full, starting with https://"}
	case u.User != nil:
		return &TextProblem{Reason: "carries credentials", Fix: "remove user:password@ from the URL; credentials are secret references under auth"}
	case u.Scheme != "https":
		return &TextProblem{Reason: "must use https", Fix: "write https://"}
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "#"):
		return &TextProblem{Reason: "has a query or fragment", Fix: "remove everything from ? or #"}
	}
	return nil
}

// CheckPreset judges a set profile.preset (--preset): the name of an
// embedded preset (profiles.Presets).
func CheckPreset(name string) *TextProblem {
	known := profiles.Presets()
	if slices.Contains(known, name) {
		return nil
	}
	return &TextProblem{Reason: "is not a preset name", Fix: "write " + strings.Join(known, " or ") + " or leave it out"}
}

// textLimits are the length limits of the text fields, by config key.
var textLimits = map[string]int{
	FieldName:         MaxNameLength,
	FieldDescription:  MaxDescriptionLength,
	FieldOrganization: MaxNameLength,
	FieldIdentifier:   MaxNameLength,
	FieldSCEPName:     MaxNameLength,
	FieldSubject:      MaxNameLength,
	FieldUsername:     MaxNameLength,
	FieldSCEPURL:      MaxURLLength,
	FieldChallengeURL: MaxURLLength,
	FieldPassword:     MaxSecretLength,
	FieldChallenge:    MaxSecretLength,
}

// CheckLength judges the length of the text s set for field (a Field*
// config key such as [FieldName]) against its limit in characters (see
// MaxNameLength and its siblings); a field without a limit passes. The
// Reason gives the length and the limit, never the value: it may be
// megabytes, or a secret.
func CheckLength(field, s string) *TextProblem {
	limit, ok := textLimits[field]
	if !ok || len(s) <= limit { // bytes >= characters: most values stop here
		return nil
	}
	n := utf8.RuneCountInString(s)
	if n <= limit {
		return nil
	}
	return &TextProblem{
		Reason: fmt.Sprintf("is %d characters long; jamf-scep sends at most %d", n, limit),
		Fix:    fmt.Sprintf("shorten it to %d characters or fewer (check that the value is the one you meant)", limit),
	}
}

// CheckChallengeType judges a set profile.scep.challenge.type
// (--challenge-type): dynamic-microsoft-ca or static, with a "did you
// mean" for a near miss.
func CheckChallengeType(t ChallengeType) *TextProblem {
	known := []string{string(ChallengeDynamicMicrosoftCA), string(ChallengeStatic)}
	if slices.Contains(known, string(t)) {
		return nil
	}
	fix := "write " + strings.Join(known, " or ")
	if s := DidYouMean(string(t), known); s != "" {
		fix = s + " " + fix
	}
	reason := "is not a challenge type"
	if t == "" {
		reason = "is empty"
	}
	return &TextProblem{Reason: reason, Fix: fix}
}

// DidYouMean returns `did you mean "x"?` for the candidate closest to s
// (case-insensitive edit distance under a third of its length), or "".
func DidYouMean(s string, candidates []string) string {
	best, bestDist := "", len(s)/3+1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(strings.ToLower(s), c); d < bestDist || (d == bestDist && best == "" && d <= 2) {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}
