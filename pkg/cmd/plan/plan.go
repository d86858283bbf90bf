// Package plan implements `jamf-scep plan`, and the run both `plan` and
// `apply` share: for each selected tenant, connect, find the stored profile,
// resolve the scope, compute the plan (pkg/plan), and for apply, confirm and
// write. Tenants run concurrently, at most --parallel at a time; each
// tenant's own requests stay within the Jamf client's connection cap.
package plan

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// DefaultParallel is how many tenants run at once unless --parallel says
// otherwise.
const DefaultParallel = 4

// Redeploy flag values.
const (
	RedeployNewlyAssigned = "newly-assigned"
	RedeployAll           = "all"
)

// Options are the inputs of `plan` and `apply`.
type Options struct {
	F *cmdutil.Factory

	// Apply writes the plan after confirmation (`apply`).
	Apply bool

	Tenants          []string // --tenant a,b
	All              bool     // --all
	Parallel         int      // --parallel
	ProfileID        int      // --profile-id
	ReplaceScope     bool     // --replace-scope
	Redeploy         string   // --redeploy: newly-assigned | all
	DetailedExitcode bool     // --detailed-exitcode (plan)
	Yes              bool     // --yes (apply)
	JamfDialect      string   // --jamf-dialect
	// AcceptLongSubject lets apply write although some Macs in scope would
	// get a Subject over RFC 5280's limits (--accept-long-subject).
	AcceptLongSubject bool

	// Config returns the configuration; nil means F.Config. The demo
	// passes an in-memory one.
	Config func() (*config.Config, error)
	// Resolver resolves secret references; the zero value reads the
	// environment (F.LookupEnv), files and the keychain.
	Resolver *secret.Resolver
	// ClientOptions are passed to every tenant's client (the demo and
	// tests tune retries).
	ClientOptions []jamf.Option
}

// AddFlags registers the flags plan and apply share.
func AddFlags(cmd *cobra.Command, opts *Options) {
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Tenants, "tenant", nil, "tenants to run, by config name (comma-separated or repeated)")
	fl.BoolVar(&opts.All, "all", false, "run every tenant in the config")
	fl.IntVar(&opts.Parallel, "parallel", DefaultParallel, "tenants to run at once")
	fl.IntVar(&opts.ProfileID, "profile-id", 0, "manage the stored profile with this Jamf id instead of finding it by exact name")
	fl.BoolVar(&opts.ReplaceScope, "replace-scope", false, "own every scope list, limitations and user lists included: what the config omits is emptied")
	fl.StringVar(&opts.Redeploy, "redeploy", RedeployNewlyAssigned, "redeploy on a payload change: newly-assigned, or all (every Mac in scope gets a new certificate)")
	fl.StringVar(&opts.JamfDialect, "jamf-dialect", "", "file overriding how Jamf's own SCEP settings are stored (see profiles/jamf-dialect.yaml)")
	fl.BoolVar(&opts.AcceptLongSubject, "accept-long-subject", false, "write even though the Subject is too long on the Macs the plan lists: those Macs fail to enroll, and their renewal fails too")
	cmd.MarkFlagsMutuallyExclusive("tenant", "all")
}

// NewCmdPlan returns the `plan` command. runF replaces Run in tests of
// flag parsing.
func NewCmdPlan(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what apply would change in Jamf Pro",
		Long: `Compare the profile and scope in the config with what each Jamf Pro tenant
holds and print what apply would do: create, update or nothing; a field-level
diff of the profile (Jamf's own rewrites of the stored plist masked, so a
converged tenant shows no changes); general changes; scope additions and
removals per category; the redeploy mode; how many Macs are in the resulting
scope and how many are newly added; and the Macs whose certificate Subject
would exceed 64 characters. Secrets show as (sensitive).

Subject too long: when the Subject (with what Jamf adds for
$PROFILE_IDENTIFIER, per the dialect) exceeds RFC 5280's limits on some Macs
in scope, those Macs cannot enroll, and their renewal fails too. plan lists
them and fails; apply refuses and writes nothing; doctor fails the same
check. --accept-long-subject accepts the listed Macs and lets apply write.

Scope ownership: a category the config declares (even as an empty list) is
made to match exactly; a category it omits is left as Jamf has it. The lists
the config cannot declare (users, user groups, limitations, network
segments, iBeacons and their exclusions) are written back exactly as read.
--replace-scope owns every list, those included, and empties what the
config does not declare.

Nothing is written. With --detailed-exitcode the exit status is 0 for no
changes and 2 for changes; any other status is an error (1, or the specific
codes of jamf-scep help exit-codes: 3 usage, 4 auth, 5 not found, 6
conflict, 7 some tenants failed). -o json prints a document CI can store
(schemaVersion 1).`,
		Example: `  $ jamf-scep plan --config jamf-scep.yaml
  $ jamf-scep plan --config multi-tenant.yaml --all -o json
  $ jamf-scep plan --config multi-tenant.yaml --tenant prod-us,prod-eu --detailed-exitcode`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	AddFlags(cmd, opts)
	cmd.Flags().BoolVar(&opts.DetailedExitcode, "detailed-exitcode", false, "exit 0 for no changes, 2 for changes, anything else for an error")
	return cmd
}

