package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/rollout"
)

// Outcomes of `rollout advance` on one tenant.
const (
	outcomeAdvanced    = "advanced"
	outcomeGateNotMet  = "gate-not-met"
	outcomeNothingLeft = "nothing-left"
	outcomeFailed      = "failed"
)

// tenantResult is one tenant's status and, for advance, what happened.
type tenantResult struct {
	Tenant  string          `json:"tenant"`
	Status  *rollout.Status `json:"status,omitempty"`
	Outcome string          `json:"outcome,omitempty"`
	Plan    *plan.Plan      `json:"plan,omitempty"`
	Error   string          `json:"error,omitempty"`

	err   error
	g     *rollout.Tenant
	state *plan.State // set when advance takes a step
	close func()
}

// report is the JSON document both subcommands print.
type report struct {
	SchemaVersion int             `json:"schemaVersion"`
	Tenants       []*tenantResult `json:"tenants"`
}

// DefaultStaleAfterDays is the age in days after which a Mac's inventory
// is not trusted unless --stale-after says otherwise.
const DefaultStaleAfterDays = 7

// RingsOptions are the inputs of `rollout status` and `rollout advance`,
// as the rollout command takes them from flags and demo sets them.
type RingsOptions struct {
	// Advance is true for `rollout advance`, false for `rollout status`.
	Advance bool
	// Force lets advance take the step although the gate is not met.
	Force bool
	// Yes skips advance's confirmation.
	Yes bool
	// AcceptLongSubject lets advance widen the scope to Macs whose Subject
	// is over RFC 5280's limits, as apply's --accept-long-subject.
	AcceptLongSubject bool

	ProfileName    string
	ProfileID      int
	All            bool
	Tenants        []string
	JamfDialect    string
	StaleAfterDays int
	// Now overrides the clock (hidden --now, RFC 3339); zero means
	// Factory.Now.
	Now time.Time
}

// ringsRun is one run of Rings: the Factory and the options.
type ringsRun struct {
	*RingsOptions
	f *Factory
}

// Rings runs `rollout status` (opts.Advance false) or `rollout advance`
// on the selected tenants: each tenant's state is read from Jamf Pro and
// derived by pkg/rollout; status prints it (text, or -o json), advance
// then plans each step, confirms once and writes it with apply's steps.
// The error carries the exit code: for advance 8 when a gate was not met
// (ExitGateNotMet), 9 when every tenant is at the last stage
// (ExitNothingLeft), 7 when some tenants failed.
func Rings(ctx context.Context, f *Factory, opts *RingsOptions) error {
	o := &ringsRun{RingsOptions: opts, f: f}
	if err := o.validate(); err != nil {
		return err
	}
	if o.Advance && !o.Yes && !f.IOStreams.CanPrompt() {
		return RequiredFlags("when not running interactively", "yes")
	}
	qs, err := o.queries()
	if err != nil {
		return err
	}
	results := make([]*tenantResult, len(qs))
	defer func() {
		for _, r := range results {
			if r != nil && r.close != nil {
				r.close()
			}
		}
	}()
	forEach(qs, func(i int) {
		r := &tenantResult{Tenant: qs[i].tenant}
		results[i] = r
		r.err = o.readTenant(ctx, qs[i], r)
	})

	if !f.Globals.JSON() {
		if err := writeStatus(f, results); err != nil {
			return err
		}
	}
	if o.Advance {
		if err := o.advance(ctx, results); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r.err != nil {
			r.Error = r.err.Error()
			if o.Advance {
				r.Outcome = outcomeFailed
			}
		}
	}
	if f.Globals.JSON() {
		if err := WriteJSON(f.IOStreams.Out, report{SchemaVersion: 1, Tenants: results}); err != nil {
			return err
		}
	}
	return outcome(o, results)
}

// readTenant connects, gathers and, for advance, decides and plans.
func (o *ringsRun) readTenant(ctx context.Context, q query, r *tenantResult) error {
	c, err := o.f.Connect(ctx, q.tenantCfg)
	if err != nil {
		return err
	}
	r.close = func() { _ = c.Close(context.WithoutCancel(ctx)) }
	g, err := gather(ctx, c, q)
	if err != nil {
		return err
	}
	r.g, r.Status = g, &g.Status
	if !o.Advance {
		return nil
	}
	st := g.Status
	switch {
	case st.State == rollout.Complete:
		r.Outcome = outcomeNothingLeft
		return nil
	case st.State == rollout.OffPlan:
		return WithExitCode(ExitConflict, fmt.Errorf("the profile's scope matches no rollout stage (nearest: %s: %s); make it match one, then advance",
			orFirst(st.Nearest), rollout.DescribeChanges(st.Changes)))
	case !st.CanAdvance && !o.Force:
		r.Outcome = outcomeGateNotMet
		return nil
	case !st.CanAdvance:
		q.Warnf("--force: advancing although %s", st.Blocked)
	}
	return o.planStep(ctx, c, q, r)
}

