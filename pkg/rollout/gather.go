package rollout

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// inventorySections is what the rollout reads per Mac: what fleet needs to
// resolve and count scopes and render Subjects, and what verify needs to
// classify each Mac (installed profiles, certificates).
var inventorySections = append(append([]jamf.Section(nil), fleet.Sections...),
	jamf.SectionConfigurationProfiles, jamf.SectionCertificates)

// Query says what Gather reads and derives on one tenant.
type Query struct {
	// Rollout is the config's rollout section.
	Rollout *config.Rollout
	// ConfigScope is the tenant's effective config scope: the categories
	// the rollout does not own, which advance writes as apply would.
	ConfigScope config.Scope
	// Dialect decodes the stored profile's plist.
	Dialect *profile.Dialect
	// RedistributeDays is the redistribution window in days when the
	// stored profile gives none; 0 means verify.DefaultRedistributeDays.
	RedistributeDays int
	// Now is the time the state is derived for.
	Now time.Time
	// StaleAfter is the inventory age after which a Mac does not count
	// toward coverage.
	StaleAfter time.Duration
	// Warnf reports what Gather reads around (a 403 on the MDM command
	// history); nil discards it.
	Warnf func(format string, args ...any)
}

// UnresolvedError lists the names in the config scope or the stages that
// match nothing on the tenant, all at once.
type UnresolvedError struct{ Err error }

func (e *UnresolvedError) Error() string { return e.Err.Error() }
func (e *UnresolvedError) Unwrap() error { return e.Err }

// Tenant is one tenant's rollout state, read from Jamf Pro.
type Tenant struct {
	// Stored is the profile as Jamf Pro holds it.
	Stored *jamf.Profile
	// Fleet is the tenant's inventory and directory, as read.
	Fleet *fleet.Fleet
	// Plan is the config's stages, resolved to Jamf ids.
	Plan Plan
	// ConfigSpec is Query.ConfigScope resolved: the categories apply owns.
	ConfigSpec scope.Spec
	// Report is verify's report on the profile's scope.
	Report *verify.Report
	// Status is where the rollout stands (Derive).
	Status Status
}

