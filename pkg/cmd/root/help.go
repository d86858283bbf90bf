package root

import (
	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// helpTopic is a command with no Run: cobra lists it under "Additional help
// topics" and `jamf-scep help <name>` prints its Long text.
type helpTopic struct {
	name, short, long string
}

var helpTopics = []helpTopic{
	{"environment", "Environment variables and precedence", environmentHelp},
	{"exit-codes", "Exit codes and what they mean", cmdutil.ExitCodeHelp},
	{"jamf-privileges", "The Jamf Pro API role jamf-scep needs, privilege by privilege", privilegesHelp},
}

func addHelpTopics(root *cobra.Command) {
	for _, t := range helpTopics {
		root.AddCommand(&cobra.Command{
			Use:   t.name,
			Short: t.short,
			Long:  t.long,
		})
	}
}

const environmentHelp = `Settings come from, in order of precedence: command-line flags, then
environment variables, then the config file, then built-in defaults.

  JAMF_SCEP_CONFIG       path to the config file (like --config)
  JAMF_URL               Jamf Pro URL for single-tenant use without a file
  JAMF_CLIENT_ID         Jamf Pro API client id (OAuth client credentials)
  JAMF_CLIENT_SECRET     Jamf Pro API client secret
  JAMF_USERNAME          Jamf Pro user account (instead of an API client)
  JAMF_PASSWORD          Jamf Pro user account password
  OKTA_SCEP_PASSWORD     Okta dynamic SCEP password (the challenge URL's
                         Basic-auth password shown once by Okta)
  JAMF_SCEP_NO_PROMPT    never prompt (also when CI is set); commands that
                         need a confirmation then need --yes
  JAMF_SCEP_ACCESSIBLE   plain line-by-line prompts in the setup wizard, for
                         screen readers and simple terminals
  NO_COLOR               disable colour (like --no-color)
  CI                     set by CI systems: no prompts, plain progress lines

Secrets are never accepted as flag values, because argv is visible to every
user of the machine and ends up in shell history. Give them as environment
variables, files (--password-file, file:PATH), standard input
(--password-stdin) or OS keychain references (keychain:SERVICE/ACCOUNT).
`

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
  View MDM command information in
    Jamf Pro API                        verify: install command states

Delete is never needed. "jamf-scep doctor" tries a harmless read for each
privilege and names every one that is missing.
`
