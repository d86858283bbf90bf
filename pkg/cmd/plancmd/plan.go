// Package plancmd implements `jamf-scep plan`: the plans of pkg/engine,
// computed for each selected tenant and printed, nothing written.
package plancmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// Options are the inputs of `plan`.
type Options struct {
	F *cmdutil.Factory
	cmdutil.PlanApplyOptions
}

// NewCmdPlan returns the `plan` command. runF replaces the run in tests of
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
			return run(cmd.Context(), opts)
		},
	}
	cmdutil.AddPlanApplyFlags(cmd, &opts.PlanApplyOptions)
	cmd.Flags().BoolVar(&opts.DetailedExitcode, "detailed-exitcode", false, "exit 0 for no changes, 2 for changes, anything else for an error")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	return cmdutil.PlanApply(ctx, opts.F, &opts.PlanApplyOptions)
}
