// Package doctor implements `jamf-scep doctor`: every check of pkg/doctor
// run once, printed as a checklist (or -o json), with one exit status.
package doctor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/doctor"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// DefaultTimeout bounds each check (a test enrollment included).
const DefaultTimeout = 30 * time.Second

// concurrency is how many tenants and Okta configurations are checked at
// once; each Jamf client still caps its own requests at five.
const concurrency = 4

// Options are the inputs of `doctor`.
type Options struct {
	F *cmdutil.Factory

	Tenants        []string
	All            bool
	FetchChallenge bool
	EnrollTest     bool
	Yes            bool
	Timeout        time.Duration
	JamfDialect    string // --jamf-dialect
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
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.Tenants, "tenant", nil, "check only these tenants (repeatable or comma-separated; default: all)")
	fl.BoolVar(&opts.All, "all", false, "check every tenant in the config (the default)")
	fl.BoolVar(&opts.FetchChallenge, "fetch-challenge", false, "fetch one challenge from the Okta Challenge URL; it stays valid, unused, until it expires unless --enroll-test uses it")
	fl.BoolVar(&opts.EnrollTest, "enroll-test", false, "fetch one challenge and run a real SCEP enrollment with it: the CA issues a certificate for a made-up Mac")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "consent to --enroll-test without a prompt")
	fl.DurationVar(&opts.Timeout, "timeout", DefaultTimeout, "time limit for each check")
	fl.StringVar(&opts.JamfDialect, "jamf-dialect", "", "file overriding how Jamf's own SCEP settings are stored (default: profile.jamf_dialect, else profiles/jamf-dialect.yaml)")
	cmd.MarkFlagsMutuallyExclusive("tenant", "all")
	return cmd
}

// Run runs the checks, prints them and returns cmdutil.ErrSilent when one
// failed.
func Run(ctx context.Context, opts *Options) error {
	f := opts.F
	if opts.Timeout <= 0 {
		return cmdutil.InvalidFlagValue("timeout", opts.Timeout.String(), "a positive duration such as 30s")
	}
	if opts.Yes && !opts.EnrollTest {
		return cmdutil.UsageErrorf("--yes only confirms --enroll-test; add --enroll-test or drop --yes")
	}

	cfg, err := f.Config()
	if err != nil {
		// A config that does not parse is the first failed check.
		return report(f, []check.Result{configFailure(err)})
	}
	var tenants []config.Tenant
	if len(cfg.Tenants) > 0 {
		if tenants, err = cfg.Select(opts.Tenants); err != nil {
			return &cmdutil.UsageError{Err: err}
		}
	} else if len(opts.Tenants) > 0 {
		return cmdutil.UsageErrorf("--tenant %s: the config has no tenants", strings.Join(opts.Tenants, ","))
	}

	if opts.EnrollTest {
		if err := confirmEnroll(f, opts.Yes); err != nil {
			return err
		}
	}

	res := secret.Resolver{LookupEnv: f.LookupEnv}
	found := &doctor.Secrets{}
	env := doctor.Env{
		Now:      f.Now,
		Resolver: res,
		Secrets:  found,
		Connect: func(ctx context.Context, t config.Tenant) (*jamf.Client, error) {
			copts := append(f.ClientOptions(), jamf.WithTimeout(opts.Timeout))
			return tenant.Connect(ctx, t, tenant.Options{Resolver: res, Logger: f.Logger(), ClientOptions: copts})
		},
		HTTPClient:  scepcheck.NewHTTPClient(opts.Timeout, f.Logger()),
		DialectFile: opts.JamfDialect,
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	groups := doctor.Checks(cfg, tenants, env, doctor.Options{FetchChallenge: opts.FetchChallenge, EnrollTest: opts.EnrollTest})
	results := doctor.Run(ctx, groups, doctor.RunOptions{Concurrency: concurrency, Timeout: opts.Timeout, Secrets: found})
	if len(cfg.Tenants) == 0 {
		results = append(results, check.Result{
			Check: "jamf", Status: check.Info, Message: "no Jamf Pro tenant configured; Jamf checks skipped",
			Fix: "add a tenant to the config, or set JAMF_URL and JAMF_CLIENT_ID/JAMF_CLIENT_SECRET",
		})
	}
	if err := ctx.Err(); err != nil {
		return cmdutil.ErrCancel
	}
	return report(f, results)
}

// configFailure is the one result of a config that cannot be read.
func configFailure(err error) check.Result {
	r := check.Result{Check: "config", Status: check.Fail, Message: "the config cannot be read", Fix: "fix each problem listed, then run doctor again", Err: err}
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			r.Details = append(r.Details, check.Detail{Name: "problem", Value: line})
		}
	}
	if len(r.Details) == 1 {
		r.Message, r.Details = r.Details[0].Value, nil
	}
	return r
}

// confirmEnroll prints the warning and asks for consent: --yes, or a typed
// "yes" on a terminal. Without a terminal and without --yes it is a usage
// error.
func confirmEnroll(f *cmdutil.Factory, yes bool) error {
	f.Warnf("--enroll-test runs a REAL SCEP enrollment: Okta will issue a certificate (valid about a year) for the made-up Mac %q and one challenge is used. Run it against a test Okta SCEP configuration, never production.", doctor.TestMacName)
	if yes {
		return nil
	}
	if !f.IOStreams.CanPrompt() {
		return cmdutil.RequiredFlags("with --enroll-test when not running interactively", "yes")
	}
	fmt.Fprint(f.IOStreams.ErrOut, "Type yes to enroll: ")
	line, err := bufio.NewReader(io.LimitReader(f.IOStreams.In, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if strings.TrimSpace(strings.ToLower(line)) != "yes" {
		return cmdutil.ErrCancel
	}
	return nil
}

// report prints results as JSON or a checklist and returns ErrSilent when
// any check failed (the checklist already says why): exit 3 when a failure
// is the config's (see cmdutil.ExitUsage), else 1.
func report(f *cmdutil.Factory, results []check.Result) error {
	if f.Globals.JSON() {
		if results == nil {
			results = []check.Result{}
		}
		if err := cmdutil.WriteJSON(f.IOStreams.Out, results); err != nil {
			return err
		}
	} else {
		s := textStyle
		if f.IOStreams.IsStdoutTTY() && f.IOStreams.ColorEnabled() {
			s = ttyStyle
		}
		if err := writeChecklist(f.IOStreams.Out, results, s); err != nil {
			return err
		}
	}
	for _, r := range results {
		if ce := (*crash.Error)(nil); errors.As(r.Err, &ce) {
			return ce // a check crashed: reported as a crash, exit 70
		}
	}
	if doctor.Worst(results) == check.Fail {
		// A failure caused by the config itself (it does not parse, a
		// secret reference does not resolve) exits with the usage code, as
		// every command does for it.
		for _, r := range results {
			if r.Status == check.Fail && r.Err != nil && cmdutil.ExitCode(r.Err) == cmdutil.ExitUsage {
				return cmdutil.WithExitCode(cmdutil.ExitUsage, cmdutil.ErrSilent)
			}
		}
		return cmdutil.ErrSilent
	}
	return nil
}
