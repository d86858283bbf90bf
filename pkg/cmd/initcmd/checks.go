package initcmd

import (
	"errors"
	"regexp"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// The wizard keeps no rules of its own: every answer is checked by the code
// the flags path runs, profile.Build for profile fields and
// config.Validate for tenant fields, and only the finding for the field
// being asked is shown.

// profileFieldError builds opts and returns the first error finding at
// field as "message; fix", or nil, with the field named as the screen
// shows it (screenLabel, "SCEP URL") instead of its config path and flag.
// Findings about other fields (not asked yet) are ignored.
func profileFieldError(opts profile.Options, d *profile.Dialect, field, screenLabel string) error {
	_, fs, _ := profile.Build(opts, d)
	for _, f := range fs.Errors() {
		if f.Path == field {
			return errors.New(onScreen(f, screenLabel))
		}
	}
	return nil
}

// flagSpelling matches what names a field for the command line, which the
// wizard does not show: a config path with an optional "(--flag ...)", or
// a flag on its own.
var flagSpelling = regexp.MustCompile(`(?:\b(?:profile|scope|tenants)(?:\[\d+\])?(?:\.[a-z_]+)+)(?: \(--[^)]*\))?|--[a-z][a-z-]*`)

// onScreen words a finding for the wizard: the field is named as its
// label, and a fix that only says which key or flag to set (the wizard is
// where it is set) is left out.
func onScreen(f profile.Finding, screenLabel string) string {
	msg := strings.ReplaceAll(f.Message, f.Path, "\x00")
	msg = regexp.MustCompile(`\x00(?: \(--[^)]*\))?`).ReplaceAllString(msg, screenLabel)
	fix := f.Fix
	if flagSpelling.MatchString(fix) {
		fix = ""
	}
	return joinFix(msg, fix)
}

// tenantFieldError validates a config holding only t and returns the
// problem at tenants[0].<field>, or nil.
func tenantFieldError(t config.Tenant, field string) error {
	c := config.Config{Version: config.Version, Tenants: []config.Tenant{t}}
	var ps config.Problems
	if !errors.As(c.Validate(), &ps) {
		return nil
	}
	for _, p := range ps {
		if p.Field == "tenants[0]."+field {
			return errors.New(joinFix(p.Message, p.Fix))
		}
	}
	return nil
}

// challengeURLError checks the Challenge URL as Build does, then refuses
// it when it differs from the SCEP URL (profile.OktaURLDifferences, the
// comparison Build warns with): a challenge from one registration
// authority is refused by another.
func challengeURLError(opts profile.Options, d *profile.Dialect, screenLabel string) error {
	if err := profileFieldError(opts, d, profile.FieldChallengeURL, screenLabel); err != nil {
		return err
	}
	if diff := profile.OktaURLDifferences(opts.SCEPURL, opts.ChallengeURL); len(diff) > 0 {
		return errors.New(joinFix(strings.Join(diff, "; "), profile.FixOktaURLs))
	}
	return nil
}

// required refuses an empty answer, naming what to type.
func required(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(what + " is required")
		}
		return nil
	}
}

func joinFix(msg, fix string) string {
	if fix == "" {
		return msg
	}
	return msg + "; " + fix
}
