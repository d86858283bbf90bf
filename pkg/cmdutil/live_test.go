package cmdutil

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/pkg/engine"
)

// TestLiveRegionFitsWidth pins the live block: every line fits the
// terminal (one row each), so the cursor-up of the next redraw covers the
// whole block and no stale line stays behind (issue 16, item 7).
func TestLiveRegionFitsWidth(t *testing.T) {
	lines := []string{
		"production-eu: resolve scope...",
		"staging: failed: GET /JSSResource/computergroups/id/12: 503 Service Unavailable; the tenant did not answer within the timeout, retried 3 times over 40 s",
		"ünïcødé-tenant-名前: planned: update (3 profile change(s), 2 scope change(s))",
	}
	for _, cols := range []int{80, 120} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			var buf bytes.Buffer
			r := NewLiveRegion(&buf, func() int { return cols })
			r.Draw("", lines)
			r.Draw("staging: warning above the block\n", lines)
			for _, l := range strings.Split(buf.String(), "\n") {
				if w := ansi.StringWidth(l); w >= cols {
					t.Errorf("line is %d cells at %d columns: %q", w, cols, l)
				}
			}
			golden.Assert(t, fmt.Sprintf("live-%d.golden", cols), buf.Bytes())
		})
	}
}

// TestLiveRegionMovesOverItsBlock checks the redraw goes up by the rows
// drawn, and that Reset starts a new block below.
func TestLiveRegionMovesOverItsBlock(t *testing.T) {
	var buf bytes.Buffer
	r := NewLiveRegion(&buf, func() int { return 80 })
	r.Draw("", []string{"a", "b", "c"})
	r.Draw("", []string{"a", "b", "c"})
	r.Reset()
	r.Draw("", []string{"d"})
	want := ansi.EraseScreenBelow + "a\nb\nc\n" +
		ansi.CursorUp(3) + ansi.EraseScreenBelow + "a\nb\nc\n" +
		ansi.EraseScreenBelow + "d\n"
	if got := buf.String(); got != want {
		t.Errorf("draws = %q, want %q", got, want)
	}
}

// TestPlanCountProgress pins plan/apply's inventory progress (issue 16,
// item 8): on a terminal the step shows the Macs read of the total, in
// the live block for several tenants and on one line redrawn in place for
// one, each line within the width; the next event replaces a lone count
// line.
func TestPlanCountProgress(t *testing.T) {
	for _, cols := range []int{80, 120} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			var buf bytes.Buffer
			one := engine.NewTextProgress(&buf, NewLiveRegion(&buf, func() int { return cols }))
			one.Phase([]string{"production"})
			one.Step("production", "resolve scope")
			one.Count("production", "resolve scope", 2000, 5000)
			one.Count("production", "resolve scope", 5000, 5000)
			one.Step("production", "compute plan")

			several := engine.NewTextProgress(&buf, NewLiveRegion(&buf, func() int { return cols }))
			tenants := []string{"production-eu", "staging-tenant-with-a-very-long-name-for-the-lab-in-building-7"}
			several.Phase(tenants)
			several.Step(tenants[0], "resolve scope")
			several.Step(tenants[1], "resolve scope")
			several.Count(tenants[0], "resolve scope", 2000, 5000)
			several.Count(tenants[1], "resolve scope", 12000, 48000)
			several.Step(tenants[0], "compute plan")
			out := buf.String()
			for _, l := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(l); w >= cols {
					t.Errorf("line is %d cells at %d columns: %q", w, cols, l)
				}
			}
			for _, want := range []string{"production: resolve scope: 2000 of 5000 Macs", "production-eu: resolve scope: 2000 of 5000 Macs"} {
				if !strings.Contains(out, want) {
					t.Errorf("progress lacks %q", want)
				}
			}
			golden.Assert(t, fmt.Sprintf("count-%d.golden", cols), buf.Bytes())
		})
	}
}
