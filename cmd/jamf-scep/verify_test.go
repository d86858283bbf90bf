package main

import (
	"fmt"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

func init() {
	simVerbs["verify-scenario"] = simVerifyScenario
}

// simVerifyScenario seeds jamfsim.SeedVerifyScenario for a fixed time:
//
//	jamfsim verify-scenario 2026-03-01T09:00:00Z
//
// and prints the profile id.
func simVerifyScenario(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: jamfsim verify-scenario RFC3339-TIME")
	}
	now, err := time.Parse(time.RFC3339, args[0])
	ts.Check(err)
	sc := sim.SeedVerifyScenario(now)
	fmt.Fprintln(ts.Stdout(), sc.ProfileID)
}
