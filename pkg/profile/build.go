package profile

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Options are the resolved inputs of [Build]: plain values from flags and
// the config file, secrets already read from their references. A zero
// field takes the preset's default. Field comments give the config key and
// flag that set each one.
type Options struct {
	Preset       string // profile.preset; "" = okta-device-access
	Name         string // profile.name, --profile-name: PayloadDisplayName (Jamf general name)
	Description  string // profile.description, --description
	Organization string // profile.organization, --organization
	Identifier   string // profile.identifier, --identifier: top-level PayloadIdentifier offline

	SCEPURL          string        // profile.scep.url, --scep-url
	SCEPName         string        // profile.scep.name, --scep-name
	Subject          string        // profile.scep.subject, --subject
	KeySize          int           // profile.scep.key_size, --key-size: 2048 | 4096
	RedistributeDays int           // profile.scep.redistribute_days, --redistribute-days: 1..364
	ChallengeType    ChallengeType // profile.scep.challenge.type, --challenge-type
	ChallengeURL     string        // profile.scep.challenge.url, --challenge-url (dynamic)
	Username         string        // profile.scep.challenge.username, --username (dynamic)
	Password         secret.Value  // profile.scep.challenge.password (dynamic)
	Challenge        secret.Value  // profile.scep.challenge.secret (static)

	// ProfileID is the Jamf profile id when known (> 0); it makes the
	// Subject budget exact.
	ProfileID int
}

// Config keys of each input, used as Finding paths.
const (
	FieldPreset           = "profile.preset"
	FieldName             = "profile.name"
	FieldDescription      = "profile.description"
	FieldOrganization     = "profile.organization"
	FieldIdentifier       = "profile.identifier"
	FieldSCEPURL          = "profile.scep.url"
	FieldSCEPName         = "profile.scep.name"
	FieldSubject          = "profile.scep.subject"
	FieldKeySize          = "profile.scep.key_size"
	FieldRedistributeDays = "profile.scep.redistribute_days"
	FieldChallengeType    = "profile.scep.challenge.type"
	FieldChallengeURL     = "profile.scep.challenge.url"
	FieldUsername         = "profile.scep.challenge.username"
	FieldPassword         = "profile.scep.challenge.password"
	FieldChallenge        = "profile.scep.challenge.secret"
)

// fieldFlags maps config keys to the flags that set them, for messages.
var fieldFlags = map[string]string{
	FieldName:             "--profile-name",
	FieldDescription:      "--description",
	FieldOrganization:     "--organization",
	FieldIdentifier:       "--identifier",
	FieldSCEPURL:          "--scep-url",
	FieldSCEPName:         "--scep-name",
	FieldSubject:          "--subject",
	FieldKeySize:          "--key-size",
	FieldRedistributeDays: "--redistribute-days",
	FieldChallengeType:    "--challenge-type",
	FieldChallengeURL:     "--challenge-url",
	FieldUsername:         "--username",
	FieldPassword:         "--password-stdin or --password-file",
}

// label names a field for messages: "profile.scep.url (--scep-url)".
func label(field string) string {
	if f, ok := fieldFlags[field]; ok {
		return field + " (" + f + ")"
	}
	return field
}

