// Package scopecmd implements `jamf-scep scope show|add|remove|set`:
// imperative edits of an existing profile's Jamf Pro scope, for admins who
// manage scope by hand.
//
// The verbs share one package because add, remove and set are one
// operation (resolve names, compute the new scope with [scope.Apply], confirm,
// write, read back) that differs only in [scope.Mode]; splitting them would
// copy that flow three times.
//
// Every write is a top-level PUT carrying only <scope> (never <general>,
// so redeploy_on_update is never sent); lists the tool does not model are
// omitted and so kept by Jamf's partial merge (docs/jamf-behavior.md,
// 'Partial-merge PUT and gateway subset 403').
package scopecmd

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// NewCmdScope returns the `scope` command group.
func NewCmdScope(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scope <command>",
		Short: "Show and edit a profile's Jamf Pro scope",
		Long: `Show or change which computers a configuration profile reaches: computers,
computer groups, buildings and departments, and exclusions of each.

add and remove change only the targets named and leave everything else as
Jamf has it (including another admin's exclusions); set replaces exactly the
categories named. Names are resolved before anything is written; a name that
does not exist is an error with close matches.`,
	}
	cmd.AddCommand(NewCmdShow(f, nil))
	for _, m := range []scope.Mode{scope.ModeAdd, scope.ModeRemove, scope.ModeSet} {
		cmd.AddCommand(NewCmdEdit(f, m, nil))
	}
	return cmd
}

// addTargetFlags adds --tenant, --profile and --profile-id.
func addTargetFlags(fl *pflag.FlagSet, t *TargetOptions) {
	cmdutil.AddTenantFlag(fl, &t.Tenant, "tenant name from the config (needed when it has several)")
	fl.StringVar(&t.ProfileName, "profile", "", "exact name of the profile in Jamf Pro (default: the config's profile.name)")
	cmdutil.AddProfileIDFlag(fl, &t.ProfileID, "Jamf Pro id of the profile (when names repeat)")
}
