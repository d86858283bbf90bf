package scopecmd

import (
	"context"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// TargetOptions say which profile on which tenant a scope command works on.
type TargetOptions struct {
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
	// dialect is the tenant's Jamf dialect (config.DialectFor), for the
	// Subject check of Macs a scope edit adds.
	dialect *profile.Dialect
}

// open connects the tenant t names and fetches the profile. The caller
// closes s.client.
func open(ctx context.Context, f *cmdutil.Factory, t TargetOptions) (*session, error) {
	if err := cmdutil.CheckProfileID(t.ProfileID); err != nil {
		return nil, err
	}
	cfg, err := f.TenantConfig()
	if err != nil {
		return nil, err
	}
	eff, err := cmdutil.OneTenant(cfg, t.Tenant)
	if err != nil {
		return nil, err
	}
	name := config.Pick(t.ProfileName, "", eff.Profile.Name, "")
	if t.ProfileID == 0 && name == "" {
		return nil, cmdutil.UsageErrorf("no profile given; pass --profile NAME or --profile-id N, or set profile.name in the config")
	}
	dialect, err := config.DialectFor("", eff.Profile)
	if err != nil {
		return nil, err
	}
	c, err := f.Connect(ctx, eff.Tenant)
	if err != nil {
		return nil, err
	}
	s := &session{tenant: eff.Tenant.Name, client: c, dialect: dialect}
	s.profile, err = cmdutil.FindProfile(ctx, c, s.tenant, name, t.ProfileID)
	if err != nil {
		_ = c.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}
