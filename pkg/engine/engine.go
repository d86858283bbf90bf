// Package engine is the multi-tenant runner behind plan, apply, demo and
// the setup wizard's plan: it selects the config's tenants (optionally one
// shard of them, see Shard), builds each one's desired profile and client,
// computes every plan (pkg/plan) at most Options.Parallel tenants at a
// time, and for apply writes, reads back and verifies each tenant with
// changes. It returns the per-tenant outcome, from which Result.Report
// builds the JSON document and Result.Err the classified error of the run.
//
// Apply runs in one of two ways. With a question (Hooks.Confirm set) every
// plan is computed first, the question is asked once for all tenants, and
// then the writes start. Without one (--yes), each tenant goes from its plan
// straight to its write, read-back and verification in the same slot of
// Options.Parallel, without waiting for the other tenants' plans.
//
// The engine prints nothing itself: progress, the plans and the question
// go through Hooks, so the command layer decides what a terminal, a script
// or the wizard sees. It imports no command package.
package engine

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/shard"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// Options are the inputs of one run. Flag values are already checked
// (the command layer owns their spelling and errors).
type Options struct {
	// Apply writes the plans after Hooks.Confirm (`apply`).
	Apply bool

	// Tenants names the tenants to run; with All, every tenant. Neither
	// means the config's only tenant (several is an InputError).
	Tenants []string
	All     bool
	// Shard, with All, keeps only the tenants of one part of N (the
	// zero Shard keeps all); see pkg/shard.
	Shard shard.Shard
	// Parallel is how many tenants run at once, 1 or more.
	Parallel int
	// ProfileID, when > 0, manages the stored profile with this Jamf id
	// instead of the tenant's profile_id or finding it by exact name; it
	// needs a single tenant.
	ProfileID int
	// ReplaceScope owns every scope list (--replace-scope).
	ReplaceScope bool
	// Redeploy is what a payload change redeploys to:
	// jamf.RedeployNewlyAssigned (also for "") or jamf.RedeployAll.
	Redeploy string
	// JamfDialect is a dialect file overriding the config's, "" for none.
	JamfDialect string
	// AcceptLongSubject lets apply write although some Macs in scope would
	// get a Subject over RFC 5280's limits.
	AcceptLongSubject bool

	// Resolver resolves the config's secret references.
	Resolver secret.Resolver
	// Logger and ClientOptions are given to every tenant's Jamf client
	// (tenant.Options).
	Logger        *slog.Logger
	ClientOptions []jamf.Option
}

// Hooks are how a run reports and asks. Progress must be set; Planned and
// Confirm may be nil (no output; no question, as with --yes).
type Hooks struct {
	// Progress receives each tenant's steps and outcomes, from the
	// tenants' goroutines (it must be safe for concurrent use).
	Progress Progress
	// Planned runs once every plan is computed: with Confirm set (or for
	// plan) before anything is asked or written, and an error ends the run
	// with it; without Confirm, apply streams and Planned runs once every
	// tenant is done (its error is returned with the Result). To show a
	// tenant's plan as it was before its write, read it in
	// Progress.Planned, which runs before any write to that tenant.
	Planned func(*Result) error
	// Confirm, when set, makes apply ask once: it runs after every plan
	// and before the first write, only when some tenant has changes; an
	// error (e.g. the user declined) ends the run with it and nothing is
	// written. When nil, apply streams: each tenant with changes writes as
	// soon as its own plan is ready.
	Confirm func(context.Context, *Result) error
	// BeforeWrite, when set, runs when apply streams (Confirm nil), from
	// the tenant's goroutine after its plan and before its first write;
	// an error fails that tenant and nothing is written to it.
	BeforeWrite func(context.Context, *Tenant) error
}

// Progress receives a run's events. Phase starts a phase (planning, then
// applying) for the named tenants, in config order; when apply streams
// there is one phase, in which a tenant's apply steps follow its plan.
type Progress interface {
	Phase(tenants []string)
	Step(tenant, step string)
	// Count says how far tenant's current step is: done of total Macs
	// (the inventory read page by page).
	Count(tenant, step string, done, total int)
	Warn(tenant, msg string)
	Planned(t *Tenant)
	Applied(t *Tenant)
}

// Tenant is one tenant's state through a run.
type Tenant struct {
	// Name is the config tenant name.
	Name string
	// State is the plan's state (client, desired profile, plan, writes);
	// nil when the tenant failed before its first request.
	State *plan.State
	// Err is the tenant's failure, nil on success.
	Err error

	close func()
}

// planned reports whether the tenant's plan was computed.
func (t *Tenant) planned() bool { return t.State != nil && t.State.Plan != nil }

// HasChanges reports whether the tenant planned without error and has
// something to write.
func (t *Tenant) HasChanges() bool { return t.Err == nil && t.State.Plan.HasChanges() }

