package jamf_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// waveLatency is added to every simulated request in tests that count
// waves: far above scheduling noise, so requests sent together overlap at
// the server and requests that wait for each other cannot.
const waveLatency = 50 * time.Millisecond

// TestSimPagesAfterFirstTogether: page 0 gives totalCount, then the other
// pages go out together, never more than the client's five at once, and
// every request of the run reaches the node its first answer pinned with
// the affinity cookie.
func TestSimPagesAfterFirstTogether(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0)) // two nodes: QuirkReplicationLag is on
	sim.SeedFleet(25, 7)
	sim.SetLatency(waveLatency)
	c := newSimClient(t, sim.URL())
	got, err := c.ComputersInventory(t.Context(), jamf.InventoryQuery{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 25 {
		t.Fatalf("%d computers, want 25", len(got))
	}
	for i, m := range got {
		if want := strconv.Itoa(i + 1); m.ID != want {
			t.Errorf("computer %d has id %s, want %s: pages kept in order", i, m.ID, want)
		}
	}
	reqs := sim.Requests()
	// token, version, 13 pages of 2.
	if len(reqs) != 15 {
		t.Errorf("%d requests, want 15 (token, version, 13 pages)", len(reqs))
	}
	// token, version, page 0, then 12 pages five at a time: 3 + 3.
	// Waves are timed; under -race the client is slower than the latency
	// that makes requests sent together overlap (.ci/run reruns this
	// without -race).
	if w := jamfsim.Waves(reqs); w > 6 && !raceDetector {
		t.Errorf("%d waves, want at most 6: pages after page 0 must go out together", w)
	}
	if n := jamfsim.MaxInFlight(reqs); n > jamf.DefaultMaxConcurrency {
		t.Errorf("%d requests in flight at once, want at most %d", n, jamf.DefaultMaxConcurrency)
	}
	for _, r := range reqs {
		if r.Node != reqs[0].Node {
			t.Errorf("%s %s went to node %d, the run's first request to node %d: the affinity cookie was lost", r.Method, r.Path, r.Node, reqs[0].Node)
		}
	}
}
