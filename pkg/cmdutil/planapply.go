package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/textsafe"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/engine"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// DefaultParallel is how many tenants run at once unless --parallel says
// otherwise.
const DefaultParallel = 4

// Redeploy flag values.
const (
	RedeployNewlyAssigned = "newly-assigned"
	RedeployAll           = "all"
)

// PlanApplyOptions are the inputs of a pkg/engine run as plan and apply
// take them from flags, and as demo and init set them.
type PlanApplyOptions struct {
	// Apply writes the plan after confirmation (`apply`).
	Apply bool

	Tenants          []string // --tenant a,b
	All              bool     // --all
	Shard            string   // --shard K/N
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

	// Config returns the configuration; nil means Factory.Config. The
	// demo and the wizard pass an in-memory one.
	Config func() (*config.Config, error)
	// Resolver resolves secret references; nil reads the environment
	// (Factory.LookupEnv), files and the keychain.
	Resolver *secret.Resolver
	// ClientOptions are passed to every tenant's client after the
	// Factory's (the demo and tests tune retries).
	ClientOptions []jamf.Option
}

// AddPlanApplyFlags registers the flags plan and apply share.
func AddPlanApplyFlags(cmd *cobra.Command, opts *PlanApplyOptions) {
	fl := cmd.Flags()
	AddTenantsFlag(fl, &opts.Tenants, "tenants to run, by config name (comma-separated or repeated)")
	fl.BoolVar(&opts.All, "all", false, "run every tenant in the config")
	AddShardFlag(fl, &opts.Shard)
	fl.IntVar(&opts.Parallel, "parallel", DefaultParallel, "tenants to run at once")
	AddProfileIDFlag(fl, &opts.ProfileID, "manage the stored profile with this Jamf id instead of finding it by exact name")
	fl.BoolVar(&opts.ReplaceScope, "replace-scope", false, "own every scope list, limitations and user lists included: what the config omits is emptied")
	fl.StringVar(&opts.Redeploy, "redeploy", RedeployNewlyAssigned, "redeploy on a payload change: newly-assigned, or all (every Mac in scope gets a new certificate)")
	AddJamfDialectFlag(fl, &opts.JamfDialect, "file overriding how Jamf's own SCEP settings are stored (see profiles/jamf-dialect.yaml)")
	fl.BoolVar(&opts.AcceptLongSubject, "accept-long-subject", false, "write even though the Subject is too long on the Macs the plan lists: those Macs fail to enroll, and their renewal fails too")
	cmd.MarkFlagsMutuallyExclusive("tenant", "all")
}

// Validate checks the flag values, naming the flag and its options.
func (opts *PlanApplyOptions) Validate() error {
	if opts.Redeploy != RedeployNewlyAssigned && opts.Redeploy != RedeployAll {
		return InvalidFlagValue("redeploy", opts.Redeploy, RedeployNewlyAssigned, RedeployAll)
	}
	if opts.Parallel < 1 {
		return InvalidFlagValue("parallel", strconv.Itoa(opts.Parallel), "a number of tenants, 1 or more")
	}
	if _, err := ParseShard(opts.Shard, opts.All); err != nil {
		return err
	}
	return CheckProfileID(opts.ProfileID)
}

