package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// Script commands and simulator verbs for the plan, apply and demo scripts:
//
//	jamfsim add-profile NAME           seed a profile named NAME (duplicates allowed)
//	jamfsim toplevel ID                print the stored top-level PayloadUUID and PayloadIdentifier
//	jamfsim scope ID                   print the stored scope, one "kind: ids" line each, then
//	                                   each unmodelled list as "KEY: XML" (jamfsim.Scope.Other)
//	jamfsim redeploys                  print every redeploy_on_update write: "ID SENT REINSTALLED"
//	jamfsim fault METHOD PATH COUNT STATUS [RETRY-AFTER-SECONDS]
//	                                   answer the next COUNT matching requests with STATUS
//	jsonfield FILE PATH                print the JSON value at PATH (a.b[0].c) of FILE
func init() {
	simVerbs["toplevel"] = simTopLevel
	simVerbs["scope"] = simScope
	simVerbs["redeploys"] = simRedeploys
	simVerbs["fault"] = simFault
	scriptCmds["jsonfield"] = cmdJSONField
}

func simProfile(ts *testscript.TestScript, sim *jamfsim.Server, args []string, usage string) jamfsim.Profile {
	if len(args) != 1 {
		ts.Fatalf("usage: %s", usage)
	}
	id, err := strconv.Atoi(args[0])
	ts.Check(err)
	p, ok := sim.Profile(id)
	if !ok {
		ts.Fatalf("no profile %d", id)
	}
	return p
}

func simTopLevel(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	p := simProfile(ts, sim, args, "jamfsim toplevel ID")
	var root map[string]any
	_, err := plist.Unmarshal([]byte(p.Payloads), &root)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "PayloadUUID %v\nPayloadIdentifier %v\n", root["PayloadUUID"], root["PayloadIdentifier"])
}

func simScope(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	s := simProfile(ts, sim, args, "jamfsim scope ID").Scope
	fmt.Fprintf(ts.Stdout(), "all_computers: %v\ncomputer_groups: %v\nbuildings: %v\nexclusions.computer_groups: %v\nexclusions.buildings: %v\n",
		s.AllComputers, s.Targets.ComputerGroups, s.Targets.Buildings, s.Exclusions.ComputerGroups, s.Exclusions.Buildings)
	for _, k := range slices.Sorted(maps.Keys(s.Other)) {
		fmt.Fprintf(ts.Stdout(), "%s: %s\n", k, s.Other[k])
	}
}

func simRedeploys(ts *testscript.TestScript, sim *jamfsim.Server, _ []string) {
	for _, r := range sim.Redeploys() {
		fmt.Fprintf(ts.Stdout(), "%d %s %q %d\n", r.ProfileID, r.Method, r.Sent, r.Reinstalled)
	}
}

func simFault(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	if len(args) < 4 {
		ts.Fatalf("usage: jamfsim fault METHOD PATH COUNT STATUS [RETRY-AFTER-SECONDS]")
	}
	n, err := strconv.Atoi(args[2])
	ts.Check(err)
	status, err := strconv.Atoi(args[3])
	ts.Check(err)
	f := jamfsim.Fault{Method: args[0], PathPrefix: args[1], Count: n, Status: status}
	if len(args) > 4 {
		s, err := strconv.Atoi(args[4])
		ts.Check(err)
		f.RetryAfter = time.Duration(s) * time.Second
	}
	sim.InjectFault(f)
}

func cmdJSONField(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonfield FILE PATH")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		ts.Fatalf("jsonfield: %s is not JSON: %v", args[0], err)
	}
	for _, part := range strings.Split(strings.ReplaceAll(args[1], "[", ".["), ".") {
		if part == "" {
			continue
		}
		if strings.HasPrefix(part, "[") {
			i, err := strconv.Atoi(strings.Trim(part, "[]"))
			ts.Check(err)
			a, ok := v.([]any)
			if !ok || i >= len(a) {
				ts.Fatalf("jsonfield: no element %s in %s", part, args[1])
			}
			v = a[i]
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			ts.Fatalf("jsonfield: no key %q in %s", part, args[1])
		}
		if v, ok = m[part]; !ok {
			ts.Fatalf("jsonfield: no key %q in %s", part, args[1])
		}
	}
	out, err := json.Marshal(v)
	ts.Check(err)
	fmt.Fprintln(ts.Stdout(), string(out))
}
