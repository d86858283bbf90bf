package cmdutil

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// TestStepsProgress pins verify's progress (issue 16, item 8): on a
// terminal, a live line per tenant with the pages read of the total, cut
// to the width and erased at the end; without one, a plain line per step
// and no counts.
func TestStepsProgress(t *testing.T) {
	tenants := []string{"production-europe-west-with-a-long-name", "staging"}
	drive := func(s *Steps) {
		s.Step(tenants[0], "find profile", 0, 0, "Macs")
		s.Step(tenants[1], "find profile", 0, 0, "Macs")
		for read := 500; read <= 1500; read += 500 {
			s.Step(tenants[0], "read inventory", read, 5000, "Macs")
		}
		s.Step(tenants[1], "resolve scope", 0, 0, "Macs")
		s.Done()
	}
	for _, cols := range []int{80, 120} {
		t.Run(fmt.Sprintf("terminal %d", cols), func(t *testing.T) {
			ios, _, _, stderr := iostreams.Test()
			ios.SetTTY(false, false, true)
			ios.SetTerminalWidth(cols)
			drive((&Factory{IOStreams: ios}).NewSteps(tenants))
			out := stderr.String()
			for _, l := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(l); w >= cols {
					t.Errorf("line is %d cells at %d columns: %q", w, cols, l)
				}
			}
			if !strings.Contains(out, "1500 of 5000 Macs") {
				t.Errorf("no page count in %q", out)
			}
			if !strings.HasSuffix(out, ansi.CursorUp(2)+ansi.EraseScreenBelow) {
				t.Errorf("the block is not erased at the end: %q", out)
			}
			golden.Assert(t, fmt.Sprintf("steps-%d.golden", cols), []byte(out))
		})
	}
	t.Run("piped", func(t *testing.T) {
		ios, _, _, stderr := iostreams.Test()
		drive((&Factory{IOStreams: ios}).NewSteps(tenants))
		want := tenants[0] + ": find profile...\n" +
			"staging: find profile...\n" +
			tenants[0] + ": read inventory...\n" +
			"staging: resolve scope...\n"
		if got := stderr.String(); got != want {
			t.Errorf("plain progress = %q, want %q", got, want)
		}
	})
}
