// Package rolloutcmd implements `jamf-scep rollout status` and `jamf-scep
// rollout advance`: the profile's scope widened ring by ring, each step
// only once the current ring's gate holds. The state is derived from Jamf
// Pro on every run (pkg/rollout); advance writes through pkg/plan's steps,
// with apply's plan, confirmation and read-back.
package rolloutcmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
)

// Options are the inputs of `rollout status` and `rollout advance`.
type Options struct {
	F *cmdutil.Factory

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

// maxParallelTenants bounds how many tenants are read at once (each
// tenant's client keeps its own five-connection cap).
const maxParallelTenants = 4

// NewCmdRollout returns the `rollout` command with its status and advance
// subcommands. runF replaces the run function in tests of flag parsing.
func NewCmdRollout(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rollout",
		Short: "Widen the profile's scope ring by ring, behind verify gates",
		Long: `Roll the SCEP profile out in rings: the config's rollout.stages list, narrowest
first, what each stage adds to the scope and the gate that must hold before
the next one starts (coverage, failed installs, soak time, and a cap on how
many Macs one step adds).

Nothing is kept locally. Each run derives the state from Jamf Pro: the
current stage is the one whose cumulative scope equals the profile's scope,
and it started with the first install command Jamf sent to a Mac it added.
A scope that matches no stage is "off-plan" and advance refuses it.

The rollout owns the scope categories its stages name; every other category
is left as Jamf Pro has it (or as the config's scope section says).`,
		Example: `  $ jamf-scep rollout status
  $ jamf-scep rollout status --all -o json
  $ jamf-scep rollout advance
  $ jamf-scep rollout advance --all --yes`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newCmdStatus(f, runF), newCmdAdvance(f, runF))
	return cmd
}

func newCmdStatus(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each tenant's stage, its gate's figures and whether the next stage may start",
		Long: `Show, per tenant, the rollout's current stage, when it started, the gate's
figures (coverage, failed and pending Macs, time since the stage started),
how many Macs the next step would add, and whether advance may take it.
Nothing is written. -o json gives the same for CI.`,
		Example: `  $ jamf-scep rollout status
  $ jamf-scep rollout status --tenant prod -o json`,
		Args: cobra.NoArgs,
	}
	bind(cmd, opts, runF)
	return cmd
}

func newCmdAdvance(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Advance: true}
	cmd := &cobra.Command{
		Use:   "advance",
		Short: "Widen the scope to the next stage when the gate holds",
		Long: `Widen the profile's scope by one step on each tenant whose current stage's
gate holds: to the next stage, or with max_new_macs, by the next Macs of it
in ascending Jamf computer id (the step says how many remain). The write is
apply's: the plan is shown, confirmed (--yes in scripts), sent as a scope
change only (Jamf installs the profile on the newly assigned Macs; no Mac
reinstalls it), and read back. Tenants advance independently.

advance changes nothing else: when the stored profile differs from what the
config builds, run apply first. --force takes the step although the gate is
not met, with a warning; it never takes an off-plan scope.

Exit codes: 0 some tenant advanced (and none was held back), 8 a gate was
not met on some tenant, 9 nothing left (every tenant is at the last stage),
7 some tenants failed, others as in jamf-scep help exit-codes.`,
		Example: `  $ jamf-scep rollout advance
  $ jamf-scep rollout advance --all --yes
  $ jamf-scep rollout advance --tenant staging --force`,
		Args: cobra.NoArgs,
	}
	bind(cmd, opts, runF)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "advance although the gate is not met (never an off-plan scope)")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do not ask for confirmation (required when not interactive)")
	cmd.Flags().BoolVar(&opts.AcceptLongSubject, "accept-long-subject", false, "widen the scope although some added Macs' Subject is over RFC 5280's limits (they will fail to enroll)")
	return cmd
}

