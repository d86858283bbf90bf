package cmdutil

import (
	"context"
	"fmt"
	"os"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// withheld stands in for a secret that exists as a reference but was not
// read, because the output will not contain it (a `profile build` without
// --include-secrets, a plan). It satisfies Build's "required" checks and is
// never rendered: RenderOptions.IncludeSecrets is false whenever it is used.
const withheld = profile.Secret("(withheld)")

// ProfileOptions maps the profile section of a config to profile.Options.
// Secret references are resolved only when resolve is true; otherwise a
// set reference is passed as a placeholder that the rendering leaves out, so
// building a profile without its secrets needs no environment variable or
// keychain. A reference that does not resolve is an error naming the
// config field.
func ProfileOptions(ctx context.Context, p config.Profile, res secret.Resolver, resolve bool) (profile.Options, error) {
	opts := profile.Options{
		Preset:           p.Preset,
		Name:             p.Name,
		Description:      p.Description,
		Organization:     p.Organization,
		Identifier:       p.Identifier,
		SCEPURL:          p.SCEP.URL,
		SCEPName:         p.SCEP.Name,
		Subject:          p.SCEP.Subject,
		KeySize:          p.SCEP.KeySize,
		RedistributeDays: p.SCEP.RedistributeDays,
		ChallengeType:    profile.ChallengeType(p.SCEP.Challenge.Type),
		ChallengeURL:     p.SCEP.Challenge.URL,
		Username:         p.SCEP.Challenge.Username,
	}
	var err error
	if opts.Password, err = readSecret(ctx, res, p.SCEP.Challenge.Password, profile.FieldPassword, resolve); err != nil {
		return opts, err
	}
	if opts.Challenge, err = readSecret(ctx, res, p.SCEP.Challenge.Secret, profile.FieldChallenge, resolve); err != nil {
		return opts, err
	}
	return opts, nil
}

func readSecret(ctx context.Context, res secret.Resolver, ref secret.Ref, field string, resolve bool) (profile.Secret, error) {
	switch {
	case ref.IsZero():
		return "", nil
	case !resolve:
		return withheld, nil
	}
	v, err := res.Resolve(ctx, ref)
	if err != nil {
		return "", &UsageError{Err: fmt.Errorf("%s (%s): %w", field, ref, err)}
	}
	return profile.Secret(v.Reveal()), nil
}

// LoadDialect returns the Jamf dialect: the file at path (--jamf-dialect or
// profile.jamf_dialect) or, for "", the embedded default, which documents
// that its Jamf key names are inferred.
func LoadDialect(path string) (*profile.Dialect, error) {
	if path == "" {
		return profile.DefaultDialect(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, UsageErrorf("jamf dialect: %v; check --jamf-dialect or profile.jamf_dialect", err)
	}
	d, err := profile.ParseDialect(data)
	if err != nil {
		return nil, UsageErrorf("jamf dialect %s: %v", path, err)
	}
	return d, nil
}
