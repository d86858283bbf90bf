// Package profile wires the `jamf-scep profile` noun: build, lint and pull.
package profile

import (
	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmd/profile/build"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/profile/lint"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/profile/pull"
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
	cmd.AddCommand(build.NewCmdBuild(f, nil))
	cmd.AddCommand(lint.NewCmdLint(f, nil))
	cmd.AddCommand(pull.NewCmdPull(f, nil))
	return cmd
}