// PlanApply runs pkg/engine for plan and apply: the plans on stdout (text)
// and progress on stderr, one question before any write (--yes skips it;
// without a terminal --yes is required), then with several tenants a
// summary table, or with -o json the report. The error carries the run's
// exit code.
func PlanApply(ctx context.Context, f *Factory, opts *PlanApplyOptions) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	if opts.Apply && !opts.Yes && !f.IOStreams.CanPrompt() {
		return RequiredFlags("when not running interactively", "yes")
	}
	load := f.TenantConfig
	if opts.Config != nil {
		load = opts.Config
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	to := f.TenantOptions(opts.ClientOptions...)
	if opts.Resolver != nil {
		to.Resolver = *opts.Resolver
	}
	redeploy := jamf.RedeployNewlyAssigned
	if opts.Redeploy == RedeployAll {
		redeploy = jamf.RedeployAll
	}
	sh, err := ParseShard(opts.Shard, opts.All)
	if err != nil {
		return err
	}
	eopts := engine.Options{
		Apply:             opts.Apply,
		Tenants:           opts.Tenants,
		All:               opts.All,
		Shard:             sh,
		Parallel:          opts.Parallel,
		ProfileID:         opts.ProfileID,
		ReplaceScope:      opts.ReplaceScope,
		Redeploy:          redeploy,
		JamfDialect:       opts.JamfDialect,
		AcceptLongSubject: opts.AcceptLongSubject,
		Resolver:          to.Resolver,
		Logger:            to.Logger,
		ClientOptions:     to.ClientOptions,
	}
	plans := &planTexts{Progress: warnOnce{engine.NewTextProgress(f.IOStreams.ErrOut, f.liveRegion()), f.warnedSet()}, text: map[string]string{}}
	hooks := engine.Hooks{Progress: plans}
	if opts.Yes {
		// No question: each tenant applies as soon as its own plan is
		// ready (engine.Hooks.Confirm nil).
		hooks.BeforeWrite = func(_ context.Context, t *engine.Tenant) error {
			warnRedeploy(plans, t)
			return nil
		}
	} else {
		hooks.Confirm = func(ctx context.Context, r *engine.Result) error {
			return confirmApply(ctx, f, opts.Yes, r)
		}
	}
	if !f.Globals.JSON() {
		hooks.Planned = func(r *engine.Result) error { return printPlans(f, r, plans) }
	}
	result, err := engine.Run(ctx, cfg, eopts, hooks)
	if err != nil {
		if errors.Is(err, ErrCancel) && !f.Globals.JSON() {
			fmt.Fprintln(f.IOStreams.ErrOut, "Nothing was changed.")
		}
		return EngineError(err)
	}
	if sh.N > 0 && len(result.Tenants) == 0 && !f.Globals.JSON() {
		fmt.Fprintf(f.IOStreams.ErrOut, "Shard %s holds none of the config's tenants: nothing to do.\n", sh)
	} else if opts.Apply && !result.Applied && !f.Globals.JSON() && !result.AnyFailed() {
		fmt.Fprintln(f.IOStreams.ErrOut, "Nothing to apply: every tenant matches the config; no write was made.")
	}
	report := result.Report()
	if f.Globals.JSON() {
		if err := WriteJSON(f.IOStreams.Out, report); err != nil {
			return err
		}
	} else if len(result.Tenants) > 1 {
		if err := WriteSummary(f, report); err != nil {
			return err
		}
	}
	if err := result.Err(); err != nil {
		return EngineError(err)
	}
	if opts.DetailedExitcode && !opts.Apply && result.AnyChanges() {
		return &CodedError{Code: ExitChanges}
	}
	return nil
}

// EngineError gives an error of pkg/engine its exit code: an InputError
// or KindInput is a usage error, a cancel before any write is ErrCancel,
// and every other kind its code. Other errors pass through.
func EngineError(err error) error {
	var ee *engine.Error
	var ie *engine.InputError
	switch {
	case errors.As(err, &ee):
		switch ee.Kind {
		case engine.KindInput:
			return &UsageError{Err: ee.Err}
		case engine.KindAuth:
			return WithExitCode(ExitAuth, ee.Err)
		case engine.KindNotFound:
			return WithExitCode(ExitNotFound, ee.Err)
		case engine.KindConflict:
			return WithExitCode(ExitConflict, ee.Err)
		case engine.KindCanceled:
			return ErrCancel
		case engine.KindInterrupted:
			return WithExitCode(ExitCancelled, ee.Err)
		case engine.KindPartial:
			return WithExitCode(ExitPartial, ee.Err)
		}
		return WithExitCode(ExitError, ee.Err)
	case errors.As(err, &ie):
		return &UsageError{Err: ie.Err}
	}
	return err
}

