package main

import (
	"os"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// Simulator verbs for hostile and lost answers:
//
//	jamfsim fault-after METHOD PATH COUNT STATUS  handle the request (a write is stored), then answer STATUS (0: reset the connection)
//	jamfsim fault-body METHOD PATH COUNT TYPE FILE answer 200 with FILE's content as Content-Type TYPE
func init() {
	simVerbs["fault-after"] = func(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
		if len(args) != 4 {
			ts.Fatalf("usage: jamfsim fault-after METHOD PATH COUNT STATUS")
		}
		n, err := strconv.Atoi(args[2])
		ts.Check(err)
		status, err := strconv.Atoi(args[3])
		ts.Check(err)
		sim.InjectFault(jamfsim.Fault{Method: args[0], PathPrefix: args[1], Count: n, Status: status, Reset: status == 0, AfterStore: true})
	}
	simVerbs["fault-body"] = func(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
		if len(args) != 5 {
			ts.Fatalf("usage: jamfsim fault-body METHOD PATH COUNT TYPE FILE")
		}
		n, err := strconv.Atoi(args[2])
		ts.Check(err)
		body, err := os.ReadFile(ts.MkAbs(args[4]))
		ts.Check(err)
		sim.InjectFault(jamfsim.Fault{Method: args[0], PathPrefix: args[1], Count: n, ContentType: args[3], Body: string(body)})
	}
}
