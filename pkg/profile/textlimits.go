package profile

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
// than its limit ([CheckLength]). It reports whether any was too long;
// Build then stops, so no other check quotes the value.
func checkTextLengths(fs *Findings, opts Options) bool {
	tooLong := false
	for _, t := range []struct{ field, value string }{
		{FieldName, opts.Name},
		{FieldDescription, opts.Description},
		{FieldOrganization, opts.Organization},
		{FieldIdentifier, opts.Identifier},
		{FieldSCEPName, opts.SCEPName},
		{FieldSubject, opts.Subject},
		{FieldUsername, opts.Username},
		{FieldSCEPURL, opts.SCEPURL},
		{FieldChallengeURL, opts.ChallengeURL},
		{FieldPassword, opts.Password.Reveal()},
		{FieldChallenge, opts.Challenge.Reveal()},
	} {
		if p := CheckLength(t.field, t.value); p != nil {
			tooLong = true
			*fs = append(*fs, Finding{Severity: SeverityError, Path: t.field, Message: label(t.field) + " " + p.Reason, Fix: p.Fix})
		}
	}
	return tooLong
}