// Build validates opts and builds the profile. The dialect d (nil:
// [DefaultDialect]) places Jamf's own settings.
//
// It returns every finding (errors, warnings, info) and, when any finding
// is an error, a nil profile and a *[FindingsError] holding all errors.
// Output is deterministic: the same inputs give a byte-identical rendering.
func Build(opts Options, d *Dialect) (*Profile, Findings, error) {
	if d == nil {
		d = DefaultDialect()
	}
	var fs Findings
	add := func(sev Severity, field, fix, format string, a ...any) {
		fs = append(fs, Finding{Severity: sev, Path: field, Message: fmt.Sprintf(format, a...), Fix: fix})
	}
	if opts.Preset != "" {
		if p := CheckPreset(opts.Preset); p != nil {
			add(SeverityError, FieldPreset, p.Fix, "%s: %s", FieldPreset, p.Reason)
			return nil, fs, fs.Err()
		}
	}
	preset, err := LoadPreset(opts.Preset)
	if err != nil {
		add(SeverityError, FieldPreset, "remove profile.preset to use okta-device-access", "%v", err)
		return nil, fs, fs.Err()
	}
	opts = applyPreset(opts, preset)

	if checkTextLengths(&fs, opts) {
		return nil, fs, fs.Err()
	}
	// Every string Jamf stores follows one rule (CheckJamfText); the
	// Subject's values are checked after parsing (Subject.Check).
	if opts.Name == "" {
		add(SeverityError, FieldName, "set profile.name or --profile-name", "%s is empty", label(FieldName))
	}
	for _, t := range []struct{ field, value string }{
		{FieldName, opts.Name},
		{FieldDescription, opts.Description},
		{FieldOrganization, opts.Organization},
		{FieldSCEPName, opts.SCEPName},
		{FieldUsername, opts.Username},
		{FieldSCEPURL, opts.SCEPURL},
		{FieldChallengeURL, opts.ChallengeURL},
	} {
		checkJamfText(&fs, t.field, t.value, false)
	}
	checkJamfText(&fs, FieldPassword, opts.Password.Reveal(), true)
	checkJamfText(&fs, FieldChallenge, opts.Challenge.Reveal(), true)

	if p := CheckIdentifier(opts.Identifier); p != nil {
		add(SeverityError, FieldIdentifier, p.Fix, "%s: %s", label(FieldIdentifier), p.Reason)
	} else if opts.Identifier == preset.Identifier {
		add(SeverityInfo, FieldIdentifier, "set profile.identifier to your own reverse-DNS name, e.g. com.acme.okta-device-access",
			"using the preset's identifier %s", opts.Identifier)
	}

	scepURL := checkHTTPS(&fs, FieldSCEPURL, opts.SCEPURL, "paste the SCEP URL Okta showed, https://ORG.okta.com/pki/<CA id>/scep/<RA id>")

	if p := CheckKeySize(opts.KeySize); p != nil {
		add(SeverityError, FieldKeySize, p.Fix, "%s: %s", label(FieldKeySize), p.Reason)
	}
	if p := CheckRedistributeDays(opts.RedistributeDays); p != nil {
		add(SeverityError, FieldRedistributeDays, p.Fix, "%s: %s", label(FieldRedistributeDays), p.Reason)
	}

	switch opts.ChallengeType {
	case ChallengeDynamicMicrosoftCA:
		chURL := checkHTTPS(&fs, FieldChallengeURL, opts.ChallengeURL, "paste the Challenge URL Okta showed")
		if opts.Username == "" {
			add(SeverityError, FieldUsername, "paste the username Okta showed (okta-XXXXXX)", "%s is required for dynamic-microsoft-ca", label(FieldUsername))
		}
		if opts.Password.IsZero() {
			add(SeverityError, FieldPassword, "give it with --password-stdin, --password-file or an env: reference in profile.scep.challenge.password",
				"%s is required for dynamic-microsoft-ca", label(FieldPassword))
		} else if f := d.Fields.Password; f.Key != "" {
			add(SeverityWarning, FieldPassword, "create one profile in the Jamf GUI, read it back and correct the dialect (--jamf-dialect) before scoping widely",
				"the password is written under the inferred Jamf key %s; if Jamf does not consume that key, every Mac in scope receives the password", f.describe())
		}
		if !opts.Challenge.IsZero() {
			add(SeverityWarning, FieldChallenge, "remove profile.scep.challenge.secret", "%s is ignored in dynamic-microsoft-ca mode", FieldChallenge)
		}
		if scepURL != nil && chURL != nil {
			checkOktaIDs(&fs, scepURL, chURL)
		}
	case ChallengeStatic:
		if opts.Challenge.IsZero() {
			add(SeverityError, FieldChallenge, "give it as an env:, file: or keychain: reference in profile.scep.challenge.secret",
				"%s is required for static mode", FieldChallenge)
		}
		for _, f := range []struct{ field, v string }{{FieldChallengeURL, opts.ChallengeURL}, {FieldUsername, opts.Username}, {FieldPassword, opts.Password.Reveal()}} {
			if f.v != "" {
				add(SeverityWarning, f.field, "remove it, or use --challenge-type dynamic-microsoft-ca", "%s is ignored in static mode", label(f.field))
			}
		}
	default:
		p := CheckChallengeType(opts.ChallengeType)
		add(SeverityError, FieldChallengeType, p.Fix, "%s: %s", label(FieldChallengeType), p.Reason)
	}

	subject, err := ParseSubject(opts.Subject)
	if err == nil {
		err = subject.Check()
	}
	if err != nil {
		for _, e := range unjoin(err) {
			add(SeverityError, FieldSubject, "e.g. CN=$COMPUTERNAME ma $UDID", "%s: %v", label(FieldSubject), e)
		}
	} else {
		fs = append(fs, SubjectBudget(subject, opts.ProfileID, d).findings(func(p string) string {
			return FieldSubject + strings.TrimPrefix(p, "Subject")
		})...)
	}

	if fs.HasErrors() {
		return nil, fs, fs.Err()
	}

	topUUID, scepUUID, scepID := DeriveIdentity(opts.Identifier)
	p := &Profile{
		PayloadIdentifier:   opts.Identifier,
		PayloadUUID:         topUUID,
		PayloadVersion:      1,
		PayloadScope:        preset.PayloadScope,
		PayloadDisplayName:  opts.Name,
		PayloadDescription:  opts.Description,
		PayloadOrganization: opts.Organization,
		SCEP: SCEPPayload{
			PayloadIdentifier:  scepID,
			PayloadUUID:        scepUUID,
			PayloadVersion:     1,
			PayloadDisplayName: "SCEP",
			Content: SCEPContent{
				URL:                opts.SCEPURL,
				Name:               opts.SCEPName,
				Subject:            subject,
				Keysize:            new(opts.KeySize),
				KeyType:            preset.SCEP.KeyType,
				KeyUsage:           new(*preset.SCEP.KeyUsage),
				KeyIsExtractable:   new(*preset.SCEP.KeyIsExtractable),
				AllowAllAppsAccess: new(*preset.SCEP.AllowAllAppsAccess),
				Retries:            new(*preset.SCEP.Retries),
				RetryDelay:         new(*preset.SCEP.RetryDelay),
			},
		},
		Jamf: JamfSettings{
			ChallengeType:    opts.ChallengeType,
			RedistributeDays: opts.RedistributeDays,
		},
	}
	if opts.ChallengeType == ChallengeStatic {
		p.SCEP.Content.Challenge = opts.Challenge
	} else {
		p.Jamf.ChallengeURL = opts.ChallengeURL
		p.Jamf.Username = opts.Username
		p.Jamf.Password = opts.Password
	}
	return p, fs, nil
}

