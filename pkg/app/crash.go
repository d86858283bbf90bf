package app

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/build"
	"github.com/jamf-scep/jamf-scep/pkg/cmd/root"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// IssuesURL is where a crash report asks users to file the bug.
const IssuesURL = "https://github.com/jamf-scep/jamf-scep/issues"

// reportCrash prints a short crash report to stderr and returns
// cmdutil.ExitCrash. The report holds no secret: the version, the command
// path and the flag names given (never values or arguments), the panic
// only as a runtime error's message (any other panic value may carry
// data, so it and the stack are shown only with --debug).
func reportCrash(f *cmdutil.Factory, e *crash.Error, args []string) int {
	w := f.IOStreams.ErrOut
	command := commandLine(f, args)
	fmt.Fprintf(w, "\njamf-scep crashed: %v\n", e)
	fmt.Fprintf(w, "This is a bug in jamf-scep. Please report it at %s with:\n", IssuesURL)
	fmt.Fprintf(w, "  version: jamf-scep %s (commit %s, built %s, %s/%s, %s)\n", build.Version, build.Commit, build.Date, runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(w, "  command: %s\n", command)
	if f.Globals != nil && f.Globals.Debug {
		fmt.Fprintf(w, "  and this detail (check it for anything private before you share it):\n\n%s\n", e.Detail())
	} else {
		fmt.Fprintf(w, "  and the output of the same command rerun with --debug, which shows where it\n  crashed (check it for anything private before you share it).\n")
	}
	fmt.Fprintf(w, "Exit code %d means jamf-scep crashed; it says nothing about the tenant's state: run plan to see it.\n", cmdutil.ExitCrash)
	return cmdutil.ExitCrash
}

// commandLine is the command path and the names of the flags in args,
// without any value or positional argument (a path or a name may be
// private; a secret is never a flag value, but a mistyped one could be).
func commandLine(f *cmdutil.Factory, args []string) (line string) {
	line = "jamf-scep"
	defer func() {
		if recover() != nil {
			line = "jamf-scep" // the report must not crash too
		}
	}()
	// A copy of the factory: building the tree binds flags to Globals.
	fc := *f
	fc.Globals = &cmdutil.Globals{}
	if c, _, err := root.NewCmdRoot(&fc).Find(args); err == nil {
		line = c.CommandPath()
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") {
			name, _, _ := strings.Cut(a, "=")
			if !strings.HasPrefix(a, "--") && len(name) > 2 {
				name = name[:2] // -oVALUE
			}
			line += " " + name
		}
	}
	return line
}