// tenantRun is one tenant's state through a run.
type tenantRun struct {
	name  string
	state *plan.State
	close func()
	err   error
}

// Run plans (and with Apply, applies) every selected tenant.
func Run(ctx context.Context, opts *Options) error {
	f := opts.F
	if err := validate(opts); err != nil {
		return err
	}
	if opts.Apply && !opts.Yes && !f.IOStreams.CanPrompt() {
		return cmdutil.RequiredFlags("when not running interactively", "yes")
	}
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	names, err := selectTenants(cfg, opts)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("the config has problems; nothing was sent:\n%w", err)}
	}
	if opts.ProfileID > 0 && len(names) > 1 {
		return cmdutil.UsageErrorf("--profile-id names one profile on one tenant; use it with a single --tenant")
	}

	ev := newEvents(f, names)
	runs := make([]*tenantRun, len(names))
	for i, n := range names {
		runs[i] = &tenantRun{name: n}
	}
	defer func() {
		for _, r := range runs {
			if r.close != nil {
				r.close()
			}
		}
	}()

	forEach(ctx, runs, opts.Parallel, func(ctx context.Context, r *tenantRun) {
		r.err = opts.prepare(ctx, cfg, r, ev)
		if r.err == nil {
			r.err = plan.Run(ctx, r.state, func(step string) { ev.step(r.name, step) }, plan.Steps()...)
		}
		ev.planned(r)
	})

	if !f.Globals.JSON() {
		if err := printPlans(f, runs); err != nil {
			return err
		}
	}

	if opts.Apply {
		// One policy for a Subject too long on some Macs in scope: apply
		// refuses before asking, and writes nothing to that tenant.
		for _, r := range runs {
			if r.err == nil {
				r.err = r.state.Plan.SubjectErr()
			}
		}
	}
	applied := false
	if opts.Apply && anyChanges(runs) {
		if err := confirm(ctx, opts, runs); err != nil {
			if errors.Is(err, cmdutil.ErrCancel) && !f.Globals.JSON() {
				fmt.Fprintln(f.IOStreams.ErrOut, "Nothing was changed.")
			}
			return err
		}
		applied = true
		var pending []string
		for _, r := range runs {
			if r.err == nil && r.state.Plan.HasChanges() {
				pending = append(pending, r.name)
			}
		}
		ev.newPhase(pending)
		forEach(ctx, runs, opts.Parallel, func(ctx context.Context, r *tenantRun) {
			if r.err != nil || !r.state.Plan.HasChanges() {
				return
			}
			r.err = plan.Run(ctx, r.state, func(step string) { ev.step(r.name, step) }, plan.ApplySteps()...)
			ev.applied(r)
		})
	} else if opts.Apply && !f.Globals.JSON() && !anyFailed(runs) {
		fmt.Fprintln(f.IOStreams.ErrOut, "Nothing to apply: every tenant matches the config; no write was made.")
	}

	report := buildReport(opts, runs, applied)
	if f.Globals.JSON() {
		if err := cmdutil.WriteJSON(f.IOStreams.Out, report); err != nil {
			return err
		}
	} else if len(runs) > 1 {
		if err := printSummary(f, report); err != nil {
			return err
		}
	}
	return exitStatus(opts, runs)
}

func validate(opts *Options) error {
	if opts.Redeploy != RedeployNewlyAssigned && opts.Redeploy != RedeployAll {
		return cmdutil.InvalidFlagValue("redeploy", opts.Redeploy, RedeployNewlyAssigned, RedeployAll)
	}
	if opts.Parallel < 1 {
		return cmdutil.InvalidFlagValue("parallel", strconv.Itoa(opts.Parallel), "a number of tenants, 1 or more")
	}
	if opts.ProfileID < 0 {
		return cmdutil.InvalidFlagValue("profile-id", strconv.Itoa(opts.ProfileID), "a Jamf profile id, 1 or more")
	}
	return nil
}

