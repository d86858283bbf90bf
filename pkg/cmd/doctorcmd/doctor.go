// Package doctorcmd implements `jamf-scep doctor`: every check of pkg/doctor
// run once, printed as a checklist (or -o json), with one exit status.
package doctorcmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// Options are the inputs of `doctor`.
type Options struct {
	F *cmdutil.Factory
	cmdutil.DoctorOptions
}

// NewCmdDoctor returns the `doctor` command. runF replaces the run
// function in tests of flag parsing.
func NewCmdDoctor(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the config, Jamf Pro, Okta and SCEP before deploying",
		Long: `Check everything an Okta Device Access rollout depends on, before anything
is deployed, and print one line per check: pass, info, warn or fail, with
the fix. Every check runs; the exit status is 1 when any failed (warnings
are allowed).

  config   the file parses and validates, every secret reference resolves
           (values are never printed), the profile builds
  jamf     per tenant: DNS, TCP, TLS (system roots) and HTTP reachability,
           credentials (a token request), Jamf Pro version, clock skew
           against the server's Date header, the API role's privileges by
           harmless one-record reads, scope names, and the Subject length on
           every Mac in scope
  okta     SCEP GetCACaps and GetCACert (algorithms, CA validity against the
           redistribution window, fingerprints)

Nothing is written to Jamf Pro. Two checks have side effects and run only
when asked:

  --fetch-challenge  fetches one challenge from the Okta Challenge URL to
                     prove the URL, Username and Password. The challenge
                     stays valid, unused, until it expires (unless
                     --enroll-test uses it); a CA that caps unused
                     challenges counts it until then, so do not repeat
                     this in a loop.
  --enroll-test      fetches one challenge (the same one, with
                     --fetch-challenge) and runs a real SCEP enrollment
                     with it, a fresh key of the profile's size and the
                     profile's Subject for a made-up Mac with random
                     identifiers: the CA issues a real certificate and the
                     run leaves no challenge behind. Use a test Okta
                     configuration; without a terminal it needs --yes.

No SCEP or Challenge URL request follows a redirect: a redirect is reported
as a failure naming its target. --debug logs each of these requests
(method, host, path, status, timing; never a challenge, password or
PKCS#7 message).`,
		Example: `  $ jamf-scep doctor --config jamf-scep.yaml
  $ jamf-scep doctor --config jamf-scep.yaml --tenant prod-eu
  $ jamf-scep doctor --config jamf-scep.yaml --fetch-challenge -o json
  $ jamf-scep doctor --config staging.yaml --enroll-test --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return cmdutil.Doctor(cmd.Context(), f, &opts.DoctorOptions)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddTenantsFlag(fl, &opts.Tenants, "check only these tenants (repeatable or comma-separated; default: all)")
	fl.BoolVar(&opts.All, "all", false, "check every tenant in the config (the default)")
	cmdutil.AddShardFlag(fl, &opts.Shard)
	fl.BoolVar(&opts.FetchChallenge, "fetch-challenge", false, "fetch one challenge from the Okta Challenge URL; it stays valid, unused, until it expires unless --enroll-test uses it")
	fl.BoolVar(&opts.EnrollTest, "enroll-test", false, "fetch one challenge and run a real SCEP enrollment with it: the CA issues a certificate for a made-up Mac")
	cmdutil.AddYesFlag(fl, &opts.Yes, "consent to --enroll-test without a prompt")
	fl.DurationVar(&opts.Timeout, "timeout", cmdutil.DefaultDoctorTimeout, "time limit for each check")
	cmdutil.AddJamfDialectFlag(fl, &opts.JamfDialect, "file overriding how Jamf's own SCEP settings are stored (default: profile.jamf_dialect, else profiles/jamf-dialect.yaml)")
	cmd.MarkFlagsMutuallyExclusive("tenant", "all")
	return cmd
}
