package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/jamf-scep/jamf-scep/internal/textsafe"
)

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Table prints rows aligned in columns on a terminal and tab-separated when
// piped, so `cut -f` and `awk -F'\t'` work on the plain form. On a
// terminal, FitWidth makes every row fit the window (see there); the
// plain form is never cut.
type Table struct {
	w       io.Writer
	aligned bool
	rows    [][]string
	cols    int   // terminal width to fit; 0: no limit
	cut     []int // columns that may be cut (nil: every column)
	drop    []int // columns to drop, in this order, before cutting further
}

// Widths of FitWidth, in cells, "…" included.
const (
	tableGap = 2  // between aligned columns
	minCut   = 8  // narrowest any column is cut to, as a last resort
	minUsed  = 20 // narrowest a cut column is kept before columns are dropped
)

// NewTable returns a Table writing to w; aligned selects the terminal form.
func NewTable(w io.Writer, aligned bool) *Table {
	return &Table{w: w, aligned: aligned}
}

// FitWidth makes the aligned form fit cols terminal columns, in the manner
// of gh's table printer: the widest of the cut columns (all when cut is
// nil) are cut first ("…" ends a cut cell), down to minUsed cells; while
// that is not enough the columns in drop (indexes, least useful first)
// are left out one by one; with none left to drop, every column is cut
// down to minCut. cols 0 or less leaves rows whole.
func (t *Table) FitWidth(cols int, cut, drop []int) {
	t.cols, t.cut, t.drop = cols, cut, drop
}

// Row adds one row. Tabs and newlines inside fields are replaced by
// spaces, and any other control or bidi character is shown escaped
// (textsafe.Line): cells hold names from Jamf Pro.
func (t *Table) Row(fields ...string) {
	clean := make([]string, len(fields))
	for i, f := range fields {
		clean[i] = textsafe.Line(strings.NewReplacer("\t", " ", "\n", " ").Replace(f))
	}
	if t.aligned {
		t.rows = append(t.rows, clean)
		return
	}
	fmt.Fprint(t.w, strings.Join(clean, "\t")+"\n")
}

// Flush writes buffered rows (aligned form) and returns any write error.
func (t *Table) Flush() error {
	if !t.aligned || len(t.rows) == 0 {
		return nil
	}
	keep, widths := t.layout()
	var b strings.Builder
	for _, r := range t.rows {
		var line strings.Builder
		for n, c := range keep {
			cell := ""
			if c < len(r) {
				cell = r[c]
			}
			if ansi.StringWidth(cell) > widths[n] {
				cell = ansi.Truncate(cell, widths[n], "…")
			}
			line.WriteString(cell)
			if n < len(keep)-1 {
				line.WriteString(strings.Repeat(" ", widths[n]-ansi.StringWidth(cell)+tableGap))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	t.rows = nil
	_, err := io.WriteString(t.w, b.String())
	return err
}

// layout picks the columns shown and their widths in cells.
func (t *Table) layout() (keep, widths []int) {
	n := 0
	for _, r := range t.rows {
		n = max(n, len(r))
	}
	natural := make([]int, n)
	for _, r := range t.rows {
		for i, c := range r {
			natural[i] = max(natural[i], ansi.StringWidth(c))
		}
	}
	cuttable := func(i int) bool { return t.cut == nil || slices.Contains(t.cut, i) }
	dropped := map[int]bool{}
	for d := 0; ; d++ {
		keep, widths = nil, nil
		var cut []bool
		for i := range n {
			if !dropped[i] {
				keep = append(keep, i)
				widths = append(widths, natural[i])
				cut = append(cut, cuttable(i))
			}
		}
		if t.cols <= 0 || shrink(widths, cut, minUsed, t.cols) {
			return keep, widths
		}
		if d >= len(t.drop) {
			for i := range cut {
				cut[i] = true
			}
			shrink(widths, cut, minCut, t.cols)
			return keep, widths
		}
		dropped[t.drop[d]] = true
	}
}

// shrink cuts the widest columns of widths marked in cut (in place) until
// they and the gaps fit cols, none below floor; it reports whether they fit.
func shrink(widths []int, cut []bool, floor, cols int) bool {
	total := tableGap * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > cols {
		widest := -1
		for i, w := range widths {
			if cut[i] && w > floor && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return false
		}
		widths[widest]--
		total--
	}
	return true
}
