// Package initcmd implements `jamf-scep init`, the interactive setup wizard.
// It walks a Mac admin through the Okta side and the Jamf Pro side in the
// order of Okta's "Dynamic SCEP for macOS with Jamf Pro" guide, checks every
// answer in place with the validators the flags path uses, and writes the
// same config file CI uses (mode 0600, never holding a secret: secrets go
// to the OS keychain or stay in environment variables).
//
// The wizard is a front end only: it fills a config.Config and hands it to
// config.Save, and offers doctor, plan and apply through cmdutil.Doctor
// and cmdutil.PlanApply (pkg/doctor and pkg/engine), the same code the
// commands run.
package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Options are the inputs of `jamf-scep init`.
type Options struct {
	F *cmdutil.Factory

	// Keychain is where secrets are stored; nil means the OS keychain
	// (secret.OSKeychain). Tests pass an in-memory store.
	Keychain secret.KeychainStore
	// ClientOptions are passed to the Jamf client (tests: retry policy).
	ClientOptions []jamf.Option
	// DraftPath is where answers are kept when the wizard is left before
	// saving; "" means <user config dir>/jamf-scep/init-draft.yaml.
	DraftPath string
	// Accessible is --accessible: huh's accessible mode, as ACCESSIBLE=1.
	Accessible bool
	// SecretDir is where secrets kept in files go (file: references);
	// "" means <user config dir>/jamf-scep/secrets.
	SecretDir string

	// runNext runs what "What next?" chose on the saved config; nil means
	// doctor, plan or apply themselves (tests record the choice instead).
	runNext func(ctx context.Context, choice, path string) error
}

// NewCmdInit returns the `init` command. runF replaces the run function in
// tests of argument parsing.
func NewCmdInit(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Set up jamf-scep interactively: Okta, Jamf Pro, profile, scope",
		Long: `Walk through the Okta and Jamf Pro sides of Okta Device Access in the
order of Okta's guide, with every answer checked as you type, and write the
config file that the other commands (and CI) read.

1. Okta: the SCEP URL, Challenge URL, username and password Okta showed
   once (Security > Device integrations > Device Access).
2. Jamf Pro: URL and credentials, tested on the spot; missing API
   privileges are named.
3. Profile: name, SCEP name, Subject (with its 64-character budget),
   redistribution.
4. Scope: computer groups, buildings and departments from the tenant, or
   all computers, with exclusions and the number of Macs covered.
5. Secrets: stored in the OS keychain, in files only you can read (0600),
   or left in environment variables; the config file never holds a secret.
6. Save (mode 0600, never over an existing file without asking), then
   optionally run doctor, plan or apply.

Re-running init on an existing config (--config, or ./jamf-scep.yaml) offers
its values as defaults. init needs a terminal on stdin and stdout and draws
on stderr; without one, write the config yourself (every field:
'jamf-scep help config-file'), then run 'jamf-scep config validate
--config FILE' and 'jamf-scep plan --config FILE'.

Pass --accessible (or set ACCESSIBLE=1 or JAMF_SCEP_ACCESSIBLE=1) for plain
line-by-line prompts that read each field's description and default
(screen readers, simple terminals); Ctrl-D there leaves at once. Esc
leaves a list's filter; Ctrl-C leaves the wizard (asking first once there
are answers) and writes no config: the answers so far, never a secret, are
kept in a draft (mode 0600, in your config directory) that the next init
offers to resume.`,
		Example: `  $ jamf-scep init
  $ jamf-scep init --config prod.yaml
  # plain line-by-line prompts (screen readers)
  $ jamf-scep init --accessible`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Accessible, "accessible", false, "plain line-by-line prompts that read each field's description and default (screen readers; also ACCESSIBLE=1)")
	return cmd
}

// run checks for a terminal, runs the wizard and saves its config.
func run(ctx context.Context, opts *Options) error {
	f := opts.F
	if opts.Accessible {
		f.IOStreams.SetAccessible(true)
	}
	if !f.IOStreams.ColorEnabled() {
		// --no-color reaches huh's styles as NO_COLOR does.
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	if !f.IOStreams.CanPrompt() {
		return cmdutil.UsageErrorf("init is interactive and needs a terminal on stdin and stdout (and %s and CI unset); without one, write the config file yourself (every field: jamf-scep help config-file), then run 'jamf-scep config validate --config FILE' and 'jamf-scep plan --config FILE'", iostreams.NoPromptEnv)
	}
	lookup := f.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	path, _ := config.Locate(f.Globals.ConfigPath, lookup)
	existing, err := loadExisting(path)
	if err != nil {
		return err
	}
	// The wizard checks the Subject budget with the dialect plan will use.
	var base config.Profile
	if existing != nil {
		base = existing.Profile
	}
	dialect, err := config.DialectFor("", base)
	if err != nil {
		return err
	}
	w := newWizard(opts, path, existing)
	draft, err := offerDraft(ctx, w)
	if err != nil {
		w.close(ctx)
		return err
	}
	if draft != nil {
		w.close(ctx)
		w = newWizard(opts, path, draft)
	}
	w.answered = false // the draft question is not an answer to keep
	w.dialect = dialect
	defer w.close(context.WithoutCancel(ctx))
	if err := w.run(ctx); err != nil {
		if errors.Is(err, cmdutil.ErrCancel) {
			w.saveDraft()
		}
		return err
	}
	return nil
}

// loadExisting reads the config at path to offer its values as defaults;
// nil when there is none. The environment layer is not applied: the
// wizard writes what the file holds, not what this shell exports.
func loadExisting(path string) (*config.Config, error) {
	c, err := config.Load(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, cmdutil.UsageErrorf("%v; fix the file, or give init another --config path", err)
	}
	return c, nil
}

// nextCommands are the non-interactive commands equivalent to what the
// wizard offers at the end, for a config at path.
func nextCommands(path string) []string {
	return []string{
		"jamf-scep doctor --config " + path,
		"jamf-scep plan --config " + path,
		"jamf-scep apply --config " + path,
	}
}

// errorf prints a one-line problem in the wizard's stream.
func (w *wizard) errorf(format string, args ...any) {
	fmt.Fprintf(w.ios.ErrOut, "✗ "+format+"\n", args...)
}

// infof prints a one-line note in the wizard's stream.
func (w *wizard) infof(format string, args ...any) {
	fmt.Fprintf(w.ios.ErrOut, format+"\n", args...)
}