func (opts *Options) loadConfig() (*config.Config, error) {
	if opts.Config != nil {
		return opts.Config()
	}
	return opts.F.Config()
}

func (opts *Options) resolver() secret.Resolver {
	if opts.Resolver != nil {
		return *opts.Resolver
	}
	return secret.Resolver{LookupEnv: opts.F.LookupEnv}
}

// selectTenants returns the tenant names to run: --all, --tenant, or the
// config's only tenant.
func selectTenants(cfg *config.Config, opts *Options) ([]string, error) {
	if opts.All || len(opts.Tenants) > 0 {
		ts, err := cfg.Select(opts.Tenants)
		if err != nil {
			return nil, &cmdutil.UsageError{Err: err}
		}
		return tenantNames(ts), nil
	}
	switch len(cfg.Tenants) {
	case 0:
		return nil, cmdutil.UsageErrorf("no Jamf Pro tenant: set %s with %s and %s (or %s and %s), or pass --config with a tenants list",
			config.EnvURL, config.EnvClientID, config.EnvClientSecret, config.EnvUsername, config.EnvPassword)
	case 1:
		return []string{cfg.Tenants[0].Name}, nil
	}
	return nil, cmdutil.UsageErrorf("the config has %d tenants (%s); pass --tenant NAME or --all",
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
func (opts *Options) prepare(ctx context.Context, cfg *config.Config, r *tenantRun, ev *events) error {
	f := opts.F
	eff, err := cfg.Effective(r.name)
	if err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	dialect, err := config.DialectFor(opts.JamfDialect, eff.Profile)
	if err != nil {
		return err
	}
	res := opts.resolver()
	popts, err := config.ProfileOptions(ctx, eff.Profile, res, true)
	if err != nil {
		return err
	}
	prof, findings, err := profile.Build(popts, dialect)
	if err != nil {
		var lines []string
		for _, x := range findings.Errors() {
			lines = append(lines, x.String())
		}
		return &cmdutil.UsageError{Err: fmt.Errorf("the profile does not build:\n  %s", strings.Join(lines, "\n  "))}
	}
	for _, w := range findings.Warnings() {
		ev.warn(r.name, w.String())
	}
	client, err := tenant.Connect(ctx, eff.Tenant, tenant.Options{Resolver: res, Logger: f.Logger(), ClientOptions: append(f.ClientOptions(), opts.ClientOptions...)})
	if err != nil {
		return err
	}
	// The payload carries the Okta secret; keep it out of any error or
	// debug record the client writes, even if Jamf quotes the request back.
	client.Redact(string(popts.Password), string(popts.Challenge))
	r.close = func() { _ = client.Close(context.WithoutCancel(ctx)) }
	redeploy := jamf.RedeployNewlyAssigned
	if opts.Redeploy == RedeployAll {
		redeploy = jamf.RedeployAll
	}
	r.state = &plan.State{
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
			Redeploy: redeploy,
		},
		ScopeConfig:       eff.Scope,
		ReplaceScope:      opts.ReplaceScope,
		AcceptLongSubject: opts.AcceptLongSubject,
		// --profile-id, else the tenant's profile_id pin, else by name.
		ProfileID: config.Pick(opts.ProfileID, 0, eff.Tenant.ProfileID, 0),
	}
	return nil
}

// forEach runs fn for every run, at most parallel at a time, and waits.
// One run failing never stops the others.
func forEach(ctx context.Context, runs []*tenantRun, parallel int, fn func(context.Context, *tenantRun)) {
	sem := make(chan struct{}, parallel)
	var wg crash.Group // a panic in a tenant is reported, not exit 2
	for _, r := range runs {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				if r.err == nil {
					r.err = ctx.Err()
				}
				return
			}
			defer func() { <-sem }()
			fn(ctx, r)
		})
	}
	wg.Wait()
}

// anyFailed reports whether any tenant failed to plan or apply.
func anyFailed(runs []*tenantRun) bool {
	for _, r := range runs {
		if r.err != nil {
			return true
		}
	}
	return false
}

func anyChanges(runs []*tenantRun) bool {
	for _, r := range runs {
		if r.err == nil && r.state.Plan.HasChanges() {
			return true
		}
	}
	return false
}

