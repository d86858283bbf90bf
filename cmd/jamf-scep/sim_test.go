package main

import (
	"cmp"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// scriptCmds are the custom testscript commands. Test files add their own
// entries in init functions, so features can add commands without touching
// a shared list.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

// simVerbs are the verbs of the "jamfsim" command beyond the built-in ones
// below; test files may add more in init functions. A verb gets the named
// simulator and the remaining arguments.
var simVerbs = map[string]func(ts *testscript.TestScript, sim *jamfsim.Server, args []string){}

// simRegistryKey is the testscript Values key of a script's simulators
// (put there by the Setup in main_test.go).
type simRegistryKey struct{}

// sims returns the script's simulators by name ("" is the default one).
func sims(ts *testscript.TestScript) map[string]*jamfsim.Server {
	return ts.Value(simRegistryKey{}).(map[string]*jamfsim.Server)
}

// cmdJamfsim drives in-process Jamf Pro simulators from a script:
//
//	jamfsim start [-name N] [-fleet 25] [-version 11.30.0] [-latency 0s] [-user] [-deny PRIVILEGE]... [-replication-lag 60s]
//	    [-scope-write merge|replace] [-no-schema]
//	    starts a simulator; -scope-write defaults to $JAMFSIM_SCOPE_WRITE, then
//	    merge (jamfsim.ScopeWrite). The default one exports JAMF_URL, JAMF_CLIENT_ID
//	    and JAMF_CLIENT_SECRET (with -user: JAMF_USERNAME and JAMF_PASSWORD);
//	    a named one exports SIM_<N>_URL, SIM_<N>_CLIENT_ID, SIM_<N>_CLIENT_SECRET.
//	jamfsim [-name N] requests           print the request log, one "METHOD PATH STATUS" line each
//	jamfsim [-name N] reset-requests     empty the request log
//	jamfsim [-name N] count METHOD PATH  print how many requests match (PATH is a prefix)
//	jamfsim [-name N] fail COUNT STATUS [RETRY-AFTER-SECONDS]
//	jamfsim [-name N] expire-tokens
//	jamfsim [-name N] stop               close it (connections are refused afterwards)
//	jamfsim [-name N] VERB ARGS...       a verb registered in simVerbs
func cmdJamfsim(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("jamfsim does not support !")
	}
	name := ""
	if len(args) >= 2 && args[0] == "-name" {
		name, args = args[1], args[2:]
	}
	if len(args) == 0 {
		ts.Fatalf("usage: jamfsim [-name N] VERB ...")
	}
	verb, args := args[0], args[1:]
	if verb == "start" {
		simStart(ts, name, args)
		return
	}
	sim, ok := sims(ts)[name]
	if !ok {
		ts.Fatalf("jamfsim: no simulator %q started", name)
	}
	switch verb {
	case "requests":
		for _, r := range sim.Requests() {
			fmt.Fprintf(ts.Stdout(), "%s %s %d\n", r.Method, r.Path, r.Status)
		}
	case "reset-requests":
		sim.ResetRequests()
	case "count":
		if len(args) != 2 {
			ts.Fatalf("usage: jamfsim count METHOD PATH-PREFIX")
		}
		n := 0
		for _, r := range sim.Requests() {
			if (args[0] == "*" || r.Method == args[0]) && strings.HasPrefix(r.Path, args[1]) {
				n++
			}
		}
		fmt.Fprintln(ts.Stdout(), n)
	case "fail":
		if len(args) < 2 {
			ts.Fatalf("usage: jamfsim fail COUNT STATUS [RETRY-AFTER-SECONDS]")
		}
		n, err1 := strconv.Atoi(args[0])
		status, err2 := strconv.Atoi(args[1])
		var after time.Duration
		if len(args) > 2 {
			s, err := strconv.Atoi(args[2])
			ts.Check(err)
			after = time.Duration(s) * time.Second
		}
		ts.Check(err1)
		ts.Check(err2)
		sim.FailNext(n, status, after)
	case "expire-tokens":
		sim.ExpireTokens()
	case "stop":
		sim.Close()
	default:
		f, ok := simVerbs[verb]
		if !ok {
			verbs := []string{"start", "requests", "reset-requests", "count", "fail", "expire-tokens", "stop"}
			for k := range simVerbs {
				verbs = append(verbs, k)
			}
			slices.Sort(verbs)
			ts.Fatalf("jamfsim: unknown verb %q; verbs: %s", verb, strings.Join(verbs, ", "))
		}
		f(ts, sim, args)
	}
}

