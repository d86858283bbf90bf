// Package profilecmd wires the `jamf-scep profile` noun: build, lint and pull.
package profilecmd

import (
	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmd/profilecmd/buildcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/profilecmd/lintcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/profilecmd/pullcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// NewCmdProfile returns the `profile` command group.
func NewCmdProfile(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile <command>",
		Short: "Build, lint and pull the Okta Device Access SCEP profile",
		Long: `Work with the configuration profile itself, offline: build it from a
config file or flags, and lint profiles you already have.`,
	}
	cmd.AddCommand(buildcmd.NewCmdBuild(f, nil))
	cmd.AddCommand(lintcmd.NewCmdLint(f, nil))
	cmd.AddCommand(pullcmd.NewCmdPull(f, nil))
	return cmd
}
