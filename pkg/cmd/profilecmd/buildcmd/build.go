// Package buildcmd implements `jamf-scep profile build`: the Okta Device
// Access SCEP configuration profile as a .mobileconfig, offline.
package buildcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jamf-scep/jamf-scep/pkg/atomicfile"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Options are the inputs of `profile build`. Profile fields set by flags
// override the config file's (flag > env > file > default).
type Options struct {
	F *cmdutil.Factory

	// Overrides holds only the profile fields whose flags were given.
	Overrides config.Profile

	PasswordStdin  bool
	PasswordFile   string
	JamfDialect    string
	IncludeSecrets bool
	Out            string
	Force          bool

	// refusedFlag is set when a secret was given as a plain flag value.
	refusedFlag string
	// changed lists the profile flags given on the command line, even
	// with a zero value.
	changed []string
}

// NewCmdBuild returns the `profile build` command. runF replaces the run
// function in tests of flag parsing.
func NewCmdBuild(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	var (
		keySize, redistribute int
		challengeType         string
		plainPassword         string
		plainChallenge        string
	)
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the Okta Device Access SCEP profile (.mobileconfig)",
		Long: `Build the computer-level configuration profile with one SCEP payload for
Okta Device Access, from the profile section of a config file and/or flags
(flags win). Every value is written explicitly: RSA 2048, Key Usage 1
(digital signature), key not extractable, all apps may use the key.

The output goes to stdout, or to --out FILE. Secrets (the Okta SCEP
password, a static challenge) are left out unless --include-secrets is
given; a file with a secret is written with mode 0600. Files are written
atomically and never over an existing file without --force.

Jamf's own settings (challenge type, URL To SCEP Admin, username, password,
redistribution) are written where profiles/jamf-dialect.yaml says. Jamf does
not publish those keys: they are inferred. See --jamf-dialect.`,
		Example: `  $ jamf-scep profile build --config examples/okta-device-access.yaml
  $ jamf-scep profile build --config examples/okta-device-access.yaml --out okta.mobileconfig
  # include the Okta password, read from a file; the output file is 0600
  $ jamf-scep profile build --config examples/okta-device-access.yaml --password-file okta-password.txt --include-secrets --out okta.mobileconfig
  $ jamf-scep profile build --scep-url https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d --challenge-type static --password-stdin --include-secrets --out okta.mobileconfig`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fl := cmd.Flags()
			switch {
			case fl.Changed("password"):
				opts.refusedFlag = "password"
			case fl.Changed("challenge"):
				opts.refusedFlag = "challenge"
			}
			fl.Visit(func(f *pflag.Flag) { // in name order
				if _, ok := config.ProfileFlags[f.Name]; ok {
					opts.changed = append(opts.changed, f.Name)
				}
			})
			if fl.Changed("key-size") {
				opts.Overrides.SCEP.KeySize = keySize
			}
			if fl.Changed("redistribute-days") {
				opts.Overrides.SCEP.RedistributeDays = redistribute
			}
			if fl.Changed("challenge-type") {
				opts.Overrides.SCEP.Challenge.Type = challengeType
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	p := &opts.Overrides
	fl.StringVar(&p.Preset, "preset", "", "profile preset (default okta-device-access)")
	fl.StringVar(&p.Name, "profile-name", "", "profile name (Jamf name, PayloadDisplayName)")
	fl.StringVar(&p.Description, "description", "", "profile description")
	fl.StringVar(&p.Organization, "organization", "", "PayloadOrganization")
	fl.StringVar(&p.Identifier, "identifier", "", "top-level PayloadIdentifier (reverse DNS)")
	fl.StringVar(&p.SCEP.URL, "scep-url", "", "Okta SCEP URL (https)")
	fl.StringVar(&p.SCEP.Name, "scep-name", "", "SCEP CA name shown on the Mac")
	fl.StringVar(&p.SCEP.Subject, "subject", "", `certificate Subject, e.g. "CN=$COMPUTERNAME ma $UDID"`)
	fl.IntVar(&keySize, "key-size", 0, "RSA key size in bits: 2048 or 4096")
	fl.IntVar(&redistribute, "redistribute-days", 0, "redistribute the profile this many days before the certificate expires (1-364)")
	fl.StringVar(&challengeType, "challenge-type", "", "dynamic-microsoft-ca or static")
	fl.StringVar(&p.SCEP.Challenge.URL, "challenge-url", "", "Okta Challenge URL (dynamic mode)")
	fl.StringVar(&p.SCEP.Challenge.Username, "username", "", "Okta challenge username (dynamic mode)")
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the Okta password (static mode: the challenge) from standard input")
	fl.StringVar(&opts.PasswordFile, "password-file", "", "read the Okta password (static mode: the challenge) from a file")
	cmdutil.AddJamfDialectFlag(fl, &opts.JamfDialect, "file overriding how Jamf's own SCEP settings are stored (see profiles/jamf-dialect.yaml)")
	fl.BoolVar(&opts.IncludeSecrets, "include-secrets", false, "write the password or static challenge into the profile")
	fl.StringVar(&opts.Out, "out", "", "write the profile to this file instead of stdout")
	fl.BoolVar(&opts.Force, "force", false, "overwrite an existing --out file")
	// Secrets are never flag values: these exist only to refuse them
	// with the safe alternatives.
	fl.StringVar(&plainPassword, "password", "", "")
	fl.StringVar(&plainChallenge, "challenge", "", "")
	_ = fl.MarkHidden("password")
	_ = fl.MarkHidden("challenge")
	cmd.MarkFlagsMutuallyExclusive("password-stdin", "password-file")
	return cmd
}

// buildResult is the JSON shape of `profile build -o json`.
type buildResult struct {
	Findings       profile.Findings `json:"findings"`
	OmittedSecrets []string         `json:"omittedSecrets"`
	Out            string           `json:"out,omitempty"`
	Mobileconfig   string           `json:"mobileconfig,omitempty"`
}

// run builds the profile and writes it.
func run(ctx context.Context, opts *Options) error {
	f := opts.F
	if opts.refusedFlag != "" {
		return cmdutil.UsageErrorf("--%s does not take a value on the command line (argv is visible to other users and kept in shell history); use --password-stdin, --password-file, or an env:, file: or keychain: reference in the config (%s)",
			opts.refusedFlag, config.EnvOktaSCEPPassword)
	}
	if f.Globals.Output != cmdutil.OutputText && f.Globals.Output != cmdutil.OutputJSON {
		return cmdutil.InvalidFlagValue("output", f.Globals.Output, cmdutil.OutputText, cmdutil.OutputJSON)
	}

	cfg, err := f.Config()
	if err != nil {
		return err
	}
	// Flags overlay the config, then the config's own validator runs on
	// the result: one set of rules (config.OverlayFlags).
	cfg.OverlayFlags(opts.Overrides, opts.changed)
	if err := cfg.ValidateProfile(); err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("the profile was not built; nothing was written:\n%w", err)}
	}
	dialect, err := config.DialectFor(opts.JamfDialect, cfg.Profile)
	if err != nil {
		return err
	}
	if opts.PasswordStdin || opts.PasswordFile != "" {
		v, err := readSecretInput(f.IOStreams.In, opts.PasswordStdin, opts.PasswordFile)
		if err != nil {
			return err
		}
		// The flag replaces the config's reference, which is never resolved.
		cfg.OverlaySecretFlag(v, secretFlag(opts))
	}
	popts, err := config.ProfileOptions(ctx, cfg.Profile, secret.Resolver{LookupEnv: f.LookupEnv}, opts.IncludeSecrets)
	if err != nil {
		return err
	}

	prof, findings, err := profile.Build(popts, dialect)
	if err != nil {
		printFindings(f, findings)
		return cmdutil.WithExitCode(cmdutil.ExitUsage, fmt.Errorf("the profile was not built: %d error(s); nothing was written", len(findings.Errors())))
	}
	data, err := prof.MarshalFile(profile.RenderOptions{Dialect: dialect, IncludeSecrets: opts.IncludeSecrets})
	if err != nil {
		return err
	}

	var omitted []string
	if !opts.IncludeSecrets {
		for _, s := range prof.Secrets() {
			omitted = append(omitted, s.Field)
		}
	}
	if opts.Out != "" {
		if err := writeOut(opts, data, opts.IncludeSecrets && prof.HasSecrets()); err != nil {
			return err
		}
	}

	if f.Globals.JSON() {
		res := buildResult{Findings: findings, OmittedSecrets: omitted, Out: opts.Out}
		if res.Findings == nil {
			res.Findings = profile.Findings{}
		}
		if res.OmittedSecrets == nil {
			res.OmittedSecrets = []string{}
		}
		if opts.Out == "" {
			res.Mobileconfig = string(data)
		}
		return cmdutil.WriteJSON(f.IOStreams.Out, res)
	}
	printFindings(f, writtenFindings(findings, opts.IncludeSecrets))
	if !opts.IncludeSecrets {
		for _, s := range prof.Secrets() {
			f.Warnf("left out %s (%s); add --include-secrets to write it (the file is then written 0600)", s.What, s.Field)
		}
	}
	if opts.Out == "" {
		_, err := f.IOStreams.Out.Write(data)
		return err
	}
	f.Successf("wrote %s", opts.Out)
	return nil
}