// applyPreset fills zero options from the preset.
func applyPreset(o Options, p *Preset) Options {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&o.Name, p.DisplayName)
	def(&o.Description, p.Description)
	def(&o.Identifier, p.Identifier)
	def(&o.SCEPName, p.SCEP.Name)
	def(&o.Subject, p.SCEP.Subject)
	if o.KeySize == 0 {
		o.KeySize = p.SCEP.KeySize
	}
	if o.RedistributeDays == 0 {
		o.RedistributeDays = p.SCEP.RedistributeDays
	}
	if o.ChallengeType == "" {
		o.ChallengeType = p.SCEP.ChallengeType
	}
	return o
}

// checkHTTPS requires a SCEP service URL and judges it with
// [CheckSCEPServiceURL]; it returns the URL parsed, or nil after adding an
// error finding (fix says where to find the URL when it is missing).
func checkHTTPS(fs *Findings, field, raw, fix string) *url.URL {
	if raw == "" {
		*fs = append(*fs, Finding{Severity: SeverityError, Path: field, Message: label(field) + " is required", Fix: fix})
		return nil
	}
	if p := CheckSCEPServiceURL(raw); p != nil {
		*fs = append(*fs, Finding{Severity: SeverityError, Path: field, Message: label(field) + ": " + p.Reason, Fix: p.Fix})
		return nil
	}
	u, _ := url.Parse(raw) // CheckSCEPServiceURL parsed it
	return u
}

// checkOktaIDs warns with each difference between the Okta URLs
// ([OktaURLDifferences]).
func checkOktaIDs(fs *Findings, scepURL, chURL *url.URL) {
	for _, d := range OktaURLDifferences(scepURL.String(), chURL.String()) {
		*fs = append(*fs, Finding{Severity: SeverityWarning, Path: FieldChallengeURL, Message: d, Fix: FixOktaURLs})
	}
}

// unjoin returns the errors an errors.Join holds, or err alone, so each
// becomes its own finding.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
