package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/app"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamftest"
)

// TestMain lets the txtar scripts run "jamf-scep" as a real process that
// calls the same app.Main the released binary calls.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"jamf-scep": func() { os.Exit(app.Main(os.Args[1:])) },
	})
}

// TestScripts runs every testdata/script/*.txtar end to end. Set
// JAMF_SCEP_UPDATE_SCRIPTS=1 to rewrite cmp files from actual output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("JAMF_SCEP_UPDATE_SCRIPTS") == "1",
		Setup: func(env *testscript.Env) error {
			// Scripts never prompt and never see the developer's config.
			env.Setenv("JAMF_SCEP_NO_PROMPT", "1")
			env.Setenv("NO_COLOR", "1")
			env.Values[simRegistryKey{}] = map[string]*jamftest.Server{}
			return nil
		},
		Cmds: scriptCmds,
	})
}

func init() {
	scriptCmds["exits"] = cmdExits
	scriptCmds["perm"] = cmdPerm
	scriptCmds["jamfsim"] = cmdJamfsim
}

// cmdExits runs a program and asserts its exact exit status:
//
//	exits 3 jamf-scep version -o yaml
//
// Output goes to stdout/stderr like exec, so stdout/stderr assertions follow.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdPerm prints a file's permission bits in octal ("600"), for asserting
// that files holding secrets are private.
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: perm FILE")
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%o\n", fi.Mode().Perm())
}
