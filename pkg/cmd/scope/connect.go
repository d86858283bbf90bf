package scope

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// Target says which profile on which tenant a scope command works on.
type Target struct {
	// Tenant is --tenant; empty is fine when the config has one tenant.
	Tenant string
	// ProfileName is --profile; empty means the config's profile.name.
	ProfileName string
	// ProfileID is --profile-id; it wins over any name.
	ProfileID int
}

// session is a connected tenant and the profile found there.
type session struct {
	tenant  string
	client  *jamf.Client
	profile *jamf.Profile
}

// open connects the tenant t names and fetches the profile. The caller
// closes s.client.
func open(ctx context.Context, f *cmdutil.Factory, t Target) (*session, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	var filter []string
	if t.Tenant != "" {
		filter = []string{t.Tenant}
	}
	tenants, err := cfg.Select(filter)
	if err != nil {
		return nil, cmdutil.WithExitCode(cmdutil.ExitUsage, err)
	}
	if len(tenants) > 1 {
		names := make([]string, len(tenants))
		for i, tn := range tenants {
			names[i] = tn.Name
		}
		return nil, cmdutil.UsageErrorf("the config has %d tenants (%s); pick one with --tenant", len(tenants), strings.Join(names, ", "))
	}
	eff, err := cfg.Effective(tenants[0].Name)
	if err != nil {
		return nil, cmdutil.WithExitCode(cmdutil.ExitUsage, err)
	}
	name := config.Pick(t.ProfileName, "", eff.Profile.Name, "")
	if t.ProfileID == 0 && name == "" {
		return nil, cmdutil.UsageErrorf("no profile given; pass --profile NAME or --profile-id N, or set profile.name in the config")
	}
	c, err := tenant.Connect(ctx, eff.Tenant, tenant.Options{
		Resolver: secret.Resolver{LookupEnv: f.LookupEnv},
		Logger:   f.Logger(),
	})
	if err != nil {
		if errors.Is(err, tenant.ErrNoAuth) {
			return nil, cmdutil.WithExitCode(cmdutil.ExitUsage, err)
		}
		return nil, err
	}
	s := &session{tenant: eff.Tenant.Name, client: c}
	if t.ProfileID > 0 {
		s.profile, err = c.GetProfile(ctx, t.ProfileID)
		if errors.Is(err, jamf.ErrNotFound) {
			err = cmdutil.WithExitCode(cmdutil.ExitNotFound, fmt.Errorf("no macOS configuration profile has id %d on tenant %s; list them in Jamf Pro (Computers > Configuration Profiles)", t.ProfileID, s.tenant))
		}
	} else {
		s.profile, err = c.FindProfileByName(ctx, name)
		var amb *jamf.AmbiguousNameError
		switch {
		case errors.As(err, &amb):
			err = cmdutil.WithExitCode(cmdutil.ExitConflict, fmt.Errorf("%w; pass --profile-id with one of them", err))
		case errors.Is(err, jamf.ErrNotFound):
			err = cmdutil.WithExitCode(cmdutil.ExitNotFound, fmt.Errorf("no macOS configuration profile is named %q on tenant %s; check --profile, or use --profile-id", name, s.tenant))
		}
	}
	if err != nil {
		_ = c.Close(context.WithoutCancel(ctx))
		return nil, classify(err)
	}
	return s, nil
}

// classify maps Jamf's 401 and 403 answers to the auth exit code with a
// hint, and a name that did not resolve to the not-found code; other
// errors pass through.
func classify(err error) error {
	var ue *jamf.UnresolvedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ue):
		if errors.Is(err, jamf.ErrNotFound) {
			return cmdutil.WithExitCode(cmdutil.ExitNotFound, err)
		}
		return cmdutil.WithExitCode(cmdutil.ExitConflict, err)
	case errors.Is(err, jamf.ErrUnauthorized):
		return cmdutil.WithExitCode(cmdutil.ExitAuth, fmt.Errorf("%w; check the tenant's API client id and secret (or username and password)", err))
	case errors.Is(err, jamf.ErrForbidden):
		return cmdutil.WithExitCode(cmdutil.ExitAuth, fmt.Errorf("%w; the API role lacks a privilege (see `jamf-scep help jamf-privileges`): scope edits need Read and Update macOS Configuration Profiles, Read Computers, Read Smart and Static Computer Groups, Read Buildings and Read Departments", err))
	}
	return err
}
