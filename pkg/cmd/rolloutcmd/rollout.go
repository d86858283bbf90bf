// Package rolloutcmd implements `jamf-scep rollout status` and `jamf-scep
// rollout advance`: the profile's scope widened ring by ring, each step
// only once the current ring's gate holds. The state is derived from Jamf
// Pro on every run (pkg/rollout); advance writes through pkg/plan's steps,
// with apply's plan, confirmation and read-back.
package rolloutcmd

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// Options are the inputs of `rollout status` and `rollout advance`: the
// run's options (cmdutil.RingsOptions) and the Factory.
type Options struct {
	F *cmdutil.Factory
	cmdutil.RingsOptions
}

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
	opts := &Options{F: f, RingsOptions: cmdutil.RingsOptions{Advance: true}}
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
	cmdutil.AddYesFlag(cmd.Flags(), &opts.Yes, "advance without asking (required when not running interactively)")
	cmd.Flags().BoolVar(&opts.AcceptLongSubject, "accept-long-subject", false, "widen the scope although some added Macs' Subject is over RFC 5280's limits (they will fail to enroll)")
	return cmd
}

// bind adds the flags both subcommands share and the RunE.
func bind(cmd *cobra.Command, opts *Options, runF func(context.Context, *Options) error) {
	var now string
	fl := cmd.Flags()
	fl.StringVar(&opts.ProfileName, "profile", "", "Jamf profile name (default: profile.name from the config)")
	cmdutil.AddProfileIDFlag(fl, &opts.ProfileID, "roll out the stored profile with this Jamf id instead of finding it by exact name")
	fl.BoolVar(&opts.All, "all", false, "every tenant in the config")
	cmdutil.AddTenantsFlag(fl, &opts.Tenants, "tenants to run, by config name (comma-separated or repeated)")
	cmdutil.AddJamfDialectFlag(fl, &opts.JamfDialect, "file overriding how Jamf's own SCEP settings are stored (see profiles/jamf-dialect.yaml)")
	fl.IntVar(&opts.StaleAfterDays, "stale-after", cmdutil.DefaultStaleAfterDays, "days after which a Mac's inventory is not trusted (it then does not count toward coverage)")
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
		return cmdutil.Rings(cmd.Context(), opts.F, &opts.RingsOptions)
	}
}
