package root

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/examples"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// helpTopic is a command with no Run: cobra lists it under "Additional help
// topics" and `jamf-scep help <name>` prints its Long text.
type helpTopic struct {
	name, short, long string
}

func helpTopics() []helpTopic {
	return []helpTopic{
		{"environment", "Environment variables and precedence", environmentHelp()},
		{"exit-codes", "Exit codes and what they mean", cmdutil.ExitCodeHelp},
		{"config-file", "The config file, every field documented", configHelp},
		{"jamf-privileges", "The Jamf Pro API role jamf-scep needs, privilege by privilege", privilegesHelp},
	}
}

// newHelpCommand replaces cobra's help command so that an unknown topic is
// a usage error (exit 3) rather than a usage page and exit 0.
func newHelpCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command | topic]",
		Short: "Help about any command or topic",
		Long:  "Help provides help for any command or topic: jamf-scep help <command>, or one of the topics listed under Additional help topics.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, sub := range root.Commands() {
				if sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, _, err := root.Find(args)
			if err != nil || target == nil || (len(args) > 0 && target == root) {
				return cmdutil.UsageErrorf("unknown help topic %q; run 'jamf-scep help' for the commands and topics", strings.Join(args, " "))
			}
			target.InitDefaultHelpFlag()
			return target.Help()
		},
	}
}

func addHelpTopics(root *cobra.Command) {
	for _, t := range helpTopics() {
		root.AddCommand(&cobra.Command{
			Use:   t.name,
			Short: t.short,
			Long:  t.long,
		})
	}
}

// environmentHelp is built from config.EnvVars, the one list of the
// variables the config layer reads, plus the terminal switches of iostreams.
func environmentHelp() string {
	var b strings.Builder
	b.WriteString(`Settings come from, in order of precedence: command-line flags, then
environment variables, then the config file, then built-in defaults.

`)
	vars := config.EnvVars()
	vars = append(vars,
		config.EnvVar{Name: iostreams.NoPromptEnv, Meaning: "never prompt (also when CI is set); commands that need a confirmation then need --yes"},
		config.EnvVar{Name: iostreams.AccessibleEnv, Meaning: "plain line-by-line prompts in the setup wizard, for screen readers and simple terminals"},
		config.EnvVar{Name: "ACCESSIBLE", Meaning: "the same (huh's convention; like init --accessible)"},
		config.EnvVar{Name: "NO_COLOR", Meaning: "disable color (like --no-color)"},
		config.EnvVar{Name: "CI", Meaning: "set by CI systems: no prompts, plain progress lines"},
	)
	tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	for _, v := range vars {
		fmt.Fprintf(tw, "  %s\t%s\n", v.Name, v.Meaning)
	}
	tw.Flush()
	b.WriteString(`
Secrets are never accepted as flag values, because argv is visible to every
user of the machine and ends up in shell history. Give them as environment
variables, files (--password-file, file:PATH), standard input
(--password-stdin) or OS keychain references (keychain:SERVICE/ACCOUNT).
`)
	return b.String()
}

// configHelp is the documented example config itself (embedded), so the
// field reference cannot drift from a file that parses and validates.
var configHelp = `The config file is YAML, shared by the CLI, the setup wizard and CI. Pass it
with --config FILE or JAMF_SCEP_CONFIG, or name it jamf-scep.yaml in the
current directory. Check it offline with: jamf-scep config validate

Secrets are never written in the file: a secret field holds a reference,
env:NAME, file:PATH or keychain:SERVICE/ACCOUNT. A literal is refused.

Every field, as in examples/okta-device-access.yaml:

` + examples.OktaDeviceAccess + `
Several tenants with per-tenant overrides, as in examples/multi-tenant.yaml:

` + examples.MultiTenant

const privilegesHelp = `Create an API role in Jamf Pro (Settings > System > API roles and clients)
with these privileges, then an API client that uses it.

  Create macOS Configuration Profiles   apply: upload a new profile
  Read macOS Configuration Profiles     plan, apply, scope, verify
  Update macOS Configuration Profiles   apply, scope: change profile or scope
  Read Computers                        scope by computer; Subject length
                                        check per Mac; verify
  Read Smart Computer Groups            resolve computer group names
  Read Static Computer Groups           resolve computer group names
  Read Buildings                        resolve building names
  Read Departments                      resolve department names
  Read Categories                       only when the config sets
                                        profile.category
  Read Sites                            only when the config sets
                                        profile.site
  View MDM command information in
    Jamf Pro API                        verify: install command states

Delete is never needed. "jamf-scep doctor" tries a harmless read for each
privilege and names every one that is missing.
`