// bind adds the flags both subcommands share and the RunE.
func bind(cmd *cobra.Command, opts *Options, runF func(context.Context, *Options) error) {
	var now string
	fl := cmd.Flags()
	fl.StringVar(&opts.ProfileName, "profile", "", "Jamf profile name (default: profile.name from the config)")
	fl.IntVar(&opts.ProfileID, "profile-id", 0, "Jamf profile id")
	fl.BoolVar(&opts.All, "all", false, "every tenant in the config")
	fl.StringSliceVar(&opts.Tenants, "tenant", nil, "these tenants (comma-separated names)")
	fl.StringVar(&opts.JamfDialect, "jamf-dialect", "", "file overriding how Jamf's own SCEP settings are stored (see profiles/jamf-dialect.yaml)")
	fl.IntVar(&opts.StaleAfterDays, "stale-after", 7, "days after which a Mac's inventory is not trusted (it then does not count toward coverage)")
	fl.StringVar(&now, "now", "", "derive the state for this time (RFC 3339), for reproducible output")
	_ = fl.MarkHidden("now")
	cmd.MarkFlagsMutuallyExclusive("profile", "profile-id")
	cmd.MarkFlagsMutuallyExclusive("all", "tenant")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
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
	}
}

// validate checks the flags without touching config or network.
func (o *Options) validate() error {
	switch {
	case o.ProfileID < 0:
		return cmdutil.InvalidFlagValue("profile-id", strconv.Itoa(o.ProfileID), "a Jamf profile id (1 or more)")
	case o.StaleAfterDays < 1:
		return cmdutil.InvalidFlagValue("stale-after", strconv.Itoa(o.StaleAfterDays), "a number of days (1 or more)")
	case o.ProfileID > 0 && (o.All || len(o.Tenants) > 1):
		return cmdutil.UsageErrorf("--profile-id names one profile on one tenant; use it with a single --tenant")
	}
	return nil
}

// queries loads and validates the config and returns one query per
// selected tenant.
func (o *Options) queries() ([]query, error) {
	f := o.F
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	if cfg.Rollout == nil {
		return nil, cmdutil.UsageErrorf("the config has no rollout section; add rollout.stages (jamf-scep help config-file)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, &cmdutil.UsageError{Err: fmt.Errorf("the config has problems; nothing was sent:\n%w", err)}
	}
	tenants, err := cfg.Select(o.Tenants)
	switch {
	case err != nil:
		return nil, &cmdutil.UsageError{Err: err}
	case len(tenants) == 0:
		return nil, cmdutil.UsageErrorf("the config has no tenants; add one under tenants")
	case !o.All && len(o.Tenants) == 0 && len(tenants) > 1:
		names := make([]string, len(tenants))
		for i, t := range tenants {
			names[i] = t.Name
		}
		return nil, cmdutil.UsageErrorf("the config has %d tenants (%s); pick with --tenant NAME or use --all", len(tenants), strings.Join(names, ", "))
	}
	now := o.Now
	if now.IsZero() {
		now = f.Now()
	}
	out := make([]query, len(tenants))
	for i, t := range tenants {
		eff, err := cfg.Effective(t.Name)
		if err != nil {
			return nil, &cmdutil.UsageError{Err: err}
		}
		dialect, err := config.DialectFor(o.JamfDialect, eff.Profile)
		if err != nil {
			return nil, err
		}
		q := query{
			tenant: t.Name, tenantCfg: eff.Tenant, profileName: o.ProfileName, profileID: o.ProfileID,
			rollout: cfg.Rollout, configScope: eff.Scope, dialect: dialect,
			redistDays: eff.Profile.SCEP.RedistributeDays, now: now,
			staleAfter: time.Duration(o.StaleAfterDays) * 24 * time.Hour,
		}
		if q.profileID == 0 && q.profileName == "" {
			q.profileID, q.profileName = t.ProfileID, eff.Profile.Name
		}
		if q.profileID == 0 && q.profileName == "" {
			return nil, cmdutil.RequiredFlags("when the config has no profile.name", "profile", "profile-id")
		}
		prefix := ""
		if len(tenants) > 1 {
			prefix = "tenant " + t.Name + ": "
		}
		q.warnf = func(format string, args ...any) { f.Warnf(prefix+format, args...) }
		out[i] = q
	}
	return out, nil
}