// planTexts is the run's Progress that also renders each tenant's plan
// the moment it is computed, before any write to that tenant changes it
// (a create fills in the new profile's id): when apply streams, the plans
// are printed after the writes, as they were planned.
type planTexts struct {
	engine.Progress
	mu    sync.Mutex
	named bool              // several tenants: each plan names its tenant
	begun bool              // the first phase (every tenant) was seen
	text  map[string]string // tenant -> rendered plan
}

func (p *planTexts) Phase(tenants []string) {
	p.mu.Lock()
	if !p.begun {
		p.begun, p.named = true, len(tenants) > 1
	}
	p.mu.Unlock()
	p.Progress.Phase(tenants)
}

func (p *planTexts) Planned(t *engine.Tenant) {
	if t.State != nil && t.State.Plan != nil {
		p.mu.Lock()
		name := ""
		if p.named {
			name = t.Name
		}
		p.mu.Unlock()
		var b strings.Builder
		if err := plan.WriteText(&b, name, t.State.Plan); err == nil {
			p.mu.Lock()
			p.text[t.Name] = b.String()
			p.mu.Unlock()
		}
	}
	p.Progress.Planned(t)
}

// printPlans writes each tenant's plan (or its planning error) to stdout,
// in config order.
func printPlans(f *Factory, r *engine.Result, plans *planTexts) error {
	out := f.IOStreams.Out
	for i, t := range r.Tenants {
		if i > 0 {
			fmt.Fprintln(out)
		}
		name := ""
		if len(r.Tenants) > 1 {
			name = t.Name
		}
		if t.Err != nil && (t.State == nil || t.State.Plan == nil) {
			// One tenant's error is the command's error, printed once
			// on stderr; with several it is listed here too.
			if len(r.Tenants) > 1 {
				fmt.Fprintf(out, "! tenant %s: not planned: %s\n", t.Name, textsafe.Line(engine.FirstLine(engine.Describe(t.Err))))
			}
			continue
		}
		plans.mu.Lock()
		text, ok := plans.text[t.Name]
		plans.mu.Unlock()
		if ok {
			if _, err := io.WriteString(out, text); err != nil {
				return err
			}
			continue
		}
		if err := plan.WriteText(out, name, t.State.Plan); err != nil {
			return err
		}
	}
	return nil
}

// confirmApply asks once for every tenant with changes, warning first
// about --redeploy all. yes skips the question.
func confirmApply(ctx context.Context, f *Factory, yes bool, r *engine.Result) error {
	n, macs := r.Pending()
	if macs > 0 {
		f.Warnf("--redeploy all: %d Mac(s) will reinstall the profile and each gets a new certificate from Okta", macs)
	}
	if !yes {
		fmt.Fprintln(f.IOStreams.ErrOut)
	}
	return f.Prompter().Require(ctx, yes, "when not running interactively", fmt.Sprintf("Apply these changes to %d tenant(s)?", n))
}

// warnRedeploy warns, before t's write with --yes, how many Macs
// --redeploy all reinstalls the profile on there. It runs from t's
// goroutine, so it goes through the progress (safe for concurrent use).
func warnRedeploy(ev engine.Progress, t *engine.Tenant) {
	if p := t.State.Plan; p.Redeploy == jamf.RedeployAll && p.Macs.InScope > 0 {
		ev.Warn(t.Name, fmt.Sprintf("--redeploy all: %d Mac(s) will reinstall the profile and each gets a new certificate from Okta", p.Macs.InScope))
	}
}

// WriteSummary writes the multi-tenant table of a plan or apply report to
// stdout: tenant, action, changes, Macs in scope, result (with the first
// line of a failure). `report merge` prints merged shard reports with it.
func WriteSummary(f *Factory, rep plan.Report) error {
	out := f.IOStreams.Out
	fmt.Fprintln(out)
	t := NewTable(out, f.IOStreams.IsStdoutTTY())
	t.FitWidth(f.IOStreams.TerminalWidth(), nil, nil)
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
			result += ": " + engine.FirstLine(tr.Error)
		}
		t.Row(tr.Tenant, action, changes, macs, result)
	}
	return t.Flush()
}