// printPlans writes each tenant's plan (or its planning error) to stdout,
// in config order.
func printPlans(f *cmdutil.Factory, runs []*tenantRun) error {
	out := f.IOStreams.Out
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(out)
		}
		name := ""
		if len(runs) > 1 {
			name = r.name
		}
		if r.err != nil && (r.state == nil || r.state.Plan == nil) {
			// One tenant's error is the command's error, printed once
			// on stderr; with several it is listed here too.
			if len(runs) > 1 {
				fmt.Fprintf(out, "! tenant %s: not planned: %s\n", r.name, firstLine(describe(r.err)))
			}
			continue
		}
		if err := plan.WriteText(out, name, r.state.Plan); err != nil {
			return err
		}
	}
	return nil
}

// confirm asks once for every tenant with changes, warning first about
// --redeploy all. --yes skips the question.
func confirm(ctx context.Context, opts *Options, runs []*tenantRun) error {
	f := opts.F
	n, macs := 0, 0
	for _, r := range runs {
		if r.err == nil && r.state.Plan.HasChanges() {
			n++
			if r.state.Plan.Redeploy == jamf.RedeployAll {
				macs += r.state.Plan.Macs.InScope
			}
		}
	}
	if macs > 0 {
		f.Warnf("--redeploy all: %d Mac(s) will reinstall the profile and each gets a new certificate from Okta", macs)
	}
	if opts.Yes {
		return nil
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "\nApply these changes to %d tenant(s)? Type yes to continue: ", n)
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(f.IOStreams.In).ReadString('\n')
		answer <- strings.TrimSpace(line)
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case a := <-answer:
		if a != "yes" && a != "y" {
			return cmdutil.ErrCancel
		}
	}
	return nil
}

func buildReport(opts *Options, runs []*tenantRun, applied bool) plan.Report {
	cmd := "plan"
	if opts.Apply {
		cmd = "apply"
	}
	rep := plan.Report{SchemaVersion: plan.SchemaVersion, Command: cmd, Tenants: []plan.TenantReport{}}
	for _, r := range runs {
		tr := plan.TenantReport{Tenant: r.name, Written: []string{}}
		if r.state != nil {
			tr.Plan = r.state.Plan
			tr.Written = append(tr.Written, r.state.Written...)
			tr.Verified = r.state.Verified
		}
		switch {
		case r.err != nil:
			tr.Result = plan.ResultFailed
			tr.Error = failureText(r)
			tr.Verified = false
		case !tr.Plan.HasChanges():
			tr.Result = plan.ResultUnchanged
			tr.Verified = true
		case applied:
			tr.Result = plan.ResultApplied
		default:
			tr.Result = plan.ResultPlanned
		}
		rep.Tenants = append(rep.Tenants, tr)
	}
	return rep
}

