// Package verifycmd implements `jamf-scep verify`: which Macs in a profile's
// scope hold their Okta Device Access certificate and private key, and
// which need attention, from Jamf Pro inventory and MDM command history.
// The report itself is computed by pkg/verify; this package fetches,
// renders and maps the outcome to exit codes.
package verifycmd

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/engine"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// problemsOnly is the one value --only accepts.
const problemsOnly = "problems"

// maxParallelTenants bounds how many tenants are verified at once (each
// tenant's client keeps its own five-connection cap).
const maxParallelTenants = 4

// Options are the inputs of `verify`.
type Options struct {
	F *cmdutil.Factory

	ProfileName    string
	ProfileID      int
	FailUnder      *float64 // --fail-under: percent 0..100; nil when not given
	Only           string
	StaleAfterDays int
	All            bool
	Shard          string // --shard K/N, with --all
	Tenants        []string
	JamfDialect    string
	// Now overrides the clock (hidden --now, RFC 3339) for reproducible
	// reports; zero means Factory.Now.
	Now time.Time
	// Renewals, FailAtRisk and MarginDays: --renewals (renewals.go).
	Renewals   bool
	FailAtRisk *int // nil when not given
	MarginDays int  // 0 means 7
}

// NewCmdVerify returns the `verify` command. runF replaces the run
// function in tests of flag parsing.
func NewCmdVerify(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	var now string
	var failUnder float64
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Report which Macs have their Okta Device Access certificate",
		Long: `Report, for the SCEP profile and every Mac in its scope, whether the
profile is installed, the state of its latest install command (PENDING,
ACKNOWLEDGED, NOT_NOW, ERROR), the certificate that matches the profile's
Subject (common name, expiry, private key present) and its days left
against the redistribution window, and how old the Mac's inventory is.
Macs outside the scope that still hold the profile are reported too.

Everything comes from Jamf Pro: one paged computers-inventory listing with
the CONFIGURATION_PROFILES and CERTIFICATES sections, the profile's MDM
commands, and the profile's scope. Nothing is sent to any Mac. Inventory
older than --stale-after days is flagged and not trusted: such a Mac does
not count toward coverage.

Coverage is the share of Macs in scope whose fresh inventory shows a
matching, unexpired certificate with its private key. --fail-under exits 1
when coverage is below it, for CI and monitoring. The table lists the worst
Macs first; -o json and -o csv give the same data for reports.

The profile is --profile-id, else --profile, else the tenant's profile_id,
else profile.name from the config.`,
		Example: `  $ jamf-scep verify --profile "Okta Device Access"
  $ jamf-scep verify --profile-id 42 --only problems
  $ jamf-scep verify --fail-under 95 -o json > verify.json
  $ jamf-scep verify --all -o csv > okta-certificates.csv
  $ jamf-scep verify --tenant prod,staging --stale-after 14`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{cmdutil.AnnotationCSV: "true"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("fail-under") {
				opts.FailUnder = &failUnder
			}
			if now != "" {
				t, err := time.Parse(time.RFC3339, now)
				if err != nil {
					return cmdutil.InvalidFlagValue("now", now, "an RFC 3339 time such as 2026-03-01T00:00:00Z")
				}
				opts.Now = t
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.ProfileName, "profile", "", "Jamf profile name (default: profile.name from the config)")
	cmdutil.AddProfileIDFlag(fl, &opts.ProfileID, "Jamf profile id")
	fl.Float64Var(&failUnder, "fail-under", 0, "exit 1 when coverage is below this percent (0-100)")
	fl.StringVar(&opts.Only, "only", "", `list only some Macs: "problems" (every Mac whose status is not ok)`)
	fl.IntVar(&opts.StaleAfterDays, "stale-after", 7, "days after which a Mac's inventory is flagged and not trusted")
	fl.BoolVar(&opts.All, "all", false, "verify every tenant in the config")
	cmdutil.AddShardFlag(fl, &opts.Shard)
	cmdutil.AddTenantsFlag(fl, &opts.Tenants, "verify these tenants (comma-separated names)")
	cmdutil.AddJamfDialectFlag(fl, &opts.JamfDialect, "file overriding how Jamf's own SCEP settings are stored (see profiles/jamf-dialect.yaml)")
	fl.StringVar(&now, "now", "", "compute the report for this time (RFC 3339), for reproducible output")
	_ = fl.MarkHidden("now")
	cmd.MarkFlagsMutuallyExclusive("profile", "profile-id")
	cmd.MarkFlagsMutuallyExclusive("all", "tenant")
	addRenewalFlags(cmd, opts)
	return cmd
}

// Validate checks the flags without touching config or network.
func (o *Options) Validate() error {
	switch {
	case o.ProfileID < 0:
		return cmdutil.CheckProfileID(o.ProfileID)
	case o.FailUnder != nil && (*o.FailUnder < 0 || *o.FailUnder > 100 || math.IsNaN(*o.FailUnder)):
		return cmdutil.InvalidFlagValue("fail-under", strconv.FormatFloat(*o.FailUnder, 'g', -1, 64), "a percent from 0 to 100")
	case o.Only != "" && o.Only != problemsOnly:
		return cmdutil.InvalidFlagValue("only", o.Only, problemsOnly)
	case o.StaleAfterDays < 1:
		return cmdutil.InvalidFlagValue("stale-after", strconv.Itoa(o.StaleAfterDays), "a number of days (1 or more)")
	}
	if _, err := cmdutil.ParseShard(o.Shard, o.All); err != nil {
		return err
	}
	return o.validateRenewals()
}

// tenantResult is one tenant's outcome: a report or an error.
type tenantResult struct {
	Tenant string         `json:"tenant"`
	Report *verify.Report `json:"report,omitempty"`
	Err    error          `json:"-"`
	Error  string         `json:"error,omitempty"`
}

// run verifies the selected tenants and prints the report.
func run(ctx context.Context, opts *Options) error {
	f := opts.F
	if err := opts.Validate(); err != nil {
		return err
	}
	cfg, err := f.TenantConfig()
	if err != nil {
		return err
	}
	sh, err := cmdutil.ParseShard(opts.Shard, opts.All)
	if err != nil {
		return err
	}
	names, err := engine.SelectTenants(cfg, opts.Tenants, opts.All, sh)
	if err != nil {
		return cmdutil.EngineError(err)
	}
	var tenants []config.Tenant
	if len(names) > 0 { // an empty shard selects none (Select(nil) is every tenant)
		if tenants, err = cfg.Select(names); err != nil {
			return &cmdutil.UsageError{Err: err}
		}
	}
	now := opts.Now
	if now.IsZero() {
		now = f.Now()
	}
	queries := make([]verify.Query, len(tenants))
	for i, t := range tenants {
		eff, err := cfg.Effective(t.Name)
		if err != nil {
			return err
		}
		dialect, err := config.DialectFor(opts.JamfDialect, eff.Profile)
		if err != nil {
			return err
		}
		q := verify.Query{
			ProfileID:        opts.ProfileID,
			ProfileName:      opts.ProfileName,
			Dialect:          dialect,
			RedistributeDays: eff.Profile.SCEP.RedistributeDays,
			Now:              now,
			StaleAfter:       time.Duration(opts.StaleAfterDays) * 24 * time.Hour,
		}
		if q.ProfileID == 0 && q.ProfileName == "" {
			q.ProfileID, q.ProfileName = t.ProfileID, eff.Profile.Name
		}
		if q.ProfileID == 0 && q.ProfileName == "" {
			return cmdutil.RequiredFlags("when the config has no profile.name", "profile", "profile-id")
		}
		queries[i] = q
	}

	longSubjects := opts.watchSubjects(queries)
	tenantNames := make([]string, len(tenants))
	for i, t := range tenants {
		tenantNames[i] = t.Name
	}
	steps := f.NewSteps(tenantNames)
	for i, t := range tenants {
		queries[i].Progress = func(step string, done, total int) { steps.Step(t.Name, step, done, total, "Macs") }
	}
	results := make([]tenantResult, len(tenants))
	var wg crash.Group // a panic is carried to Wait and reported
	sem := make(chan struct{}, maxParallelTenants)
	for i, t := range tenants {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = verifyTenant(ctx, f, t, queries[i], len(tenants) > 1)
		})
	}
	wg.Wait()
	steps.Done()

	multi := opts.All || len(opts.Tenants) > 0
	if opts.Renewals {
		return renewals(f, opts, results, longSubjects, multi)
	}
	if err := render(f, opts, results, multi); err != nil {
		return err
	}
	return outcome(opts, results)
}