// secretFlag names the flag that gave the secret.
func secretFlag(opts *Options) string {
	if opts.PasswordStdin {
		return "--password-stdin"
	}
	return "--password-file"
}

// readSecretInput reads a secret from stdin or a file: one line, the
// trailing newline dropped; an empty value is an error.
func readSecretInput(stdin io.Reader, fromStdin bool, path string) (secret.Value, error) {
	var data []byte
	var err error
	src := "--password-file " + path
	if fromStdin {
		src = "--password-stdin"
		data, err = io.ReadAll(io.LimitReader(stdin, 64<<10))
	} else {
		// A FIFO or device is refused, never opened and waited on.
		data, _, err = secret.ReadFile(path)
	}
	if err != nil {
		return secret.Value{}, cmdutil.UsageErrorf("%s: %v", src, err)
	}
	// One rule for every secret's text (a BOM and one newline dropped,
	// other edge white space refused): secret.CleanText.
	v, err := secret.CleanText(string(data))
	if err != nil {
		return secret.Value{}, cmdutil.UsageErrorf("%s: %v", src, err)
	}
	if strings.ContainsAny(v, "\r\n") {
		return secret.Value{}, cmdutil.UsageErrorf("%s: the secret has more than one line; give only the password", src)
	}
	return secret.New(v), nil
}