func simStart(ts *testscript.TestScript, name string, args []string) {
	fs := flag.NewFlagSet("jamfsim start", flag.ContinueOnError)
	fleet := fs.Int("fleet", 25, "computers to seed with SeedFleet (0: none)")
	version := fs.String("version", "", "Jamf Pro version the simulator reports")
	latency := fs.Duration("latency", 0, "added latency per request")
	noSchema := fs.Bool("no-schema", false, "do not check exchanges against Jamf's schema (scripts timing round trips, where checking a 2000-record page takes longer than the latency)")
	user := fs.Bool("user", false, "export user-account credentials instead of an API client")
	lag := fs.Duration("replication-lag", 0, "run two Jamf Cloud nodes with this replication lag (0: one node)")
	scopeWrite := fs.String("scope-write", cmp.Or(ts.Getenv("JAMFSIM_SCOPE_WRITE"), "merge"), "how a PUT's <scope> combines with the stored one: merge or replace")
	var deny []string
	fs.Func("deny", "a privilege the API client and account lack (repeatable)", func(p string) error { deny = append(deny, p); return nil })
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("jamfsim start: %v", err)
	}
	// One node by default: each jamf-scep run is a new process with a new
	// cookie jar, and on Jamf Cloud a run right after another's write may
	// see the other node's stale copy for up to a minute. Scripts about
	// that pass -replication-lag.
	sw, err := jamfsim.ParseScopeWrite(*scopeWrite)
	ts.Check(err)
	simOpts := jamfsim.Options{Version: *version, DisabledQuirks: jamfsim.QuirkReplicationLag, ScopeWrite: sw, Observe: observeSchema(ts, *version)}
	if *noSchema {
		simOpts.Observe = nil
	}
	if *lag > 0 {
		simOpts.DisabledQuirks, simOpts.ReplicationLag = 0, *lag
	}
	if len(deny) > 0 {
		privs := slices.DeleteFunc(jamfsim.AllPrivileges(), func(p string) bool { return slices.Contains(deny, p) })
		simOpts.APIClients = []jamfsim.APIClient{{ID: jamfsim.DefaultClientID, Secret: jamfsim.DefaultClientSecret, Privileges: privs}}
		simOpts.Users = []jamfsim.User{{Name: jamfsim.DefaultUsername, Password: jamfsim.DefaultPassword, Privileges: privs}}
	}
	sim := jamfsim.New(simOpts)
	ts.Defer(sim.Close)
	if *fleet > 0 {
		sim.SeedFleet(*fleet, 1)
	}
	if *latency > 0 {
		sim.SetLatency(*latency)
	}
	if _, dup := sims(ts)[name]; dup {
		ts.Fatalf("jamfsim: simulator %q already started", name)
	}
	sims(ts)[name] = sim
	prefix := "JAMF_"
	if name != "" {
		prefix = "SIM_" + strings.ToUpper(name) + "_"
	}
	ts.Setenv(prefix+"URL", sim.URL())
	if *user {
		ts.Setenv(prefix+"USERNAME", jamfsim.DefaultUsername)
		ts.Setenv(prefix+"PASSWORD", jamfsim.DefaultPassword)
		return
	}
	ts.Setenv(prefix+"CLIENT_ID", jamfsim.DefaultClientID)
	ts.Setenv(prefix+"CLIENT_SECRET", jamfsim.DefaultClientSecret)
}
