// Package reportcmd wires the `jamf-scep report` noun: commands that work
// on the JSON reports plan and apply print with -o json.
package reportcmd

import (
	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmd/reportcmd/mergecmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// NewCmdReport returns the `report` command group.
func NewCmdReport(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report <command>",
		Short: "Work with the JSON reports of plan and apply",
		Long:  "Work with the documents `jamf-scep plan -o json` and `jamf-scep apply -o json` print (schemaVersion 1), such as the reports of the shards of a CI matrix (--shard K/N).",
	}
	cmd.AddCommand(mergecmd.NewCmdMerge(f, nil))
	return cmd
}
