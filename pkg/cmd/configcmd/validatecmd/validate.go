// Package validatecmd implements `jamf-scep config validate`: every problem in
// a config file, offline, at once.
package validatecmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Options are the inputs of `config validate`.
type Options struct {
	F *cmdutil.Factory
}

// NewCmdValidate returns the `config validate` command.
func NewCmdValidate(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	return &cobra.Command{
		Use:   "validate",
		Short: "Check a config file offline and list every problem",
		Long: `Check the config file without contacting Jamf Pro, Okta or the keychain:
its structure (unknown keys, types, literal secrets), its values (URLs,
ranges, tenants and their auth), and the profile each tenant would get
(the same checks as profile build). Every problem is listed at once, each
with its file, line, field and fix.

Secret references are checked for form, not resolved: jamf-scep doctor
resolves them.`,
		Example: `  $ jamf-scep config validate --config examples/okta-device-access.yaml
  $ jamf-scep config validate --config examples/multi-tenant.yaml -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
}

// issue is one problem in the JSON report.
type issue struct {
	Severity string `json:"severity"` // "error" or "warning"
	Tenant   string `json:"tenant,omitempty"`
	Where    string `json:"where"` // file:line or config field
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

// report is the JSON shape of `config validate -o json`.
type report struct {
	Source string  `json:"source"`
	Valid  bool    `json:"valid"`
	Issues []issue `json:"issues"`
}

// allProblems re-reads the file at source and returns every problem
// config.CheckFile finds in one pass (the structure's, then the
// values'); parsed alone when it cannot.
func allProblems(f *cmdutil.Factory, source string, parsed error) error {
	lookup := f.LookupEnv
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	var ps config.Problems
	if err := config.CheckFile(source, lookup); errors.As(err, &ps) {
		return ps
	}
	return parsed
}

// run validates the config and prints the report.
func run(ctx context.Context, opts *Options) error {
	f := opts.F
	rep := report{Issues: []issue{}}
	cfg, err := f.TenantConfig()
	var ps config.Problems
	switch {
	case err != nil && !errors.As(err, &ps):
		return err // no file to validate (none, missing, unreadable)
	case err != nil:
		// The structure has problems: judge the values of what decoded
		// too, so that one run lists every problem.
		rep.Source = ps[0].Source
		rep.Issues = append(rep.Issues, fromError("", allProblems(f, rep.Source, err))...)
	default:
		rep.Source = cfg.Source()
		if err := cfg.Validate(); err != nil {
			rep.Issues = append(rep.Issues, fromError("", err)...)
		} else {
			rep.Issues = append(rep.Issues, profileIssues(ctx, cfg)...)
		}
	}
	rep.Valid = true
	errs, warns := 0, 0
	for _, is := range rep.Issues {
		if is.Severity == "error" {
			errs++
			rep.Valid = false
		} else {
			warns++
		}
	}

	if f.Globals.JSON() {
		if err := cmdutil.WriteJSON(f.IOStreams.Out, rep); err != nil {
			return err
		}
	} else {
		for _, is := range rep.Issues {
			fmt.Fprintln(f.IOStreams.Out, is.line())
		}
		if rep.Valid {
			fmt.Fprintf(f.IOStreams.Out, "%s is valid (%s)\n", orEnv(rep.Source), plural(warns, "warning"))
		}
	}
	if !rep.Valid {
		// An invalid config is a usage error (jamf-scep help exit-codes).
		return cmdutil.WithExitCode(cmdutil.ExitUsage, fmt.Errorf("%s: %s, %s", orEnv(rep.Source), plural(errs, "error"), plural(warns, "warning")))
	}
	return nil
}

func (is issue) line() string {
	s := is.Severity + ": "
	if is.Tenant != "" {
		s += "tenant " + is.Tenant + ": "
	}
	if is.Where != "" {
		s += is.Where + ": "
	}
	s += is.Message
	if is.Fix != "" {
		s += " (fix: " + is.Fix + ")"
	}
	return s
}

func orEnv(source string) string {
	if source == "" {
		return "the configuration (from the environment)"
	}
	return source
}

// fromError turns config.Problems (or any other error) into issues.
func fromError(tenant string, err error) []issue {
	var ps config.Problems
	if !errors.As(err, &ps) {
		return []issue{{Severity: "error", Tenant: tenant, Message: err.Error()}}
	}
	out := make([]issue, 0, len(ps))
	for _, p := range ps {
		where := p.Field
		switch {
		case p.Source != "" && p.Line > 0:
			where = fmt.Sprintf("%s:%d: %s", p.Source, p.Line, p.Field)
		case p.Source != "":
			where = p.Source + ": " + p.Field
		}
		out = append(out, issue{Severity: "error", Tenant: tenant, Where: where, Message: p.Message, Fix: p.Fix})
	}
	return out
}

// profileIssues builds each tenant's effective profile (or the base one
// when there are no tenants) with secrets withheld, and reports Build's
// errors and warnings.
func profileIssues(ctx context.Context, cfg *config.Config) []issue {
	type target struct {
		tenant string
		prof   config.Profile
	}
	var targets []target
	if len(cfg.Tenants) == 0 {
		targets = append(targets, target{"", cfg.Profile})
	}
	for _, t := range cfg.Tenants {
		eff, err := cfg.Effective(t.Name)
		if err != nil {
			return fromError(t.Name, err)
		}
		targets = append(targets, target{t.Name, eff.Profile})
	}
	var out []issue
	seen := map[string]bool{}
	for _, tg := range targets {
		dialect, err := config.DialectFor("", tg.prof)
		if err != nil {
			out = append(out, issue{Severity: "error", Tenant: tg.tenant, Where: "profile.jamf_dialect", Message: err.Error()})
			continue
		}
		popts, err := config.ProfileOptions(ctx, tg.prof, secret.Resolver{}, false)
		if err != nil {
			out = append(out, issue{Severity: "error", Tenant: tg.tenant, Message: err.Error()})
			continue
		}
		_, findings, _ := profile.Build(popts, dialect)
		for _, fd := range findings {
			if fd.Severity == profile.SeverityInfo {
				continue
			}
			// The same finding for every tenant that shares the base profile
			// is said once, without a tenant.
			key := fd.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, issue{Severity: fd.Severity.String(), Where: fd.Path, Message: fd.Message, Fix: fd.Fix})
		}
	}
	return out
}

// plural formats a count with its noun: "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
