package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

func init() {
	simVerbs["rollout-scenario"] = simRolloutScenario
	simVerbs["device"] = simDevice
	simVerbs["deliver"] = simDeliver
}

// simRolloutScenario seeds jamfsim.SeedRolloutScenario for a fixed time
// and prints the profile id:
//
//	jamfsim rollout-scenario 2026-03-02T09:00:00Z
func simRolloutScenario(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: jamfsim rollout-scenario RFC3339-TIME")
	}
	now, err := time.Parse(time.RFC3339, args[0])
	ts.Check(err)
	fmt.Fprintln(ts.Stdout(), sim.SeedRolloutScenario(now))
}

// simDevice sets how a computer answers MDM:
//
//	jamfsim device ID online|offline|failing
func simDevice(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	devices := map[string]jamfsim.Device{"online": jamfsim.DeviceOnline, "offline": jamfsim.DeviceOffline, "failing": jamfsim.DeviceFailing}
	if len(args) != 2 {
		ts.Fatalf("usage: jamfsim device ID online|offline|failing")
	}
	id, err := strconv.Atoi(args[0])
	ts.Check(err)
	d, ok := devices[args[1]]
	if !ok || !sim.SetDevice(id, d) {
		ts.Fatalf("jamfsim device: unknown computer %s or behaviour %s", args[0], args[1])
	}
}

// simDeliver plays one MDM round for a profile at a time (jamfsim.Server.Deliver,
// CN jamfsim.RolloutCN) and prints "sent N installed M":
//
//	jamfsim deliver PROFILE-ID RFC3339-TIME
func simDeliver(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: jamfsim deliver PROFILE-ID RFC3339-TIME")
	}
	id, err := strconv.Atoi(args[0])
	ts.Check(err)
	at, err := time.Parse(time.RFC3339, args[1])
	ts.Check(err)
	d := sim.Deliver(jamfsim.Delivery{ProfileID: id, CN: jamfsim.RolloutCN, At: at})
	fmt.Fprintf(ts.Stdout(), "sent %d installed %d\n", d.Sent, d.Installed)
}
