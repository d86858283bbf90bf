package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/engine"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/rollout"
	"github.com/jamf-scep/jamf-scep/pkg/shard"
)

// validate checks the flags without touching config or network.
func (o *ringsRun) validate() error {
	if err := CheckProfileID(o.ProfileID); err != nil {
		return err
	}
	switch {
	case o.StaleAfterDays < 1:
		return InvalidFlagValue("stale-after", strconv.Itoa(o.StaleAfterDays), "a number of days (1 or more)")
	case o.ProfileID > 0 && (o.All || len(o.Tenants) > 1):
		return UsageErrorf("--profile-id names one profile on one tenant; use it with a single --tenant")
	}
	return nil
}

// queries loads and validates the config and returns one query per
// selected tenant.
// query says what to read on one tenant: its client, the profile and
// what rollout.Gather derives.
type query struct {
	tenant      string
	tenantCfg   config.Tenant
	profileName string
	profileID   int
	rollout.Query
}

func (o *ringsRun) queries() ([]query, error) {
	f := o.f
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	if cfg.Rollout == nil {
		return nil, UsageErrorf("the config has no rollout section; add rollout.stages (jamf-scep help config-file)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, &UsageError{Err: fmt.Errorf("the config has problems; nothing was sent:\n%w", err)}
	}
	names, err := engine.SelectTenants(cfg, o.Tenants, o.All, shard.Shard{})
	if err != nil {
		return nil, EngineError(err)
	}
	now := o.Now
	if now.IsZero() {
		now = f.Now()
	}
	out := make([]query, len(names))
	for i, name := range names {
		eff, err := cfg.Effective(name)
		if err != nil {
			return nil, &UsageError{Err: err}
		}
		dialect, err := config.DialectFor(o.JamfDialect, eff.Profile)
		if err != nil {
			return nil, err
		}
		q := query{
			tenant: name, tenantCfg: eff.Tenant, profileName: o.ProfileName, profileID: o.ProfileID,
			Query: rollout.Query{
				Rollout: cfg.Rollout, ConfigScope: eff.Scope, Dialect: dialect,
				RedistributeDays: eff.Profile.SCEP.RedistributeDays, Now: now,
				StaleAfter: time.Duration(o.StaleAfterDays) * 24 * time.Hour,
			},
		}
		if q.profileID == 0 && q.profileName == "" {
			q.profileID, q.profileName = eff.Tenant.ProfileID, eff.Profile.Name
		}
		if q.profileID == 0 && q.profileName == "" {
			return nil, RequiredFlags("when the config has no profile.name", "profile", "profile-id")
		}
		prefix := ""
		if len(names) > 1 {
			prefix = "tenant " + name + ": "
		}
		q.Warnf = func(format string, args ...any) { f.Warnf(prefix+format, args...) }
		out[i] = q
	}
	return out, nil
}

// gather finds the profile on the tenant and reads its rollout state
// (rollout.Gather), giving each error its exit code.
func gather(ctx context.Context, c *jamf.Client, q query) (*rollout.Tenant, error) {
	stored, err := FindProfile(ctx, c, q.tenant, q.profileName, q.profileID)
	if err != nil {
		return nil, err
	}
	g, err := rollout.Gather(ctx, c, stored, q.Query)
	var unresolved *rollout.UnresolvedError
	if errors.As(err, &unresolved) {
		return nil, WithExitCode(ExitNotFound, err)
	}
	return g, JamfError(err)
}
