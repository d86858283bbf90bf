package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/app"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
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
	t.Cleanup(func() { reportSchemaViolations(t) })
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("JAMF_SCEP_UPDATE_SCRIPTS") == "1",
		Setup:               scriptSetup,
		Cmds:                scriptCmds,
		Condition:           scriptCondition,
	})
}

// scriptCondition adds [race] to testscript's conditions: true under the
// race detector, where the wave-counting scripts skip (.ci/run runs them
// again without -race).
func scriptCondition(cond string) (bool, error) {
	if cond == "race" {
		return raceDetector, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// scriptSetup prepares every script's environment.
func scriptSetup(env *testscript.Env) error {
	// Scripts never prompt and never see the developer's config.
	env.Setenv("JAMF_SCEP_NO_PROMPT", "1")
	env.Setenv("NO_COLOR", "1")
	// Each script has its own cache (remembered Jamf Cloud node affinity).
	env.Setenv("XDG_CACHE_HOME", env.WorkDir+"/.cache")
	env.Values[simRegistryKey{}] = map[string]*jamfsim.Server{}
	return nil
}

func init() {
	scriptCmds["exits"] = cmdExits
	scriptCmds["perm"] = cmdPerm
	scriptCmds["jamfsim"] = cmdJamfsim
	scriptCmds["envsubst"] = cmdEnvsubst
}

// bracedVar is the ${NAME} form envsubst replaces; a bare $NAME (a Subject's
// $COMPUTERNAME) is left alone.
var bracedVar = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}`)

// cmdEnvsubst replaces ${VAR} with the script's environment, for config
// files that name simulator URLs:
//
//	envsubst FILE          in place
//	envsubst IN OUT        IN to OUT
func cmdEnvsubst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: envsubst FILE | envsubst IN OUT")
	}
	in, out := args[0], args[len(args)-1]
	data, err := os.ReadFile(ts.MkAbs(in))
	ts.Check(err)
	text := bracedVar.ReplaceAllStringFunc(string(data), func(m string) string { return ts.Getenv(m[2 : len(m)-1]) })
	ts.Check(os.WriteFile(ts.MkAbs(out), []byte(text), 0o600))
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
