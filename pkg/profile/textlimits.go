package profile

import (
	"fmt"
	"unicode/utf8"
)

// Length limits on the text jamf-scep writes to a tenant, in characters
// (Unicode code points). Jamf Pro does not publish the sizes of its
// columns; these are jamf-scep's choice: far above any real value, low
// enough that a wrong file or a pasted blob is refused before it is sent
// as a request of megabytes.
const (
	// MaxDescriptionLength caps profile.description (--description).
	MaxDescriptionLength = 4096
	// MaxNameLength caps the profile name (255, the longest name Jamf Pro
	// API schemas allow for any object), the organization, the SCEP
	// payload name, the identifier, the challenge username and the Subject.
	MaxNameLength = 255
	// MaxURLLength caps the SCEP and challenge URLs.
	MaxURLLength = 2048
	// MaxSecretLength caps the challenge password and the static challenge.
	MaxSecretLength = 1024
)

// checkTextLengths adds an error Finding for every field of opts longer
// than its limit, naming the field, its length and the limit (never the
// value: it may be megabytes, or a secret). It reports whether any was too
// long; Build then stops, so no other check quotes the value.
func checkTextLengths(fs *Findings, opts Options) bool {
	tooLong := false
	for _, t := range []struct {
		field, value string
		max          int
	}{
		{FieldName, opts.Name, MaxNameLength},
		{FieldDescription, opts.Description, MaxDescriptionLength},
		{FieldOrganization, opts.Organization, MaxNameLength},
		{FieldIdentifier, opts.Identifier, MaxNameLength},
		{FieldSCEPName, opts.SCEPName, MaxNameLength},
		{FieldSubject, opts.Subject, MaxNameLength},
		{FieldUsername, opts.Username, MaxNameLength},
		{FieldSCEPURL, opts.SCEPURL, MaxURLLength},
		{FieldChallengeURL, opts.ChallengeURL, MaxURLLength},
		{FieldPassword, opts.Password.Reveal(), MaxSecretLength},
		{FieldChallenge, opts.Challenge.Reveal(), MaxSecretLength},
	} {
		if len(t.value) <= t.max { // bytes >= characters: most values stop here
			continue
		}
		if n := utf8.RuneCountInString(t.value); n > t.max {
			tooLong = true
			*fs = append(*fs, Finding{
				Severity: SeverityError, Path: t.field,
				Message: fmt.Sprintf("%s is %d characters long; jamf-scep sends at most %d", label(t.field), n, t.max),
				Fix:     fmt.Sprintf("shorten it to %d characters or fewer (check that the value is the one you meant)", t.max),
			})
		}
	}
	return tooLong
}
