// Package jamfsimtest holds the test helpers of the Jamf Pro simulator
// (package jamfsim): constructors that take a testing.TB and close what
// they start when the test ends.
//
// Only tests import it. The simulator itself ships in the jamf-scep binary
// (the demo command runs it), and keeping these helpers here keeps the
// testing package out of that binary.
package jamfsimtest

import (
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// New is [jamfsim.New] for tests: the server is closed when tb's test
// ends. Options are described on [jamfsim.Options].
func New(tb testing.TB, opts jamfsim.Options) *jamfsim.Server {
	tb.Helper()
	s := jamfsim.New(opts)
	tb.Cleanup(s.Close)
	return s
}

// NewReplay is [jamfsim.StartReplay] for tests: it serves the capture in
// dir under the base path "/jamf/", fails tb if the capture cannot be
// read, and closes the replay when tb's test ends.
func NewReplay(tb testing.TB, dir string) *jamfsim.Replay {
	tb.Helper()
	r, err := jamfsim.StartReplay(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.Close)
	return r
}
