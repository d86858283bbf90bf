// Package configcmd wires the `jamf-scep config` noun.
package configcmd

import (
	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmd/configcmd/validatecmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// NewCmdConfig returns the `config` command group.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Check the jamf-scep config file",
		Long:  "Work with the config file shared by the CLI, the setup wizard and CI. See `jamf-scep help config-file` for every field.",
	}
	cmd.AddCommand(validatecmd.NewCmdValidate(f, nil))
	return cmd
}
