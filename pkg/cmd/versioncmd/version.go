// Package versioncmd implements `jamf-scep version`.
package versioncmd

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/build"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// info is the JSON shape of `jamf-scep version -o json`.
type info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// NewCmdVersion returns the `version` command.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		Example: `  $ jamf-scep version
  $ jamf-scep version -o json`,
		RunE: func(*cobra.Command, []string) error {
			v := info{
				Version:   build.Version,
				Commit:    build.Commit,
				Date:      build.Date,
				GoVersion: runtime.Version(),
				Platform:  runtime.GOOS + "/" + runtime.GOARCH,
			}
			if f.Globals.JSON() {
				return cmdutil.WriteJSON(f.IOStreams.Out, v)
			}
			_, err := fmt.Fprintf(f.IOStreams.Out, "jamf-scep %s (commit %s, built %s, %s %s)\n",
				v.Version, v.Commit, v.Date, v.GoVersion, v.Platform)
			return err
		},
	}
}
