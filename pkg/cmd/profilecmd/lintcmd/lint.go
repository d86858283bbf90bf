// Package lintcmd implements `jamf-scep profile lint`: check .mobileconfig
// files against Apple's SCEP schema and the Okta Device Access rules.
package lintcmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/safedecode"
	"github.com/jamf-scep/jamf-scep/internal/userfile"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// Options are the inputs of `profile lint`.
type Options struct {
	F           *cmdutil.Factory
	Files       []string
	Strict      bool
	ProfileID   int
	JamfDialect string
}

// NewCmdLint returns the `profile lint` command. runF replaces the run
// function in tests of flag parsing.
func NewCmdLint(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check .mobileconfig files against Apple's schema and Okta's rules",
		Long: `Lint configuration profiles you already have: XML or binary plists, and
CMS-signed profiles (their content is unwrapped; the signature is not
verified). Use - to read standard input.

Every key is checked against Apple's schema for the outer profile and the
com.apple.security.scep payload (misspelled keys, which macOS silently
ignores, are reported with the likely intended key), and against the Okta
Device Access rules: PayloadScope System, Keysize 2048, Key Usage 1,
KeyIsExtractable false, AllowAllAppsAccess true, a Subject that fits 64
characters, CAFingerprint absent or 16/20 bytes, redistribution set.

One line per finding: severity, key path, what is wrong, the fix. Exit 0
when clean or with warnings only, 1 with errors (--strict: with warnings).`,
		Example: `  $ jamf-scep profile lint OktaDeviceAccess.mobileconfig
  $ jamf-scep profile lint --strict -o json *.mobileconfig
  $ jamf-scep profile build --config examples/okta-device-access.yaml | jamf-scep profile lint -`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.UsageErrorf("give one or more .mobileconfig files to lint, or - to read standard input")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "treat warnings as errors")
	cmdutil.AddProfileIDFlag(cmd.Flags(), &opts.ProfileID, "Jamf profile id, for an exact Subject budget ($PROFILE_IDENTIFIER)")
	cmdutil.AddJamfDialectFlag(cmd.Flags(), &opts.JamfDialect, "file overriding how Jamf's own SCEP settings are stored")
	return cmd
}

// fileResult is one file's findings; `-o json` prints an array of them.
type fileResult struct {
	File     string           `json:"file"`
	Findings profile.Findings `json:"findings"`
}

// run lints every file and reports; the error carries the exit status.
func run(_ context.Context, opts *Options) error {
	f := opts.F
	if err := cmdutil.CheckProfileID(opts.ProfileID); err != nil {
		return err
	}
	var base config.Profile
	if cfg, err := f.Config(); err == nil {
		base = cfg.Profile
	}
	dialect, err := config.DialectFor(opts.JamfDialect, base)
	if err != nil {
		return err
	}
	var results []fileResult
	errCount, warnCount := 0, 0
	for _, name := range opts.Files {
		data, err := readInput(f, name)
		if err != nil {
			return err
		}
		fs := profile.Lint(data, profile.LintOptions{Dialect: dialect, ProfileID: opts.ProfileID})
		if fs == nil {
			fs = profile.Findings{}
		}
		errCount += len(fs.Errors())
		warnCount += len(fs.Warnings())
		results = append(results, fileResult{File: name, Findings: fs})
	}

	if f.Globals.JSON() {
		if err := cmdutil.WriteJSON(f.IOStreams.Out, results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			for _, x := range r.Findings {
				fmt.Fprintf(f.IOStreams.Out, "%s: %s\n", r.File, x)
			}
		}
		if errCount == 0 && warnCount == 0 {
			f.Successf("%d file(s) clean", len(results))
		}
	}

	failed := errCount > 0 || (opts.Strict && warnCount > 0)
	if !failed {
		return nil
	}
	msg := fmt.Errorf("%d error(s), %d warning(s)", errCount, warnCount)
	if f.Globals.JSON() {
		return cmdutil.WithExitCode(cmdutil.ExitError, nil) // the document says it all
	}
	return cmdutil.WithExitCode(cmdutil.ExitError, msg)
}

func readInput(f *cmdutil.Factory, name string) ([]byte, error) {
	// One byte past the plist limit, so that the parse refuses an
	// oversized profile by its limit rather than as truncated.
	limit := int64(safedecode.PlistLimits.Bytes) + 1
	if name == "-" {
		return io.ReadAll(io.LimitReader(f.IOStreams.In, limit))
	}
	// A named pipe or device is refused, never opened and waited on.
	data, _, err := userfile.Read(name, limit-1)
	switch {
	case errors.Is(err, userfile.ErrNotRegular):
		return nil, cmdutil.UsageErrorf("%s: %v; give .mobileconfig files, or - for stdin", name, err)
	case errors.Is(err, userfile.ErrTooLarge):
		return nil, cmdutil.UsageErrorf("%s %v; configuration profiles are far smaller, is it the right file?", name, err)
	case err != nil:
		return nil, cmdutil.UsageErrorf("cannot read %s: %v", name, err)
	}
	return data, nil
}