// printSummary writes the multi-tenant table: tenant, action, changes, Macs
// in scope, result.
func printSummary(f *cmdutil.Factory, rep plan.Report) error {
	out := f.IOStreams.Out
	fmt.Fprintln(out)
	t := cmdutil.NewTable(out, f.IOStreams.IsStdoutTTY())
	t.Row("TENANT", "ACTION", "CHANGES", "MACS IN SCOPE", "RESULT")
	for _, tr := range rep.Tenants {
		action, changes, macs := "-", "-", "-"
		if tr.Plan != nil {
			action = string(tr.Plan.Action)
			changes = strconv.Itoa(tr.Plan.ChangeCount())
			macs = strconv.Itoa(tr.Plan.Macs.InScope)
		}
		result := tr.Result
		if tr.Error != "" {
			result += ": " + firstLine(tr.Error)
		}
		t.Row(tr.Tenant, action, changes, macs, result)
	}
	return t.Flush()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// exitStatus maps the runs to the command's error: nil when all went well
// (or ExitChanges with --detailed-exitcode), the one tenant's classified
// error, or ExitPartial when some of several tenants failed.
func exitStatus(opts *Options, runs []*tenantRun) error {
	var failed []*tenantRun
	for _, r := range runs {
		if r.err != nil {
			failed = append(failed, r)
		}
	}
	switch {
	case len(failed) == 0:
		if opts.DetailedExitcode && !opts.Apply && anyChanges(runs) {
			return &cmdutil.CodedError{Code: cmdutil.ExitChanges}
		}
		return nil
	case len(runs) == 1:
		return classify(runs[0])
	}
	var b strings.Builder
	code := cmdutil.ExitPartial
	if len(failed) == len(runs) {
		code = cmdutil.ExitError
		fmt.Fprintf(&b, "all %d tenants failed:", len(runs))
	} else {
		fmt.Fprintf(&b, "%d of %d tenants failed:", len(failed), len(runs))
	}
	for _, r := range failed {
		fmt.Fprintf(&b, "\n  tenant %s: %s", r.name, strings.ReplaceAll(failureText(r), "\n", "\n  "))
	}
	return cmdutil.WithExitCode(code, errors.New(b.String()))
}

// classify turns one tenant's failure into the error the command returns:
// the right exit code, a hint for 401/403, and for a failed apply exactly
// what was and was not changed.
func classify(r *tenantRun) error {
	err := errors.New("tenant " + r.name + ": " + failureText(r))
	var jerr *jamf.Error
	var amb *jamf.AmbiguousNameError
	var ue *cmdutil.UsageError
	switch {
	case errors.Is(r.err, context.Canceled) && r.state != nil && (len(r.state.Written) > 0 || errors.Is(r.err, jamf.ErrMayHaveApplied)):
		// Canceled after a write, or during one: say what changed or may
		// have.
		return cmdutil.WithExitCode(cmdutil.ExitCancelled, err)
	case errors.Is(r.err, context.Canceled):
		return cmdutil.ErrCancel
	case errors.As(r.err, &ue), errors.Is(r.err, config.ErrInvalid):
		return &cmdutil.UsageError{Err: err}
	case errors.As(r.err, &amb):
		return cmdutil.WithExitCode(cmdutil.ExitConflict, err)
	case errors.As(r.err, &jerr) && (jerr.StatusCode == http.StatusUnauthorized || jerr.StatusCode == http.StatusForbidden):
		return cmdutil.WithExitCode(cmdutil.ExitAuth, err)
	case errors.Is(r.err, jamf.ErrUnauthorized), errors.Is(r.err, jamf.ErrForbidden):
		return cmdutil.WithExitCode(cmdutil.ExitAuth, err)
	case errors.Is(r.err, jamf.ErrNotFound):
		return cmdutil.WithExitCode(cmdutil.ExitNotFound, err)
	case errors.Is(r.err, jamf.ErrConflict):
		return cmdutil.WithExitCode(cmdutil.ExitConflict, err)
	}
	return err
}

// failureText is a tenant's error with its hint and, when apply got as far
// as a write, exactly what was and was not changed.
func failureText(r *tenantRun) string {
	msg := describe(r.err)
	if r.state != nil && r.state.Plan != nil && r.state.Plan.HasChanges() && (len(r.state.Written) > 0 || isApplyStep(r.err)) {
		msg += "\n" + changeReport(r)
	}
	return msg
}

func isApplyStep(err error) bool {
	var se *plan.StepError
	if !errors.As(err, &se) {
		return false
	}
	for _, s := range plan.ApplySteps() {
		if s.String() == se.Step {
			return true
		}
	}
	return false
}

// changeReport says exactly what a failed apply changed, or that it may
// have changed something when Jamf's answer did not say, and what to do:
// the advice follows the cause (a read-back mismatch Jamf will repeat
// needs a config change; a stale read or a lost answer needs a rerun).
func changeReport(r *tenantRun) string {
	st := r.state
	var b strings.Builder
	var uw *plan.UncertainWriteError
	if errors.As(r.err, &uw) {
		for _, w := range st.Written {
			fmt.Fprintf(&b, "  changed: %s\n", w)
		}
		b.WriteString("  " + uw.Outcome())
		return b.String()
	}
	if len(st.Written) == 0 {
		if errors.Is(r.err, jamf.ErrMayHaveApplied) {
			fmt.Fprintf(&b, "  the write may have been applied on tenant %s: Jamf Pro's answer does not say; run `jamf-scep plan` to see, then apply again", r.name)
			return b.String()
		}
		fmt.Fprintf(&b, "  nothing was changed on tenant %s; rerun `jamf-scep apply` once the cause is fixed", r.name)
		return b.String()
	}
	for _, w := range st.Written {
		fmt.Fprintf(&b, "  changed: %s\n", w)
	}
	if !st.Verified {
		b.WriteString("  not verified: the read-back did not confirm the write\n")
	}
	var me *plan.MismatchError
	if errors.As(r.err, &me) {
		b.WriteString("  " + me.Advice())
		return b.String()
	}
	b.WriteString("  rerun `jamf-scep apply`: it plans against what Jamf Pro now holds and converges")
	return b.String()
}

// describe renders a tenant's error with a hint for 401 and 403.
func describe(err error) string {
	msg := err.Error()
	var jerr *jamf.Error
	switch {
	case errors.As(err, &jerr) && jerr.StatusCode == http.StatusForbidden,
		errors.Is(err, jamf.ErrForbidden):
		msg += " (the API role lacks a privilege for this request; see `jamf-scep help jamf-privileges`)"
	case errors.As(err, &jerr) && (jerr.StatusCode == http.StatusUnauthorized || errors.Is(jerr, jamf.ErrUnauthorized)):
		msg += " (" + jerr.CredentialsHint() + ")"
	case errors.Is(err, jamf.ErrUnauthorized):
		msg += " (check the tenant's credentials: tenants[].auth)"
	}
	return msg
}

// events prints progress on stderr. In CI and whenever stderr is not a
// terminal it writes one plain line per event ("tenant: step..."). On a
// terminal with several tenants it keeps one live line per tenant, redrawn
// in place, and prints warnings above the block.
type events struct {
	mu     sync.Mutex
	w      io.Writer
	live   bool
	order  []string          // tenants in config order
	status map[string]string // tenant -> latest event
	drawn  int               // lines of the live block on screen
}

func newEvents(f *cmdutil.Factory, tenants []string) *events {
	return &events{
		w:      f.IOStreams.ErrOut,
		live:   f.IOStreams.IsStderrTTY() && len(tenants) > 1,
		order:  tenants,
		status: map[string]string{},
	}
}

// ANSI sequences of the live block: cursor up N lines, clear to the end of
// the screen.
const (
	ansiUp    = "\x1b[%dA"
	ansiClear = "\x1b[J"
)

func (e *events) line(tenantName, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.live {
		fmt.Fprintf(e.w, "%s: %s\n", tenantName, msg)
		return
	}
	e.status[tenantName] = msg
	e.redraw("")
}

// redraw replaces the live block, printing above (a warning) first when
// set. e.mu must be held.
func (e *events) redraw(above string) {
	var b strings.Builder
	if e.drawn > 0 {
		fmt.Fprintf(&b, ansiUp, e.drawn)
	}
	b.WriteString(ansiClear)
	b.WriteString(above)
	for _, t := range e.order {
		st := e.status[t]
		if st == "" {
			st = "waiting"
		}
		fmt.Fprintf(&b, "%s: %s\n", t, st)
	}
	e.drawn = len(e.order)
	_, _ = io.WriteString(e.w, b.String()) // progress is best effort
}

// newPhase leaves the live block on screen as it is and starts a new one
// below for the tenants of the next phase (after the plans are printed).
func (e *events) newPhase(tenants []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.drawn = 0
	e.order = tenants
	clear(e.status)
}

func (e *events) step(tenantName, step string) { e.line(tenantName, "%s...", step) }

func (e *events) warn(tenantName, msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.live {
		fmt.Fprintf(e.w, "%s: %s\n", tenantName, msg)
		return
	}
	e.redraw(tenantName + ": " + msg + "\n")
}

func (e *events) planned(r *tenantRun) {
	switch {
	case r.err != nil:
		e.line(r.name, "failed: %s", firstLine(describe(r.err)))
	case r.state.Plan.HasChanges():
		e.line(r.name, "planned: %s (%d change(s))", r.state.Plan.Action, r.state.Plan.ChangeCount())
	default:
		e.line(r.name, "planned: no changes")
	}
}

func (e *events) applied(r *tenantRun) {
	if r.err != nil {
		e.line(r.name, "apply failed: %s", firstLine(describe(r.err)))
		return
	}
	e.line(r.name, "applied: %s, read back and verified", strings.Join(r.state.Written, "; "))
	if p := r.state.Plan; p != nil && p.Action == plan.ActionCreate && r.state.ProfileID == 0 {
		// On Jamf Cloud a run from another machine within a minute may
		// reach a node that has not seen this profile yet; by id it then
		// fails instead of creating a second one.
		e.line(r.name, "pin it: set profile_id: %d for tenant %s in the config (or pass --profile-id %d), so later runs update this profile by id; if another run created a profile with this name less than a minute ago (its Jamf Cloud node may not have listed it), the next plan lists both: keep the older (lower id)", p.ProfileID, r.name, p.ProfileID)
	}
}