// planStep builds apply's state for the step and runs plan's compute and
// count steps. The desired profile is the stored one, so the plan can only
// change the scope; anything else it finds is refused.
func (o *ringsRun) planStep(ctx context.Context, c *jamf.Client, q query, r *tenantResult) error {
	g := r.g
	stored, err := profile.Decode([]byte(g.Stored.General.Payloads), q.Dialect)
	if err != nil {
		return fmt.Errorf("profile %q (id %d) holds something jamf-scep does not manage: %w", g.Stored.General.Name, g.Stored.General.ID, err)
	}
	r.state = &plan.State{
		Client: c,
		Desired: plan.Desired{
			General:  plan.General{Name: g.Stored.General.Name, Description: g.Stored.General.Description},
			Profile:  stored,
			Dialect:  q.Dialect,
			Scope:    g.NextScope(),
			Redeploy: jamf.RedeployNewlyAssigned,
		},
		Stored:            plan.Stored{Profile: g.Stored, ID: g.Stored.General.ID},
		Fleet:             g.Fleet,
		AcceptLongSubject: o.AcceptLongSubject,
	}
	if err := plan.Run(ctx, r.state, nil, plan.ComputePlan{}, plan.CountMacs{}); err != nil {
		return err
	}
	p := r.state.Plan
	r.Plan = p
	if len(p.General)+len(p.Payload) > 0 {
		var paths []string
		for _, ch := range slices.Concat(p.General, p.Payload) {
			paths = append(paths, ch.Path)
		}
		return fmt.Errorf("advance writes only the scope, but the stored profile would change too (%s); run jamf-scep apply, then advance", strings.Join(paths, ", "))
	}
	return p.SubjectErr()
}

// advance prints the plans, confirms once, and writes each tenant's step.
func (o *ringsRun) advance(ctx context.Context, results []*tenantResult) error {
	f := o.f
	var stepping []*tenantResult
	for _, r := range results {
		if r.err == nil && r.state != nil {
			stepping = append(stepping, r)
		}
	}
	if len(stepping) == 0 {
		return nil
	}
	if !f.Globals.JSON() {
		for _, r := range stepping {
			fmt.Fprintln(f.IOStreams.Out)
			if err := plan.WriteText(f.IOStreams.Out, r.Tenant, r.state.Plan); err != nil {
				return err
			}
		}
	}
	if !o.Yes {
		fmt.Fprintln(f.IOStreams.ErrOut)
	}
	question := fmt.Sprintf("Advance %d tenant(s)?", len(stepping))
	if err := f.Prompter().Require(ctx, o.Yes, "when not running interactively", question); err != nil {
		if errors.Is(err, ErrCancel) {
			fmt.Fprintln(f.IOStreams.ErrOut, "Nothing was changed.")
		}
		return err
	}
	forEach(stepping, func(i int) {
		r := stepping[i]
		if err := plan.Run(ctx, r.state, nil, plan.ApplySteps()...); err != nil {
			r.err = JamfError(err)
			return
		}
		r.Outcome = outcomeAdvanced
	})
	if f.Globals.JSON() {
		return nil
	}
	fmt.Fprintln(f.IOStreams.Out)
	for _, r := range stepping {
		if r.Outcome != outcomeAdvanced {
			continue
		}
		next := r.g.Status.Next
		fmt.Fprintf(f.IOStreams.Out, "%s: advanced to %s: %d Mac(s) added", r.Tenant, next.Stage, next.Adds)
		if next.Remain > 0 {
			fmt.Fprintf(f.IOStreams.Out, ", %d remain for later steps", next.Remain)
		}
		fmt.Fprintln(f.IOStreams.Out)
	}
	return nil
}

// outcome maps the results to the exit status: errors first (partial when
// some tenants worked); then, for advance, a gate not met anywhere (8),
// else nothing left everywhere (9).
func outcome(o *ringsRun, results []*tenantResult) error {
	var failed []error
	for _, r := range results {
		if r.err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", r.Tenant, r.err))
		}
	}
	switch {
	case len(failed) == len(results) && len(results) == 1:
		return results[0].err
	case len(failed) == len(results):
		return WithExitCode(ExitCode(results[0].err), fmt.Errorf("every tenant failed: %w", errors.Join(failed...)))
	case len(failed) > 0:
		return WithExitCode(ExitPartial, fmt.Errorf("%d of %d tenants failed: %w", len(failed), len(results), errors.Join(failed...)))
	}
	if !o.Advance {
		return nil
	}
	var held []string
	left := 0
	for _, r := range results {
		switch r.Outcome {
		case outcomeGateNotMet:
			held = append(held, r.Tenant+" ("+r.Status.StageName+")")
		case outcomeNothingLeft:
			left++
		}
	}
	switch {
	case len(held) > 0:
		return WithExitCode(ExitGateNotMet, fmt.Errorf("gate not met, nothing widened on: %s; see jamf-scep rollout status", strings.Join(held, ", ")))
	case left == len(results):
		return WithExitCode(ExitNothingLeft, errors.New("nothing left: every tenant is at the last stage"))
	}
	return nil
}

// forEach runs fn(i) for every item, at most DefaultParallel at once (each
// tenant's client keeps its own five-connection cap), and waits; a panic
// is carried to the wait and reported (internal/crash).
func forEach[T any](items []T, fn func(i int)) {
	sem := make(chan struct{}, DefaultParallel)
	var wg crash.Group
	for i := range items {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			fn(i)
		})
	}
	wg.Wait()
}

func orFirst(name string) string {
	if name == "" {
		return "before the first stage"
	}
	return "stage " + name
}
