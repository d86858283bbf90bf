package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

func init() {
	simVerbs["waves"] = simWaves
	simVerbs["verify-fleet"] = simVerifyFleet
}

// simVerifyFleet seeds a large fleet for verify and prints the id of a
// profile named "Okta Device Access (all Macs)" scoped to every computer:
//
//	jamfsim verify-fleet N 2026-03-01T09:00:00Z
//
// It seeds jamfsim.SeedVerifyScenario, then N computers; nine in ten of
// those have the profile installed with a matching certificate, the tenth
// has a pending install command.
func simVerifyFleet(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: jamfsim verify-fleet N RFC3339-TIME")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	now, err := time.Parse(time.RFC3339, args[1])
	ts.Check(err)
	sc := sim.SeedVerifyScenario(now)
	sim.SeedFleet(n, 1)
	p, _ := sim.Profile(sc.ProfileID)
	p.Name = "Okta Device Access (all Macs)"
	p.Scope = jamfsim.Scope{AllComputers: true}
	id := sim.AddProfile(p)
	for cid := len(sc.Computers) + 1; cid <= len(sc.Computers)+n; cid++ {
		c, _ := sim.Computer(cid)
		if cid%10 == 0 {
			_, err := sim.AddMDMCommand(jamfsim.MDMCommand{ComputerID: cid, ProfileID: id, Sent: now.Add(-time.Hour)})
			ts.Check(err)
			continue
		}
		sim.InstallProfile(cid, id)
		sim.AddCertificate(cid, jamfsim.Certificate{
			CommonName: c.Name + " ma " + c.UDID, Identity: true, ExpirationDate: now.Add(200 * 24 * time.Hour),
		})
	}
	fmt.Fprintln(ts.Stdout(), id)
}

// simWaves prints what the request log says about round trips:
//
//	jamfsim [-name N] waves [-v]
//	    "R requests, W waves, at most M in flight, K writes, on N node(s)";
//	    -v first lists each request with its start and end in ms after the
//	    first request's start
//
// Writes are requests other than GET and the token POST; nodes are the
// Jamf Cloud nodes the requests reached. Start the simulator with -latency
// (such as 20ms) when a script asserts on waves or in-flight counts, so that
// requests sent together overlap at the server for sure.
func simWaves(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	verbose := len(args) == 1 && args[0] == "-v"
	if len(args) != 0 && !verbose {
		ts.Fatalf("usage: jamfsim waves [-v]")
	}
	reqs := sim.Requests()
	if verbose && len(reqs) > 0 {
		t0 := reqs[0].Start
		for _, r := range reqs {
			fmt.Fprintf(ts.Stdout(), "%6d %6d %s %s?%s\n", r.Start.Sub(t0).Milliseconds(), r.End.Sub(t0).Milliseconds(), r.Method, r.Path, r.Query)
		}
	}
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
