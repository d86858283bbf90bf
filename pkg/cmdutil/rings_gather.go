package cmdutil

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/engine"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/rollout"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// inventorySections is what the rollout reads per Mac: what fleet needs to
// resolve and count scopes and render Subjects, and what verify needs to
// classify each Mac (installed profiles, certificates).
var inventorySections = append(append([]jamf.Section(nil), fleet.Sections...),
	jamf.SectionConfigurationProfiles, jamf.SectionCertificates)

// query says what to read on one tenant.
type query struct {
	tenant      string
	tenantCfg   config.Tenant
	profileName string
	profileID   int
	rollout     *config.Rollout
	// configScope is the tenant's effective config scope: the categories
	// the rollout does not own, which advance writes as apply would.
	configScope config.Scope
	dialect     *profile.Dialect
	redistDays  int
	now         time.Time
	staleAfter  time.Duration
	warnf       func(format string, args ...any)
}

// gathered is one tenant's rollout state, read from Jamf Pro.
type gathered struct {
	stored *jamf.Profile
	fleet  *fleet.Fleet
	plan   rollout.Plan
	// configSpec is configScope resolved: the categories apply owns.
	configSpec scope.Spec
	report     *verify.Report
	status     rollout.Status
}

// gather reads the profile, then in parallel one paged inventory listing
// (every section the rollout and verify read), the profile's MDM command
// history and the lists of the kinds the stages and the config scope
// name; resolves every stage (all unknown names reported at once); and
// derives the status. Requests: two for the profile by name, one or more
// inventory pages, the command pages, one list call per kind, one Classic
// read per computer group in a scope. A 403 on the command history is a
// warning: stage starts are then unknown.
func gather(ctx context.Context, c *jamf.Client, q query) (*gathered, error) {
	stored, err := FindProfile(ctx, c, q.tenant, q.profileName, q.profileID)
	if err != nil {
		return nil, err
	}
	names, back := scope.FromConfig(q.configScope)
	stageNames := make([]jamf.Names, len(q.rollout.Stages))
	stageBack := make([]func(jamf.Resolved) scope.Spec, len(q.rollout.Stages))
	need := fleet.NeedFor(names)
	for i, s := range q.rollout.Stages {
		stageNames[i], stageBack[i] = scope.FromConfig(s.Scope)
		n := fleet.NeedFor(stageNames[i])
		need.ComputerGroups = need.ComputerGroups || n.ComputerGroups
		need.Buildings = need.Buildings || n.Buildings
		need.Departments = need.Departments || n.Departments
	}

	var (
		dir      jamf.Directory
		commands []jamf.MDMCommand
		wg       crash.Group // a panic is carried to Wait and reported
		mu       sync.Mutex
		errs     []error
	)
	run := func(want bool, fn func() error) {
		if !want {
			return
		}
		wg.Go(func() {
			if err := fn(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	run(true, func() (err error) {
		dir.Computers, err = c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: inventorySections, PageSize: 2000})
		return err
	})
	run(true, func() error {
		cmds, err := c.ProfileCommands(ctx, stored.General.ID)
		if errors.Is(err, jamf.ErrForbidden) {
			q.warnf("no MDM command history: the API role lacks %q, so stage starts are unknown and a soak never passes (jamf-scep help jamf-privileges)", jamf.PrivilegeViewMDMCommands)
			return nil
		}
		if err == nil && cmds == nil {
			cmds = []jamf.MDMCommand{}
		}
		commands = cmds
		return err
	})
	run(need.ComputerGroups, func() (err error) { dir.ComputerGroups, err = c.ComputerGroups(ctx); return err })
	run(need.Buildings, func() (err error) { dir.Buildings, err = c.Buildings(ctx); return err })
	run(need.Departments, func() (err error) { dir.Departments, err = c.Departments(ctx); return err })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, JamfError(err)
	}

	fl := fleet.New(c, dir)
	g := &gathered{stored: stored, fleet: fl}
	// Resolve everything first so every unknown name is reported at once.
	var unresolved []error
	if r, err := fl.Resolve(names); err != nil {
		unresolved = append(unresolved, fmt.Errorf("scope: %w", err))
	} else {
		g.configSpec = back(r)
	}
	for i, s := range q.rollout.Stages {
		r, err := fl.Resolve(stageNames[i])
		if err != nil {
			unresolved = append(unresolved, fmt.Errorf("rollout stage %s: %w", s.Name, err))
			continue
		}
		soak, _ := config.ParseSoak(s.Gate.Soak) // Validate has checked it
		g.plan.Stages = append(g.plan.Stages, rollout.Stage{
			Name: s.Name,
			Adds: stageBack[i](r),
			Gate: rollout.Gate{
				MinCoverage: float64(s.Gate.MinCoverage), MaxFailed: s.Gate.MaxFailed,
				Soak: soak, MaxNewMacs: s.Gate.MaxNewMacs,
			},
		})
	}
	if len(unresolved) > 0 {
		return nil, WithExitCode(ExitNotFound, errors.Join(unresolved...))
	}

	in := rollout.Input{
		Plan: g.plan, Stored: stored.Scope, Commands: commands, Now: q.now,
		ManagementIDs: map[int]string{}, Names: map[int]string{},
	}
	for i := range dir.Computers {
		pc := &dir.Computers[i]
		if id, err := strconv.Atoi(pc.ID); err == nil {
			in.ManagementIDs[id], in.Names[id] = pc.General.ManagementID, pc.General.Name
		}
	}
	for i := range g.plan.Stages {
		spec := g.plan.Cumulative(i)
		ids, err := fl.Members(ctx, spec.Resulting(&stored.Scope))
		if err != nil {
			return nil, JamfError(fmt.Errorf("rollout stage %s: %w", g.plan.Stages[i].Name, err))
		}
		in.Members = append(in.Members, ids)
	}
	inScope, err := fl.Members(ctx, stored.Scope)
	if err != nil {
		return nil, JamfError(fmt.Errorf("scope of profile %q: %w", stored.General.Name, err))
	}
	target, err := verify.TargetOf(stored, q.dialect, cmp.Or(q.redistDays, verify.DefaultRedistributeDays))
	if err != nil {
		q.warnf("%v", err)
	}
	g.report = verify.Compute(verify.Input{
		Target: target, Computers: dir.Computers, InScope: inScope, Commands: commands,
		Variables: fl.Variables, Identifier: q.dialect.ProfileIdentifier, Now: q.now, StaleAfter: q.staleAfter,
	})
	in.Report = g.report
	g.status = rollout.Derive(in)
	return g, nil
}

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
	names, err := engine.SelectTenants(cfg, o.Tenants, o.All)
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
			rollout: cfg.Rollout, configScope: eff.Scope, dialect: dialect,
			redistDays: eff.Profile.SCEP.RedistributeDays, now: now,
			staleAfter: time.Duration(o.StaleAfterDays) * 24 * time.Hour,
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
		q.warnf = func(format string, args ...any) { f.Warnf(prefix+format, args...) }
		out[i] = q
	}
	return out, nil
}