func verifyTenant(ctx context.Context, f *cmdutil.Factory, t config.Tenant, q verify.Query, named bool) tenantResult {
	res := tenantResult{Tenant: t.Name}
	prefix := ""
	if named {
		prefix = "tenant " + t.Name + ": "
	}
	q.Warnf = func(format string, args ...any) { f.Warnf(prefix+format, args...) }
	c, err := f.Connect(ctx, t)
	if err == nil {
		defer func() { _ = c.Close(context.WithoutCancel(ctx)) }()
		res.Report, err = verify.Collect(ctx, c, q)
	}
	if err != nil {
		res.Err = classify(err)
		res.Error = res.Err.Error()
	}
	return res
}

// classify gives Jamf errors their exit code and a hint
// (cmdutil.JamfError).
func classify(err error) error { return cmdutil.JamfError(err) }

// outcome maps the results to the exit status: tenant errors first
// (partial when some tenants worked), then --fail-under.
func outcome(opts *Options, results []tenantResult) error {
	var failed []error
	for _, r := range results {
		if r.Err != nil {
			failed = append(failed, r.Err)
		}
	}
	switch {
	case len(failed) == len(results) && len(results) == 1:
		return failed[0]
	case len(failed) == len(results):
		return cmdutil.WithExitCode(cmdutil.ExitCode(failed[0]), fmt.Errorf("every tenant failed: %w", errors.Join(failed...)))
	case len(failed) > 0:
		return cmdutil.WithExitCode(cmdutil.ExitPartial, fmt.Errorf("%d of %d tenants failed: %w", len(failed), len(results), errors.Join(failed...)))
	}
	if opts.FailUnder == nil {
		return nil
	}
	var below []string
	for _, r := range results {
		if c := r.Report.Summary.Coverage; c < *opts.FailUnder {
			below = append(below, fmt.Sprintf("%s %.1f%%", r.Tenant, c))
		}
	}
	if len(below) > 0 {
		return cmdutil.WithExitCode(cmdutil.ExitError, fmt.Errorf("coverage below --fail-under %g%%: %s", *opts.FailUnder, strings.Join(below, ", ")))
	}
	return nil
}
