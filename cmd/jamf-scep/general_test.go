package main

import (
	"fmt"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

func init() {
	simVerbs["add-category"] = func(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: jamfsim add-category NAME")
		}
		fmt.Fprintln(ts.Stdout(), sim.AddCategory(args[0]))
	}
	simVerbs["profile-category"] = func(ts *testscript.TestScript, sim *jamfsim.Server, args []string) {
		p := simProfile(ts, sim, args, "jamfsim profile-category ID")
		fmt.Fprintf(ts.Stdout(), "%d %s\n", p.CategoryID, p.CategoryName)
	}
}
