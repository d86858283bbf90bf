// Package root assembles the jamf-scep command tree and its global flags.
package root

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/build"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/applycmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/configcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/democmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/doctorcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/initcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/plancmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/profilecmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/reportcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/rolloutcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/scopecmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/verifycmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/versioncmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// NewCmdRoot returns the root command with every subcommand attached.
// Building the tree is cheap: no command touches the network, the terminal
// or the keychain until it runs.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jamf-scep <command>",
		Short: "Deploy the Okta Device Access SCEP profile with Jamf Pro",
		Long: `jamf-scep builds the Okta Device Access SCEP configuration profile, uploads
and scopes it in Jamf Pro idempotently, checks the Jamf, Okta and SCEP side
before anything is deployed, and verifies which Macs got their certificate.`,
		Example: `  $ jamf-scep profile build --config examples/okta-device-access.yaml
  $ jamf-scep profile lint OktaDeviceAccess.mobileconfig`,
		// The whole version line, so that --version prints what `version`
		// prints (the template below adds nothing).
		Version:       build.Current().String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return completeGlobals(cmd, f)
		},
	}
	cmd.SetVersionTemplate("{{.Version}}\n")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &cmdutil.UsageError{Err: err}
	})

	g := f.Globals
	pf := cmd.PersistentFlags()
	pf.StringVar(&g.ConfigPath, "config", "", "path to the jamf-scep config file (env "+config.EnvConfig+"; default ./"+config.DefaultPath+" if present)")
	pf.BoolVar(&g.Debug, "debug", false, "log HTTP requests (method, path, status, timing) to stderr; secrets are redacted")
	pf.BoolVar(&g.NoColor, "no-color", false, "disable color (NO_COLOR has the same effect)")
	pf.StringVar(&g.Capture, "capture", "", "write every Jamf response of the run to this new directory, secrets removed and Mac and user identifiers pseudonymized, to attach to a bug report")

	// The main job first, in the order of Okta's guide; then the rest.
	cmd.AddCommand(
		initcmd.NewCmdInit(f, nil),
		doctorcmd.NewCmdDoctor(f, nil),
		plancmd.NewCmdPlan(f, nil),
		applycmd.NewCmdApply(f, nil),
		verifycmd.NewCmdVerify(f, nil),
		rolloutcmd.NewCmdRollout(f, nil),
		scopecmd.NewCmdScope(f),
		profilecmd.NewCmdProfile(f),
		configcmd.NewCmdConfig(f),
		reportcmd.NewCmdReport(f),
		democmd.NewCmdDemo(f, nil),
		versioncmd.NewCmdVersion(f),
	)
	registerOutputFlag(cmd, g)
	addHelpTopics(cmd)
	cmd.SetHelpCommand(newHelpCommand(cmd))
	registerCompletions(cmd, f)
	return cmd
}

// completeGlobals validates the global flags. The config path's own
// fallbacks (flag > env > default) are resolved by cmdutil.Factory.Config.
func completeGlobals(cmd *cobra.Command, f *cmdutil.Factory) error {
	g := f.Globals
	if g.Capture != "" && f.Capture == nil {
		rule := cmdutil.NewCaptureRule()
		if fl := cmd.Flags().Lookup("jamf-dialect"); fl != nil {
			rule.AddDialect(fl.Value.String())
		}
		cp, err := jamf.NewCapture(g.Capture, rule.Masker())
		if err != nil {
			return &cmdutil.UsageError{Err: fmt.Errorf("--capture: %w", err)}
		}
		f.Capture, f.CaptureRule = cp, rule
	}
	if err := checkOutput(cmd, g.Output); err != nil {
		return err
	}
	if g.NoColor {
		f.IOStreams.SetColorEnabled(false)
	}
	return nil
}

// ClassifyError turns cobra's untyped argument errors into usage errors so
// they get the usage exit code.
func ClassifyError(err error) error {
	if isArgsError(err) {
		return &cmdutil.UsageError{Err: err}
	}
	return err
}

// isArgsError recognizes cobra's untyped usage errors: an unknown command
// and the messages of its positional-args validators (cobra.NoArgs,
// ExactArgs, MinimumNArgs...).
func isArgsError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"accepts ", "requires at least ", "requires at most ", "unknown command", "invalid argument "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