// Result is the outcome of a run: the tenants in config order.
type Result struct {
	Tenants []*Tenant
	// Apply is Options.Apply; Applied is true once the writes started
	// (the question, if any, was answered yes).
	Apply, Applied bool
}

// AnyFailed reports whether any tenant failed to plan or apply.
func (res *Result) AnyFailed() bool {
	for _, t := range res.Tenants {
		if t.Err != nil {
			return true
		}
	}
	return false
}

// AnyChanges reports whether any tenant planned changes.
func (res *Result) AnyChanges() bool {
	for _, t := range res.Tenants {
		if t.HasChanges() {
			return true
		}
	}
	return false
}

// Pending returns how many tenants have changes to write, and how many
// Macs those with Redeploy all will reinstall the profile on.
func (res *Result) Pending() (tenants, redeployMacs int) {
	for _, t := range res.Tenants {
		if t.HasChanges() {
			tenants++
			if t.State.Plan.Redeploy == jamf.RedeployAll {
				redeployMacs += t.State.Plan.Macs.InScope
			}
		}
	}
	return tenants, redeployMacs
}

// InputError is a problem with the config or the options found before a
// request: nothing was sent. The command layer makes it a usage error.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputErrorf(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// Run plans (and with Apply, applies) every selected tenant of cfg. It
// returns an InputError before any request when the selection or the
// config is wrong, the error of a hook that ended the run, or else the
// Result, whose Err classifies the tenants' failures. Clients are closed
// before Run returns.
func Run(ctx context.Context, cfg *config.Config, opts Options, hooks Hooks) (*Result, error) {
	names, err := SelectTenants(cfg, opts.Tenants, opts.All, opts.Shard)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, &InputError{Err: fmt.Errorf("the config has problems; nothing was sent:\n%w", err)}
	}
	if opts.ProfileID > 0 && len(names) > 1 {
		return nil, inputErrorf("--profile-id names one profile on one tenant; use it with a single --tenant")
	}

	res := &Result{Apply: opts.Apply, Tenants: make([]*Tenant, len(names))}
	for i, n := range names {
		res.Tenants[i] = &Tenant{Name: n}
	}
	defer func() {
		for _, t := range res.Tenants {
			if t.close != nil {
				t.close()
			}
		}
	}()
	ev := hooks.Progress
	ev.Phase(names)
	if opts.Apply && hooks.Confirm == nil {
		return res, stream(ctx, res, opts, hooks, func(ctx context.Context, t *Tenant) {
			t.Err = prepare(ctx, cfg, opts, t, ev)
			if t.Err == nil {
				t.Err = plan.Run(ctx, t.State, func(step string) { ev.Step(t.Name, step) }, plan.Steps()...)
			}
		})
	}

	forEach(ctx, res.Tenants, opts.Parallel, func(ctx context.Context, t *Tenant) {
		t.Err = prepare(ctx, cfg, opts, t, ev)
		if t.Err == nil {
			t.Err = plan.Run(ctx, t.State, func(step string) { ev.Step(t.Name, step) }, plan.Steps()...)
		}
		ev.Planned(t)
	})
	if hooks.Planned != nil {
		if err := hooks.Planned(res); err != nil {
			return res, err
		}
	}
	if !opts.Apply {
		return res, nil
	}
	// One policy for a Subject too long on some Macs in scope: apply
	// refuses before asking, and writes nothing to that tenant.
	for _, t := range res.Tenants {
		if t.Err == nil {
			t.Err = t.State.Plan.SubjectErr()
		}
	}
	if !res.AnyChanges() {
		return res, nil
	}
	if err := hooks.Confirm(ctx, res); err != nil {
		return res, err
	}
	res.Applied = true
	var pending []string
	for _, t := range res.Tenants {
		if t.HasChanges() {
			pending = append(pending, t.Name)
		}
	}
	ev.Phase(pending)
	forEach(ctx, res.Tenants, opts.Parallel, func(ctx context.Context, t *Tenant) {
		if !t.HasChanges() {
			return
		}
		t.Err = plan.Run(ctx, t.State, func(step string) { ev.Step(t.Name, step) }, plan.ApplySteps()...)
		ev.Applied(t)
	})
	return res, nil
}

// stream is apply without a question: in each tenant's slot of
// opts.Parallel, planTenant computes its plan and, when it has changes
// and passes the Subject policy and hooks.BeforeWrite, the tenant is
// written, read back and verified at once, whatever the other tenants'
// plans are doing. A tenant holds its slot from its first request to its
// last, so opts.Parallel still bounds the tenants in flight (and each
// tenant's client its own requests). hooks.Planned runs at the end.
func stream(ctx context.Context, res *Result, opts Options, hooks Hooks, planTenant func(context.Context, *Tenant)) error {
	ev := hooks.Progress
	var mu sync.Mutex
	forEach(ctx, res.Tenants, opts.Parallel, func(ctx context.Context, t *Tenant) {
		planTenant(ctx, t)
		ev.Planned(t)
		if t.Err == nil {
			// The Subject policy of the batch path, per tenant.
			t.Err = t.State.Plan.SubjectErr()
		}
		if !t.HasChanges() {
			return
		}
		if hooks.BeforeWrite != nil {
			if t.Err = hooks.BeforeWrite(ctx, t); t.Err != nil {
				return
			}
		}
		mu.Lock()
		res.Applied = true
		mu.Unlock()
		t.Err = plan.Run(ctx, t.State, func(step string) { ev.Step(t.Name, step) }, plan.ApplySteps()...)
		ev.Applied(t)
	})
	if hooks.Planned != nil {
		return hooks.Planned(res)
	}
	return nil
}

