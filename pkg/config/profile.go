package config

import (
	"context"
	"errors"
	"fmt"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// ErrInvalid marks errors caused by the user's input (a secret reference
// that does not resolve, an unreadable dialect file): the command layer
// reports them as usage errors. Test with errors.Is.
var ErrInvalid = errors.New("invalid configuration")

// withheld stands in for a secret that exists as a reference but was not
// read, because the output will not contain it (a `profile build` without
// --include-secrets, `config validate`). It satisfies Build's "required"
// checks and is never rendered: RenderOptions.IncludeSecrets is false
// whenever it is used.
var withheld = secret.New("(withheld)")

// ProfileOptions maps a profile section to profile.Options. Secret
// references are resolved only when resolve is true; otherwise a set
// reference is passed as a placeholder that the rendering leaves out, so
// building a profile without its secrets needs no environment variable or
// keychain. A reference that does not resolve is an error naming the field
// that wraps ErrInvalid.
func ProfileOptions(ctx context.Context, p Profile, res secret.Resolver, resolve bool) (profile.Options, error) {
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

func readSecret(ctx context.Context, res secret.Resolver, ref secret.Ref, field string, resolve bool) (secret.Value, error) {
	switch {
	case ref.IsZero():
		return secret.Value{}, nil
	case !resolve && ref.Kind() != secret.Given: // a given secret is in memory: judge it
		return withheld, nil
	}
	v, err := res.Resolve(ctx, ref)
	if err != nil {
		return secret.Value{}, fmt.Errorf("%w: %s (%s): %w", ErrInvalid, field, ref, err)
	}
	return v, nil
}

// DialectFor is the one way every command loads the Jamf dialect: the
// --jamf-dialect flag when given, else the profile's jamf_dialect (pass the
// tenant's effective profile, so an override applies), else the embedded
// default. Errors wrap ErrInvalid.
func DialectFor(flag string, p Profile) (*profile.Dialect, error) {
	return LoadDialect(Pick(flag, "", p.JamfDialect, ""))
}

// LoadDialect returns the Jamf dialect: the file at path (--jamf-dialect or
// profile.jamf_dialect) or, for "", the embedded default, which documents
// that its Jamf key names are inferred. Errors wrap ErrInvalid.
func LoadDialect(path string) (*profile.Dialect, error) {
	if path == "" {
		return profile.DefaultDialect(), nil
	}
	data, err := readFile(path)
	if isTooLarge(err) {
		return nil, fmt.Errorf("%w: jamf dialect %s is larger than %d MiB, the most jamf-scep reads; check --jamf-dialect or profile.jamf_dialect", ErrInvalid, path, MaxFileSize>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: jamf dialect %w; check --jamf-dialect or profile.jamf_dialect", ErrInvalid, err)
	}
	d, err := profile.ParseDialect(data)
	if err != nil {
		return nil, fmt.Errorf("%w: jamf dialect %s: %w", ErrInvalid, path, err)
	}
	return d, nil
}
