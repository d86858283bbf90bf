// Package app runs the jamf-scep command line: it builds the IO streams and
// the command tree, executes the command, prints the error (if any) once,
// and maps it to the process exit code. It is also where a crash (a panic
// in any goroutine jamf-scep starts) is reported and where Ctrl-C and
// SIGTERM are handled.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/internal/textsafe"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/root"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// Main runs jamf-scep with args (without the program name) and returns the
// exit code. It is the whole of main, and what the end-to-end tests call.
func Main(args []string) int {
	ios := iostreams.System()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Globals:   &cmdutil.Globals{},
		Now:       time.Now,
		LookupEnv: os.LookupEnv,
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go watchSignals(sigs, done, cancel, ios.ErrOut, os.Exit)
	return Run(ctx, f, args)
}

// watchSignals cancels the run on the first SIGINT or SIGTERM, so that
// commands stop cleanly (exit 130), and exits at once on the second: a
// run blocked where cancellation cannot reach (a read that ignores its
// context) must never make the user kill -9 it. It returns when done is
// closed.
func watchSignals(sigs <-chan os.Signal, done <-chan struct{}, cancel context.CancelFunc, errOut io.Writer, exit func(int)) {
	select {
	case <-sigs:
		cancel()
		fmt.Fprintln(errOut, "\ncanceling; press Ctrl-C again to quit at once")
	case <-done:
		return
	}
	select {
	case <-sigs:
		fmt.Fprintln(errOut, "quit")
		exit(cmdutil.ExitCancelled)
	case <-done:
	}
}

// testHookExecute, set only by this package's tests, runs inside Run as a
// command would, to inject a panic.
var testHookExecute func()

// Run executes the command tree for f with args and returns the exit code.
// A panic anywhere in the run (in a goroutine too: see internal/crash) is
// reported with how to file it and exits cmdutil.ExitCrash, never 0 or 2.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = reportCrash(f, crash.From(r), args)
		}
	}()
	cmd := root.NewCmdRoot(f)
	cmd.SetArgs(args)
	cmd.SetIn(f.IOStreams.In)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)

	if testHookExecute != nil {
		testHookExecute()
	}
	executed, err := cmd.ExecuteContextC(ctx)
	if ce := (*crash.Error)(nil); errors.As(err, &ce) {
		return reportCrash(f, ce, args)
	}
	if err != nil {
		err = root.ClassifyError(err)
		printError(f.IOStreams.ErrOut, err, executed.CommandPath())
	}
	return cmdutil.ExitCode(err)
}

func printError(w io.Writer, err error, cmdPath string) {
	switch {
	case errors.Is(err, cmdutil.ErrSilent):
		return
	case cmdutil.ExitCode(err) == cmdutil.ExitCancelled:
		fmt.Fprintln(w, "canceled")
		return
	}
	var ce *cmdutil.CodedError
	if errors.As(err, &ce) && ce.Err == nil {
		return // a bare exit status, e.g. --detailed-exitcode
	}
	// Errors carry server text (names, messages): escape what a terminal
	// would act on (internal/textsafe).
	fmt.Fprintf(w, "error: %s\n", textsafe.Text(err.Error()))
	var ue *cmdutil.UsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmdPath)
	}
}
