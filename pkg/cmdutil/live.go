package cmdutil

import (
	"io"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"

	"github.com/jamf-scep/jamf-scep/pkg/engine"
)

// LiveRegion redraws a block of status lines in place on a terminal. Each
// line is cut to the terminal's width (display cells, as x/ansi measures
// them, "…" marking the cut) so it takes exactly one row: the block's
// height is then known and the next redraw moves up over all of it,
// whatever the tenant names or error texts. It implements
// engine.LiveRegion.
type LiveRegion struct {
	w     io.Writer
	width func() int // columns; 0 or less means unknown (no cut)
	drawn int        // rows of the block on screen
}

// NewLiveRegion returns a region writing to w, a terminal whose width
// (columns) width reports at each redraw, so a resized window is followed.
func NewLiveRegion(w io.Writer, width func() int) *LiveRegion {
	return &LiveRegion{w: w, width: width}
}

// Draw replaces the block with lines, printing above first (whole lines
// that stay on screen, such as a warning; it may wrap). A new block starts
// below what is on screen after Reset.
func (r *LiveRegion) Draw(above string, lines []string) {
	var b strings.Builder
	if r.drawn > 0 {
		b.WriteString(ansi.CursorUp(r.drawn))
	}
	b.WriteString(ansi.EraseScreenBelow)
	b.WriteString(above)
	cols := 0
	if r.width != nil {
		cols = r.width()
	}
	for _, l := range lines {
		if cols > 0 {
			// One column spare: a line filling the last column
			// leaves some terminals' cursor pending a wrap.
			l = ansi.Truncate(l, cols-1, "…")
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	r.drawn = len(lines)
	_, _ = io.WriteString(r.w, b.String()) // progress is best effort
}

// Reset leaves the block on screen as it is; the next Draw starts a new
// one below it.
func (r *LiveRegion) Reset() { r.drawn = 0 }

// liveRegion returns a LiveRegion on stderr when it is a terminal, else nil
// (plain lines).
func (f *Factory) liveRegion() engine.LiveRegion {
	if !f.IOStreams.IsStderrTTY() {
		return nil
	}
	return NewLiveRegion(f.IOStreams.ErrOut, f.IOStreams.TerminalWidth)
}

// warnOnce is a Progress that shows each warning once per process: the
// same text for the same tenant again (a second run in one process) is
// dropped.
type warnOnce struct {
	engine.Progress
	seen *sync.Map
}

func (p warnOnce) Warn(tenantName, msg string) {
	if _, dup := p.seen.LoadOrStore(tenantName+"\x00"+msg, true); dup {
		return
	}
	p.Progress.Warn(tenantName, msg)
}
