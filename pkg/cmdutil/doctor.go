package cmdutil

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/doctor"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// DefaultDoctorTimeout bounds each doctor check (a test enrollment included).
const DefaultDoctorTimeout = 30 * time.Second

// MinDoctorTimeout is the shortest --timeout doctor takes: a shorter one
// cannot cover a TLS handshake, so every check would fail for nothing.
const MinDoctorTimeout = time.Second

// doctorConcurrency is how many tenants and Okta configurations are checked at
// once; each Jamf client still caps its own requests at five.
const doctorConcurrency = 4

// DoctorOptions are the inputs of `doctor` (and of the wizard's offer to
// run it).
type DoctorOptions struct {
	Tenants        []string
	All            bool
	Shard          string // --shard K/N, with --all
	FetchChallenge bool
	EnrollTest     bool
	Yes            bool
	Timeout        time.Duration
	JamfDialect    string // --jamf-dialect
}

// Doctor runs every check of pkg/doctor for the config of f, prints them
// as a checklist (or -o json) and returns ErrSilent when one failed.
func Doctor(ctx context.Context, f *Factory, opts *DoctorOptions) error {
	if opts.Timeout <= 0 {
		return InvalidFlagValue("timeout", opts.Timeout.String(), "a positive duration such as 30s")
	}
	if opts.Timeout < MinDoctorTimeout {
		return UsageErrorf("--timeout %s is too short: each check gets this long to reach Jamf Pro or Okta; give at least %s (default %s)", opts.Timeout, MinDoctorTimeout, DefaultDoctorTimeout)
	}
	if opts.Yes && !opts.EnrollTest {
		return UsageErrorf("--yes only confirms --enroll-test; add --enroll-test or drop --yes")
	}
	sh, err := ParseShard(opts.Shard, opts.All)
	if err != nil {
		return err
	}

	cfg, err := f.TenantConfig()
	if _, none := errors.AsType[*NoConfigError](err); none {
		return err // nothing to check: a first run in the wrong folder
	}
	if err != nil {
		// A config that does not parse is the first failed check.
		return reportChecks(f, []check.Result{configFailure(err)})
	}
	var tenants []config.Tenant
	if len(cfg.Tenants) > 0 {
		if tenants, err = cfg.Select(opts.Tenants); err != nil {
			return &UsageError{Err: err}
		}
		tenants = slices.DeleteFunc(tenants, func(t config.Tenant) bool { return !sh.Contains(t.Name) })
	} else if len(opts.Tenants) > 0 {
		return UsageErrorf("--tenant %s: the config has no tenants", strings.Join(opts.Tenants, ","))
	}

	if opts.EnrollTest {
		if err := confirmEnroll(ctx, f, opts.Yes); err != nil {
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
			return tenant.Connect(ctx, t, f.TenantOptions(jamf.WithTimeout(opts.Timeout)))
		},
		HTTPClient:  scepcheck.NewHTTPClient(opts.Timeout, f.Logger()),
		DialectFile: opts.JamfDialect,
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	groups := doctor.Checks(cfg, tenants, env, doctor.Options{FetchChallenge: opts.FetchChallenge, EnrollTest: opts.EnrollTest})
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
	}
	steps := f.NewSteps(names)
	results := doctor.Run(ctx, groups, doctor.RunOptions{
		Concurrency: doctorConcurrency, Timeout: opts.Timeout, Secrets: found,
		OnCheck: func(group, check string) {
			steps.Step(group, strings.TrimPrefix(check, group+": "), 0, 0, "")
		},
	})
	steps.Done()
	if len(cfg.Tenants) == 0 {
		results = append(results, check.Result{
			Check: "jamf", Status: check.Info, Message: "no Jamf Pro tenant configured; Jamf checks skipped",
			Fix: "add a tenant to the config, or set JAMF_URL and JAMF_CLIENT_ID/JAMF_CLIENT_SECRET",
		})
	}
	if err := ctx.Err(); err != nil {
		return ErrCancel
	}
	return reportChecks(f, results)
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

// confirmEnroll prints the warning and asks for consent: --yes, or yes on
// a terminal. Without a terminal and without --yes it is a usage error.
func confirmEnroll(ctx context.Context, f *Factory, yes bool) error {
	f.Warnf("--enroll-test runs a REAL SCEP enrollment: Okta will issue a certificate (valid about a year) for the made-up Mac %q and one challenge is used. Run it against a test Okta SCEP configuration, never production.", doctor.TestMacName)
	return f.Prompter().Require(ctx, yes, "with --enroll-test when not running interactively", "Run the test enrollment?")
}

// reportChecks prints results as JSON or a checklist and returns ErrSilent when
// any check failed (the checklist already says why): exit 3 when a failure
// is the config's (see ExitUsage), else 1.
func reportChecks(f *Factory, results []check.Result) error {
	if f.Globals.JSON() {
		if results == nil {
			results = []check.Result{}
		}
		if err := WriteJSON(f.IOStreams.Out, results); err != nil {
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
			if r.Status == check.Fail && r.Err != nil && ExitCode(r.Err) == ExitUsage {
				return WithExitCode(ExitUsage, ErrSilent)
			}
		}
		return ErrSilent
	}
	return nil
}
