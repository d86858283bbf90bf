package plan

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// TestLoadFleetReportsInventoryPages pins that the inventory read of
// plan and apply reports its progress through State.Progress: the step
// and the Macs read of the tenant's total (issue 16, item 8).
func TestLoadFleetReportsInventoryPages(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{})
	for i := range 3 {
		sim.AddComputer(jamfsim.Computer{Name: fmt.Sprintf("mac-%d", i), Serial: fmt.Sprintf("C0%d", i)})
	}
	client, err := jamf.New(sim.URL(), jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	st := &State{Client: client, Progress: func(step string, done, total int) {
		got = append(got, fmt.Sprintf("%s: %d of %d", step, done, total))
	}}
	if err := Run(t.Context(), st, nil, LoadFleet{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"resolve scope: 3 of 3"}, got); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}