// SelectTenants returns the names of the tenants a multi-tenant command
// runs, in config order: every tenant with all (only shard's part of them
// when shard.N > 0), the named ones with names (an unknown name is an
// error naming it), else the config's only tenant. Several tenants and
// neither all nor names, no tenant at all, or a shard without all is an
// *InputError saying what to pass.
func SelectTenants(cfg *config.Config, names []string, all bool, sh shard.Shard) ([]string, error) {
	if sh.N > 0 && !all {
		return nil, inputErrorf("--shard %s splits every tenant of the config: use it with --all", sh)
	}
	if all || len(names) > 0 {
		ts, err := cfg.Select(names)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		if sh.N > 0 {
			return sh.Select(tenantNames(ts)), nil
		}
		return tenantNames(ts), nil
	}
	switch len(cfg.Tenants) {
	case 0:
		return nil, inputErrorf("no Jamf Pro tenant: set %s with %s and %s (or %s and %s), or pass --config with a tenants list",
			config.EnvURL, config.EnvClientID, config.EnvClientSecret, config.EnvUsername, config.EnvPassword)
	case 1:
		return []string{cfg.Tenants[0].Name}, nil
	}
	return nil, inputErrorf("the config has %d tenants (%s); pass --tenant NAME or --all",
		len(cfg.Tenants), strings.Join(tenantNames(cfg.Tenants), ", "))
}

func tenantNames(ts []config.Tenant) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

// prepare builds the tenant's desired profile and client: everything that
// needs no request.
func prepare(ctx context.Context, cfg *config.Config, opts Options, t *Tenant, ev Progress) error {
	eff, err := cfg.Effective(t.Name)
	if err != nil {
		return &InputError{Err: err}
	}
	dialect, err := config.DialectFor(opts.JamfDialect, eff.Profile)
	if err != nil {
		return err
	}
	popts, err := config.ProfileOptions(ctx, eff.Profile, opts.Resolver, true)
	if err != nil {
		return err
	}
	prof, findings, err := profile.Build(popts, dialect)
	if err != nil {
		var lines []string
		for _, x := range findings.Errors() {
			lines = append(lines, x.String())
		}
		return inputErrorf("the profile does not build:\n  %s", strings.Join(lines, "\n  "))
	}
	for _, w := range findings.Warnings() {
		ev.Warn(t.Name, w.String())
	}
	client, err := tenant.Connect(ctx, eff.Tenant, tenant.Options{Resolver: opts.Resolver, Logger: opts.Logger, ClientOptions: opts.ClientOptions})
	if err != nil {
		return err
	}
	// plan.Run registers the payload's secrets with the client before its
	// first request (the core's job, not the runner's).
	t.close = func() { _ = client.Close(context.WithoutCancel(ctx)) }
	t.State = &plan.State{
		Client: client,
		Desired: plan.Desired{
			General: plan.General{
				Name:        prof.PayloadDisplayName,
				Description: prof.PayloadDescription,
				Category:    eff.Profile.Category,
				Site:        eff.Profile.Site,
			},
			Profile:  prof,
			Dialect:  dialect,
			Redeploy: opts.Redeploy,
		},
		Progress:          func(step string, done, total int) { ev.Count(t.Name, step, done, total) },
		ScopeConfig:       eff.Scope,
		ReplaceScope:      opts.ReplaceScope,
		AcceptLongSubject: opts.AcceptLongSubject,
		// Options.ProfileID, else the tenant's profile_id pin, else by name.
		ProfileID: config.Pick(opts.ProfileID, 0, eff.Tenant.ProfileID, 0),
	}
	return nil
}

// forEach runs fn for every tenant, at most parallel at a time, and waits.
// One tenant failing never stops the others; a panic in one is carried to
// the caller (internal/crash) after the others finish.
func forEach(ctx context.Context, ts []*Tenant, parallel int, fn func(context.Context, *Tenant)) {
	sem := make(chan struct{}, max(parallel, 1))
	var wg crash.Group
	for _, t := range ts {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				if t.Err == nil {
					t.Err = ctx.Err()
				}
				return
			}
			defer func() { <-sem }()
			fn(ctx, t)
		})
	}
	wg.Wait()
}
