package main

import (
	"fmt"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

func init() {
	simVerbs["waves"] = simWaves
}

// simWaves prints what the request log says about round trips:
//
//	jamfsim [-name N] waves
//	    "R requests, W waves, at most M in flight, K writes, on N node(s)"
//
// Writes are requests other than GET and the token POST; nodes are the
// Jamf Cloud nodes the requests reached. Start the simulator with -latency
// (such as 20ms) when a script asserts on waves or in-flight counts, so that
// requests sent together overlap at the server for sure.
func simWaves(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	if len(args) != 0 {
		ts.Fatalf("usage: jamfsim waves")
	}
	reqs := sim.Requests()
	writes := 0
	nodes := map[int]bool{}
	for _, r := range reqs {
		if r.Method != "GET" && r.Path != "/api/v1/oauth/token" {
			writes++
		}
		nodes[r.Node] = true
	}
	fmt.Fprintf(ts.Stdout(), "%d requests, %d waves, at most %d in flight, %d writes, on %d node(s)\n",
		len(reqs), jamfsim.Waves(reqs), jamfsim.MaxInFlight(reqs), writes, len(nodes))
}
