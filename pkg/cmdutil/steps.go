package cmdutil

import (
	"fmt"
	"io"
	"sync"
)

// Steps shows the progress of work that can take more than a second (a
// verify over thousands of Macs), per tenant, on stderr. On a terminal it
// keeps one live line per tenant ("prod: read inventory: 1500 of 5000
// Macs"), cut to the window's width, and erases the block at Done so the
// report follows on a clean screen. Without a terminal it writes one plain
// line per step ("prod: read inventory...") and no counts. Safe for
// concurrent use.
type Steps struct {
	mu     sync.Mutex
	w      io.Writer
	region *LiveRegion // nil: plain lines
	order  []string
	status map[string]string
	last   map[string]string // plain: the last step printed per tenant
}

// NewSteps returns the progress of tenants (in display order).
func (f *Factory) NewSteps(tenants []string) *Steps {
	s := &Steps{w: f.IOStreams.ErrOut, order: tenants, status: map[string]string{}, last: map[string]string{}}
	if f.IOStreams.IsStderrTTY() {
		s.region = NewLiveRegion(f.IOStreams.ErrOut, f.IOStreams.TerminalWidth)
	}
	return s
}

// Step shows that tenantName is at step; with total > 0, done of total
// noun (the unit counted, such as "Macs") so far.
func (s *Steps) Step(tenantName, step string, done, total int, noun string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.region == nil {
		if s.last[tenantName] != step {
			s.last[tenantName] = step
			fmt.Fprintf(s.w, "%s: %s...\n", tenantName, step)
		}
		return
	}
	msg := step + "..."
	if total > 0 {
		msg = fmt.Sprintf("%s: %d of %d %s", step, done, total, noun)
	}
	s.status[tenantName] = msg
	lines := make([]string, len(s.order))
	for i, t := range s.order {
		st := s.status[t]
		if st == "" {
			st = "waiting"
		}
		lines[i] = t + ": " + st
	}
	s.region.Draw("", lines)
}

// Done erases the live block (a terminal); plain lines stay.
func (s *Steps) Done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.region != nil {
		s.region.Draw("", nil)
	}
}
