package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

func init() {
	simVerbs["add-profile"] = simAddProfile
	simVerbs["other"] = simOther
}

// scopeScripts are the scripts that write a scope. TestScripts runs them
// against a simulator that merges a PUT's <scope> into the stored one;
// TestScopeScriptsReplace runs them again against one that replaces the
// whole scope, since Jamf documents neither (see docs/jamf-behavior.md,
// "Scope writes"): both must pass unchanged.
var scopeScripts = []string{
	"apply_scope_ownership", "apply_update", "apply_category", "apply_multi_tenant",
	"plan_apply_fresh", "scope_edit", "scope_duplicates", "scope_other_lists",
}

func TestScopeScriptsReplace(t *testing.T) {
	files := make([]string, len(scopeScripts))
	for i, n := range scopeScripts {
		files[i] = filepath.Join("testdata", "script", n+".txtar")
	}
	testscript.Run(t, testscript.Params{
		Files:               files,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("JAMFSIM_SCOPE_WRITE", "replace")
			return scriptSetup(env)
		},
		Cmds: scriptCmds,
	})
}

// simOther sets one unmodelled list of a stored profile's scope, as
// another admin would in the Jamf Pro GUI:
//
//	jamfsim other ID KEY XML    KEY is a jamfsim.OtherLists key or all_jss_users
func simOther(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: jamfsim other ID KEY XML")
	}
	id, err := strconv.Atoi(args[0])
	ts.Check(err)
	if args[1] != "all_jss_users" && !slices.Contains(jamfsim.OtherLists, args[1]) {
		ts.Fatalf("jamfsim other: key %q is not all_jss_users or one of %s", args[1], strings.Join(jamfsim.OtherLists, ", "))
	}
	if !sim.SetScopeOther(id, args[1], args[2]) {
		ts.Fatalf("jamfsim other: no profile %d", id)
	}
}

// names is a repeatable string flag.
type names []string

func (n *names) String() string     { return strings.Join(*n, ",") }
func (n *names) Set(v string) error { *n = append(*n, v); return nil }

// minimalPlist is the stored plist of a profile seeded without -plist.
const minimalPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict><key>PayloadContent</key><array/><key>PayloadIdentifier</key><string>0F1B2C3D-0000-4000-8000-000000000001</string><key>PayloadType</key><string>Configuration</string><key>PayloadUUID</key><string>0F1B2C3D-0000-4000-8000-000000000001</string><key>PayloadVersion</key><integer>1</integer></dict></plist>
`

// simAddProfile seeds a stored profile, as if an admin had made it in the
// Jamf Pro GUI, and prints "profile ID":
//
//	jamfsim add-profile [-plist FILE] [-all] [-building B] [-department D]
//	    [-group G] [-exclude-group G] [-exclude-building B] NAME
//
// -group and -exclude-group create a static group of the first two Macs
// with that name; -plist stores FILE's text as the payloads verbatim.
func simAddProfile(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	fs := flag.NewFlagSet("jamfsim add-profile", flag.ContinueOnError)
	plistFile := fs.String("plist", "", "file whose text is stored as <payloads>")
	all := fs.Bool("all", false, "scope to all computers")
	var buildings, departments, groups, exGroups, exBuildings names
	fs.Var(&buildings, "building", "building target (repeatable)")
	fs.Var(&departments, "department", "department target (repeatable)")
	fs.Var(&groups, "group", "new static group target (repeatable)")
	fs.Var(&exGroups, "exclude-group", "new static group exclusion (repeatable)")
	fs.Var(&exBuildings, "exclude-building", "building exclusion (repeatable)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		ts.Fatalf("usage: jamfsim add-profile [flags] NAME (%v)", err)
	}
	payloads := minimalPlist
	if *plistFile != "" {
		data, err := os.ReadFile(ts.MkAbs(*plistFile))
		ts.Check(err)
		payloads = string(data)
	}
	p := jamfsim.Profile{Name: fs.Arg(0), Payloads: payloads}
	p.Scope.AllComputers = *all
	for _, b := range buildings {
		p.Scope.Targets.Buildings = append(p.Scope.Targets.Buildings, sim.AddBuilding(b))
	}
	for _, d := range departments {
		p.Scope.Targets.Departments = append(p.Scope.Targets.Departments, sim.AddDepartment(d))
	}
	for _, g := range groups {
		p.Scope.Targets.ComputerGroups = append(p.Scope.Targets.ComputerGroups, sim.AddStaticGroup(g, []int{1, 2}))
	}
	for _, g := range exGroups {
		p.Scope.Exclusions.ComputerGroups = append(p.Scope.Exclusions.ComputerGroups, sim.AddStaticGroup(g, []int{1, 2}))
	}
	for _, b := range exBuildings {
		p.Scope.Exclusions.Buildings = append(p.Scope.Exclusions.Buildings, sim.AddBuilding(b))
	}
	fmt.Fprintf(ts.Stdout(), "profile %d\n", sim.AddProfile(p))
}

func init() {
	scriptCmds["jamfreplay"] = cmdJamfReplay
}

// cmdJamfReplay serves a --capture directory as a tenant and points
// JAMF_URL at it (credentials stay as they are: the replay does not check
// them):
//
//	jamfreplay DIR
func cmdJamfReplay(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: jamfreplay DIR")
	}
	r, err := jamfsim.StartReplay(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Defer(r.Close)
	ts.Setenv("JAMF_URL", r.URL())
}

func init() {
	scriptCmds["nogrep"] = cmdNoGrep
}

// cmdNoGrep fails when any file in DIR matches the regular expression:
//
//	nogrep PATTERN DIR
func cmdNoGrep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nogrep PATTERN DIR")
	}
	re, err := regexp.Compile(args[0])
	ts.Check(err)
	files, err := filepath.Glob(filepath.Join(ts.MkAbs(args[1]), "*"))
	ts.Check(err)
	if len(files) == 0 {
		ts.Fatalf("nogrep: %s is empty", args[1])
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		ts.Check(err)
		if m := re.Find(data); m != nil {
			ts.Fatalf("nogrep: %s holds %q", filepath.Base(f), m)
		}
	}
}
