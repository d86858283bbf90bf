package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/config"
)

// Exit codes. They are part of jamf-scep's interface (scripts branch on them),
// documented in `jamf-scep help exit-codes` and mapped in ExitCode only.
const (
	// ExitOK: success; with --detailed-exitcode, success and no changes.
	ExitOK = 0
	// ExitError: any failure not listed below, including failed checks
	// (lint errors, doctor failures, verify below --fail-under).
	ExitError = 1
	// ExitChanges: with --detailed-exitcode, the plan has changes (as
	// terraform plan and kubectl diff).
	ExitChanges = 2
	// ExitUsage: invalid flags, arguments or configuration; nothing was sent.
	ExitUsage = 3
	// ExitAuth: Jamf Pro rejected the credentials (401) or the API role lacks
	// a privilege (403).
	ExitAuth = 4
	// ExitNotFound: a named Jamf Pro object (profile, group, building,
	// department, computer) does not exist. An unknown tenant name is a usage
	// error: it is the config's, not Jamf's.
	ExitNotFound = 5
	// ExitConflict: an ambiguity or conflict that needs a human, such as two
	// profiles with the same name.
	ExitConflict = 6
	// ExitPartial: a multi-tenant run where some tenants succeeded and some
	// failed.
	ExitPartial = 7
	// ExitGateNotMet: `rollout advance` took no step because a stage's
	// gate is not met (coverage, failed Macs or soak), on one tenant at
	// least; nothing failed.
	ExitGateNotMet = 8
	// ExitNothingLeft: `rollout advance` had nothing to do: every tenant
	// is at the last stage.
	ExitNothingLeft = 9
	// ExitCrash: jamf-scep itself failed (a panic, in any goroutine): a
	// bug to report, never a result. 70 is EX_SOFTWARE in BSD sysexits(3);
	// Go's own exit code for a panic, 2, would read as "changes pending".
	ExitCrash = 70
	// ExitCancelled: the user canceled (Ctrl-C, Esc, or answered no).
	ExitCancelled = 130
)

// ExitCodeHelp is the text of `jamf-scep help exit-codes`, kept next to the
// constants so they cannot drift apart (a test checks every code appears).
const ExitCodeHelp = `jamf-scep exits with one of these codes:

  0    success; with --detailed-exitcode: success and nothing to change
  1    failure, including failed checks (lint errors, doctor failures,
       verify below --fail-under)
  2    with --detailed-exitcode: success, and the plan has changes
  3    usage error: invalid flags, arguments or config; nothing was sent
  4    authentication or authorization: Jamf Pro answered 401 or 403
  5    not found in Jamf Pro: a profile, group, building, department or computer
  6    conflict: needs a human decision (e.g. two profiles share a name)
  7    partial failure: some tenants succeeded, some failed
  8    rollout advance: a stage's gate is not met on a tenant; nothing
       was widened there (other tenants may have advanced)
  9    rollout advance: nothing left; every tenant is at the last stage
  70   internal error: jamf-scep crashed (a bug); it prints how to report it
  130  canceled by the user (Ctrl-C, Esc, or declining a confirmation)
`

// ErrCancel is returned when the user cancels; it maps to ExitCancelled.
var ErrCancel = errors.New("canceled")

// ErrSilent signals a failure whose explanation was already printed; it maps
// to ExitError and main prints nothing more.
var ErrSilent = errors.New("silent error")

// CodedError carries an explicit exit code and an optional message. A nil
// Err with Code ExitChanges is how --detailed-exitcode reports changes.
type CodedError struct {
	Code int
	Err  error
}

func (e *CodedError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *CodedError) Unwrap() error { return e.Err }

// WithExitCode wraps err so that ExitCode returns code for it.
func WithExitCode(code int, err error) error { return &CodedError{Code: code, Err: err} }

// UsageError is bad input from the user: a flag, an argument or a config
// field. Nothing has been sent anywhere when it is returned.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// UsageErrorf formats a UsageError.
func UsageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// InvalidFlagValue is the one grammar for a bad flag value:
//
//	invalid value "1024" for flag --key-size; options are 2048, 4096
//
// (after smallstep cli-utils errs.InvalidFlagValue).
func InvalidFlagValue(flag, value string, options ...string) error {
	msg := fmt.Sprintf("invalid value %q for flag --%s", value, flag)
	if len(options) > 0 {
		msg += "; options are " + strings.Join(options, ", ")
	}
	return &UsageError{Err: errors.New(msg)}
}

// RequiredFlags reports flags that are needed when no prompt is possible:
//
//	--yes required when not running interactively
func RequiredFlags(why string, flags ...string) error {
	names := make([]string, len(flags))
	for i, f := range flags {
		names[i] = "--" + f
	}
	return &UsageError{Err: fmt.Errorf("%s required %s", strings.Join(names, " or "), why)}
}

// ExitCoder is implemented by errors that know their exit code, such as the
// Jamf client's typed errors once the command layer classifies them.
type ExitCoder interface{ ExitCode() int }

// ExitCode maps an error returned by a command to the process exit code.
// It is the only place where that mapping lives.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ce *crash.Error
	if errors.As(err, &ce) {
		return ExitCrash
	}
	var ee *CodedError
	if errors.As(err, &ee) {
		return ee.Code
	}
	if errors.Is(err, ErrCancel) || errors.Is(err, context.Canceled) {
		return ExitCancelled
	}
	var ue *UsageError
	var problems config.Problems
	if errors.As(err, &ue) || errors.As(err, &problems) || errors.Is(err, config.ErrInvalid) {
		return ExitUsage
	}
	var ec ExitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return ExitError
}
