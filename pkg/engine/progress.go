package engine

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/jamf-scep/jamf-scep/pkg/plan"
)

// TextProgress prints a run's progress. When not live (CI, or stderr not
// a terminal) it writes one plain line per event ("tenant: step...").
// Live, with several tenants, it keeps one line per tenant, redrawn in
// place by a LiveRegion, and prints warnings above the block.
type TextProgress struct {
	mu     sync.Mutex
	w      io.Writer
	region LiveRegion        // nil: plain lines only
	live   bool              // decided by the first phase
	begun  bool              // a phase started
	order  []string          // tenants in config order
	status map[string]string // tenant -> latest event
	// counting is set while a count line is drawn in the region for a
	// single tenant (not live): the next plain line replaces it.
	counting bool
}

// LiveRegion draws a block of lines in place on a terminal (the command
// layer's, which knows the terminal's width).
type LiveRegion interface {
	// Draw replaces the block on screen with lines (one row each),
	// printing above, whole lines that stay, first.
	Draw(above string, lines []string)
	// Reset leaves the block on screen; the next Draw starts below it.
	Reset()
}

// NewTextProgress returns a Progress writing plain lines to w; with a
// region (w is a terminal) several tenants get a live block drawn by it.
func NewTextProgress(w io.Writer, region LiveRegion) *TextProgress {
	return &TextProgress{w: w, region: region, status: map[string]string{}}
}

// Phase starts a block for tenants. The first phase decides whether the
// output is live (a terminal and several tenants); a later one leaves the
// block on screen as it is and starts a new one below (after the plans
// are printed).
func (e *TextProgress) Phase(tenants []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.begun {
		e.begun = true
		e.live = e.region != nil && len(tenants) > 1
	}
	if e.region != nil {
		e.region.Reset()
	}
	e.counting = false
	e.order = tenants
	clear(e.status)
}

func (e *TextProgress) line(tenantName, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.live {
		e.plain(tenantName + ": " + msg + "\n")
		return
	}
	e.status[tenantName] = msg
	e.redraw("")
}

// plain prints text (whole lines), over the count line when one is drawn.
// e.mu must be held.
func (e *TextProgress) plain(text string) {
	if e.counting {
		e.counting = false
		e.region.Draw(text, nil)
		return
	}
	_, _ = io.WriteString(e.w, text) // progress is best effort
}

// Count shows how far tenantName's step is ("resolve scope: 2000 of 5000
// Macs") on a terminal, live in the block, or for a single tenant on one
// line redrawn in place that the next event replaces. Without a terminal
// it prints nothing: the step's plain line was printed when it began.
func (e *TextProgress) Count(tenantName, step string, done, total int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.region == nil {
		return
	}
	msg := fmt.Sprintf("%s: %d of %d Macs", step, done, total)
	if e.live {
		e.status[tenantName] = msg
		e.redraw("")
		return
	}
	e.counting = true
	e.region.Draw("", []string{tenantName + ": " + msg})
}

// redraw replaces the live block, printing above (a warning) first when
// set. e.mu must be held.
func (e *TextProgress) redraw(above string) {
	lines := make([]string, len(e.order))
	for i, t := range e.order {
		st := e.status[t]
		if st == "" {
			st = "waiting"
		}
		lines[i] = t + ": " + st
	}
	e.region.Draw(above, lines)
}

// Step shows that tenantName started step.
func (e *TextProgress) Step(tenantName, step string) { e.line(tenantName, "%s...", step) }

// Warn prints a warning about tenantName (above the live block).
func (e *TextProgress) Warn(tenantName, msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.live {
		e.plain(tenantName + ": " + msg + "\n")
		return
	}
	e.redraw(tenantName + ": " + msg + "\n")
}

// Planned shows t's planning outcome.
func (e *TextProgress) Planned(t *Tenant) {
	switch {
	case t.Err != nil:
		e.line(t.Name, "failed: %s", FirstLine(Describe(t.Err)))
	case t.State.Plan.HasChanges():
		e.line(t.Name, "planned: %s (%s)", t.State.Plan.Action, t.State.Plan.ChangeSummary())
	default:
		e.line(t.Name, "planned: no changes")
	}
}

// Applied shows t's apply outcome and, after a create by name, how to pin
// the new profile's id.
func (e *TextProgress) Applied(t *Tenant) {
	if t.Err != nil {
		e.line(t.Name, "apply failed: %s", FirstLine(Describe(t.Err)))
		return
	}
	e.line(t.Name, "applied: %s, read back and verified", strings.Join(t.State.Written, "; "))
	if p := t.State.Plan; p != nil && p.Action == plan.ActionCreate && t.State.ProfileID == 0 {
		// On Jamf Cloud a run from another machine within a minute may
		// reach a node that has not seen this profile yet; by id it then
		// fails instead of creating a second one.
		e.line(t.Name, "pin it: set profile_id: %d for tenant %s in the config (or pass --profile-id %d), so later runs update this profile by id; if another run created a profile with this name less than a minute ago (its Jamf Cloud node may not have listed it), the next plan lists both: keep the older (lower id)", p.ProfileID, t.Name, p.ProfileID)
	}
}
