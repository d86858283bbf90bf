// Package applycmd implements `jamf-scep apply`: the plan of `jamf-scep plan`,
// confirmed and written to Jamf Pro, then read back and verified.
package applycmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// Options are the inputs of `apply`.
type Options struct {
	F *cmdutil.Factory
	cmdutil.PlanApplyOptions
}

// NewCmdApply returns the `apply` command. runF replaces the run in tests
// of flag parsing.
func NewCmdApply(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, PlanApplyOptions: cmdutil.PlanApplyOptions{Apply: true}}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Create or update the profile and its scope in Jamf Pro",
		Long: `Compute the plan (see jamf-scep plan), print it, ask for confirmation (or
take --yes; without a terminal --yes is required), then write it: create the
profile, or update only what changed (general, scope, or both) with one
request per tenant.

On update the stored top-level PayloadUUID and PayloadIdentifier are kept
and nested identifiers stay stable, so Macs never see a new profile. A
payload change redeploys to newly assigned Macs only, unless --redeploy all,
which gives every Mac in scope a new certificate (warned, and confirmed). A
scope-only or description-only change never redeploys.

Every lookup and check finishes before the first write. After the write the
profile is read back and compared; a difference is an error naming the key
path and what to do about it (a value Jamf Pro cannot store needs a config
change; a stale read needs a rerun). If a write fails, the output says what
was, was not or may have been changed: only a 4xx answer means Jamf stored
nothing; after a 5xx or a lost answer to a create, apply lists the profiles
again to find out. Running apply again converges. A second apply on a
converged tenant makes no write.

When the Subject is over RFC 5280's limits on some Macs in scope (plan lists
them), apply refuses and writes nothing: those Macs would fail to enroll,
and their renewal fails too. Shorten the Subject or rename the Macs, or pass
--accept-long-subject to deploy anyway.

With several tenants (--all, --tenant a,b) at most --parallel run at once;
one failing never stops the others, and the exit status is 7 when some
failed. With --yes each tenant is written as soon as its own plan is ready,
without waiting for the other tenants' plans. Without --yes there is one
question for all tenants, asked once every plan is computed, so the writes
start only after the last plan.`,
		Example: `  $ jamf-scep apply --config jamf-scep.yaml
  $ jamf-scep apply --config multi-tenant.yaml --all --yes --parallel 8
  $ jamf-scep apply --config jamf-scep.yaml --profile-id 42 --redeploy all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return cmdutil.PlanApply(cmd.Context(), f, &opts.PlanApplyOptions)
		},
	}
	cmdutil.AddPlanApplyFlags(cmd, &opts.PlanApplyOptions)
	cmdutil.AddYesFlag(cmd.Flags(), &opts.Yes, "apply without asking (required when not running interactively)")
	return cmd
}