func writeOut(opts *Options, data []byte, hasSecret bool) error {
	perm := os.FileMode(0o644)
	if hasSecret {
		perm = 0o600
	}
	// One rule for every file: an existing file is replaced only with
	// --force (it may be anything, including an earlier build holding a
	// secret).
	err := atomicfile.WriteFile(opts.Out, data, perm, opts.Force)
	if errors.Is(err, atomicfile.ErrExists) {
		return cmdutil.UsageErrorf("%s already exists; pass --force to overwrite it", opts.Out)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", opts.Out, err)
	}
	return nil
}

// writtenFindings drops the warning about where the password is written
// when it is not written at all (no --include-secrets): the command warns
// that it was left out instead.
func writtenFindings(fs profile.Findings, includeSecrets bool) profile.Findings {
	if includeSecrets {
		return fs
	}
	out := make(profile.Findings, 0, len(fs))
	for _, x := range fs {
		if x.Path == profile.FieldPassword && x.Severity == profile.SeverityWarning {
			continue
		}
		out = append(out, x)
	}
	return out
}

func printFindings(f *cmdutil.Factory, fs profile.Findings) {
	var b bytes.Buffer
	for _, x := range fs {
		b.WriteString(x.String())
		b.WriteByte('\n')
	}
	_, _ = f.IOStreams.ErrOut.Write(b.Bytes())
}
