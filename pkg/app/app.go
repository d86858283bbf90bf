// Package app runs the jamf-scep command line: it builds the IO streams and
// the command tree, executes the command, prints the error (if any) once,
// and maps it to the process exit code.
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, f, args)
}

// Run executes the command tree for f with args and returns the exit code.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	f.Execute = func(ctx context.Context, args ...string) error {
		sub := root.NewCmdRoot(f)
		sub.SetArgs(args)
		sub.SetIn(f.IOStreams.In)
		sub.SetOut(f.IOStreams.Out)
		sub.SetErr(f.IOStreams.ErrOut)
		return root.ClassifyError(sub.ExecuteContext(ctx))
	}
	cmd := root.NewCmdRoot(f)
	cmd.SetArgs(args)
	cmd.SetIn(f.IOStreams.In)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)

	executed, err := cmd.ExecuteContextC(ctx)
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
	fmt.Fprintf(w, "error: %v\n", err)
	var ue *cmdutil.UsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmdPath)
	}
}
