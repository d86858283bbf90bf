// Package versioncmd implements `jamf-scep version`.
package versioncmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/build"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// NewCmdVersion returns the `version` command. It prints the same line as
// `jamf-scep --version` (build.Info.String); -o json writes build.Info.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date, Go version and platform",
		Args:  cobra.NoArgs,
		Example: `  $ jamf-scep version
  $ jamf-scep version -o json`,
		RunE: func(*cobra.Command, []string) error {
			info := build.Current()
			if f.Globals.JSON() {
				return cmdutil.WriteJSON(f.IOStreams.Out, info)
			}
			_, err := fmt.Fprintln(f.IOStreams.Out, info)
			return err
		},
	}
}