// Gather reads, for the stored profile, in parallel one paged inventory
// listing (every section the rollout and verify read), the profile's MDM
// command history and the lists of the kinds the stages and the config
// scope name; resolves every stage (all unknown names reported at once);
// and derives the status. Requests: one or more inventory pages, the
// command pages, one list call per kind, one Classic read per computer
// group in a scope. A 403 on the command history is a warning
// (Query.Warnf): stage starts are then unknown. What the derivation
// relies on is in docs/jamf-behavior.md, "Rollout state".
//
// Errors are the client's (*jamf.Error, jamf.ErrNotFound, ...) or an
// *UnresolvedError naming every scope name that matches nothing.
func Gather(ctx context.Context, c *jamf.Client, stored *jamf.Profile, q Query) (*Tenant, error) {
	warnf := q.Warnf
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	names, back := scope.FromConfig(q.ConfigScope)
	stageNames := make([]jamf.Names, len(q.Rollout.Stages))
	stageBack := make([]func(jamf.Resolved) scope.Spec, len(q.Rollout.Stages))
	need := fleet.NeedFor(names)
	for i, s := range q.Rollout.Stages {
		stageNames[i], stageBack[i] = scope.FromConfig(s.Scope)
		n := fleet.NeedFor(stageNames[i])
		need.ComputerGroups = need.ComputerGroups || n.ComputerGroups
		need.Buildings = need.Buildings || n.Buildings
		need.Departments = need.Departments || n.Departments
	}

	var (
		dir      jamf.Directory
		commands []jamf.MDMCommand
		tasks    crash.Tasks // every error is kept; a panic is carried to Wait
	)
	run := tasks.GoIf
	run(true, func() (err error) {
		dir.Computers, err = c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: inventorySections, PageSize: 2000})
		return err
	})
	run(true, func() error {
		cmds, err := c.ProfileCommands(ctx, stored.General.ID)
		if errors.Is(err, jamf.ErrForbidden) {
			warnf("no MDM command history: the API role lacks %q, so stage starts are unknown and a soak never passes (jamf-scep help jamf-privileges)", jamf.PrivilegeViewMDMCommands)
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
	if err := tasks.Wait(); err != nil {
		return nil, err
	}

	fl := fleet.New(c, dir)
	g := &Tenant{Stored: stored, Fleet: fl}
	// Resolve everything first so every unknown name is reported at once.
	var unresolved []error
	if r, err := fl.Resolve(names); err != nil {
		unresolved = append(unresolved, fmt.Errorf("scope: %w", err))
	} else {
		g.ConfigSpec = back(r)
	}
	for i, s := range q.Rollout.Stages {
		r, err := fl.Resolve(stageNames[i])
		if err != nil {
			unresolved = append(unresolved, fmt.Errorf("rollout stage %s: %w", s.Name, err))
			continue
		}
		soak, _ := config.ParseSoak(s.Gate.Soak) // Validate has checked it
		g.Plan.Stages = append(g.Plan.Stages, Stage{
			Name: s.Name,
			Adds: stageBack[i](r),
			Gate: Gate{
				MinCoverage: float64(s.Gate.MinCoverage), MaxFailed: s.Gate.MaxFailed,
				Soak: soak, MaxNewMacs: s.Gate.MaxNewMacs,
			},
		})
	}
	if len(unresolved) > 0 {
		return nil, &UnresolvedError{Err: errors.Join(unresolved...)}
	}

	in := Input{
		Plan: g.Plan, Stored: stored.Scope, Commands: commands, Now: q.Now,
		ManagementIDs: map[int]string{}, Names: map[int]string{},
	}
	for i := range dir.Computers {
		pc := &dir.Computers[i]
		if id, err := strconv.Atoi(pc.ID); err == nil {
			in.ManagementIDs[id], in.Names[id] = pc.General.ManagementID, pc.General.Name
		}
	}
	for i := range g.Plan.Stages {
		spec := g.Plan.Cumulative(i)
		ids, err := fl.Members(ctx, spec.Resulting(&stored.Scope))
		if err != nil {
			return nil, fmt.Errorf("rollout stage %s: %w", g.Plan.Stages[i].Name, err)
		}
		in.Members = append(in.Members, ids)
	}
	inScope, err := fl.Members(ctx, stored.Scope)
	if err != nil {
		return nil, fmt.Errorf("scope of profile %q: %w", stored.General.Name, err)
	}
	target, err := verify.TargetOf(stored, q.Dialect, cmp.Or(q.RedistributeDays, verify.DefaultRedistributeDays))
	if err != nil {
		warnf("%v", err)
	}
	g.Report = verify.Compute(verify.Input{
		Target: target, Computers: dir.Computers, InScope: inScope, Commands: commands,
		Variables: fl.Variables, Identifier: q.Dialect.ProfileIdentifier, Now: q.Now, StaleAfter: q.StaleAfter,
	})
	in.Report = g.Report
	g.Status = Derive(in)
	return g, nil
}

// NextScope is the scope the next step writes: the config's spec
// (ConfigSpec) with the step's categories over it; config validation keeps
// the two apart. Call it only when Status.Next is set.
func (t *Tenant) NextScope() scope.Spec {
	step := t.Status.Next.Scope
	out := scope.Spec{AllComputers: t.ConfigSpec.AllComputers, Lists: map[scope.Category][]jamf.Ref{}}
	for c, l := range t.ConfigSpec.Lists {
		out.Lists[c] = l
	}
	for c, l := range step.Lists {
		out.Lists[c] = l
	}
	if step.AllComputers != nil {
		out.AllComputers = step.AllComputers
	}
	return out
}

// DescribeChanges writes scope changes, as Status.Changes gives them, as "+computer_groups Finance,
// -buildings HQ".
func DescribeChanges(cs []scope.Change) string {
	var parts []string
	for _, c := range cs {
		for _, r := range c.Added {
			parts = append(parts, "+"+c.Path+" "+refText(r))
		}
		for _, r := range c.Removed {
			parts = append(parts, "-"+c.Path+" "+refText(r))
		}
	}
	return strings.Join(parts, ", ")
}

func refText(r jamf.Ref) string {
	if r.Name != "" {
		return r.Name
	}
	return fmt.Sprintf("id %d", r.ID)
}
