package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// JamfError gives an error from the Jamf client its exit code and a hint,
// once for every command:
//
//   - 401 and 403: ExitAuth, with jamf.Advice (check the credentials;
//     the privilege the request needed);
//   - two profiles or objects with one name: ExitConflict, suggest --profile-id;
//   - names that do not resolve (with close matches): ExitNotFound;
//   - 404: ExitNotFound;
//   - a 404 from the token endpoint, a host name that does not resolve,
//     an untrusted certificate, a refused connection: a hint at the url
//     (jamf.Advice).
//
// Other errors, and errors already carrying an exit code, pass through.
func JamfError(err error) error {
	var coded *CodedError
	var amb *jamf.AmbiguousNameError
	var unresolved *jamf.UnresolvedError
	switch {
	case err == nil || errors.As(err, &coded):
		return err
	case errors.As(err, &amb):
		return WithExitCode(ExitConflict, fmt.Errorf("%w; pass --profile-id with one of them, usually the oldest, id %s (lowest id: created first; two runs less than a minute apart on Jamf Cloud can each create one)", err, amb.IDs[0]))
	case errors.As(err, &unresolved):
		if errors.Is(err, jamf.ErrNotFound) {
			return WithExitCode(ExitNotFound, err)
		}
		return WithExitCode(ExitConflict, err)
	case errors.Is(err, jamf.ErrUnauthorized), errors.Is(err, jamf.ErrForbidden):
		return WithExitCode(ExitAuth, fmt.Errorf("%w; %s", err, jamf.Advice(err)))
	case errors.Is(err, jamf.ErrNotFound):
		return WithExitCode(ExitNotFound, err)
	}
	if a := jamf.Advice(err); a != "" {
		return fmt.Errorf("%w; %s", err, a)
	}
	return err
}

// TenantOptions are the options every Jamf client of the run is built
// with (tenant.Connect): secret references resolved through f.LookupEnv,
// files and the keychain; --debug logging to f.Logger(); --capture
// (f.ClientOptions); then extra, e.g. a per-request timeout.
func (f *Factory) TenantOptions(extra ...jamf.Option) tenant.Options {
	return tenant.Options{
		Resolver:      secret.Resolver{LookupEnv: f.LookupEnv},
		Logger:        f.Logger(),
		ClientOptions: append(f.ClientOptions(), extra...),
	}
}

// Connect returns t's client built with f.TenantOptions. A tenant whose
// credentials do not resolve is a usage error.
func (f *Factory) Connect(ctx context.Context, t config.Tenant) (*jamf.Client, error) {
	c, err := tenant.Connect(ctx, t, f.TenantOptions())
	if err != nil {
		return nil, &UsageError{Err: err}
	}
	return c, nil
}

// OneTenant returns the effective config of the tenant named name, or of
// the only tenant when name is empty. Several tenants and no name is a
// usage error listing them.
func OneTenant(cfg *config.Config, name string) (config.Effective, error) {
	var filter []string
	if name != "" {
		filter = []string{name}
	}
	tenants, err := cfg.Select(filter)
	if err != nil {
		return config.Effective{}, &UsageError{Err: err}
	}
	if len(tenants) > 1 {
		names := make([]string, len(tenants))
		for i, tn := range tenants {
			names[i] = tn.Name
		}
		return config.Effective{}, UsageErrorf("the config has %d tenants (%s); pick one with --tenant", len(tenants), strings.Join(names, ", "))
	}
	eff, err := cfg.Effective(tenants[0].Name)
	if err != nil {
		return config.Effective{}, &UsageError{Err: err}
	}
	return eff, nil
}

// FindProfile returns the macOS configuration profile with id (when > 0)
// or exactly named name on tenantName's client, with exit codes and hints:
// none is ExitNotFound; two with the name is ExitConflict listing their ids
// and suggesting --profile-id.
func FindProfile(ctx context.Context, c *jamf.Client, tenantName, name string, id int) (*jamf.Profile, error) {
	if id > 0 {
		p, err := c.GetProfile(ctx, id)
		if errors.Is(err, jamf.ErrNotFound) {
			return nil, WithExitCode(ExitNotFound, fmt.Errorf("no macOS configuration profile has id %d on tenant %s; see Computers > Configuration Profiles in Jamf Pro (a profile created less than a minute ago may be missing on a Jamf Cloud node that has not seen it yet: wait a minute and rerun)", id, tenantName))
		}
		return p, JamfError(err)
	}
	if name == "" {
		return nil, UsageErrorf("no profile given; pass --profile NAME or --profile-id N, or set profile.name in the config")
	}
	p, err := c.FindProfileByName(ctx, name)
	var amb *jamf.AmbiguousNameError
	if err != nil && !errors.As(err, &amb) && errors.Is(err, jamf.ErrNotFound) {
		hint := ""
		if pnf := (*jamf.ProfileNotFoundError)(nil); errors.As(err, &pnf) {
			hint = pnf.DidYouMean()
		}
		return nil, WithExitCode(ExitNotFound, fmt.Errorf("no macOS configuration profile is named %q on tenant %s%s; check --profile (or profile.name in the config), or use --profile-id", name, tenantName, hint))
	}
	return p, JamfError(err)
}
