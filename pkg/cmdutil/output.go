package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

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
// piped, so `cut -f` and `awk -F'\t'` work on the plain form.
type Table struct {
	w       io.Writer
	tw      *tabwriter.Writer
	aligned bool
}

// NewTable returns a Table writing to w; aligned selects the terminal form.
func NewTable(w io.Writer, aligned bool) *Table {
	t := &Table{w: w, aligned: aligned}
	if aligned {
		t.tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	}
	return t
}

// Row adds one row. Tabs and newlines inside fields are replaced by
// spaces, and any other control or bidi character is shown escaped
// (textsafe.Line): cells hold names from Jamf Pro.
func (t *Table) Row(fields ...string) {
	clean := make([]string, len(fields))
	for i, f := range fields {
		clean[i] = textsafe.Line(strings.NewReplacer("\t", " ", "\n", " ").Replace(f))
	}
	line := strings.Join(clean, "\t") + "\n"
	if t.aligned {
		fmt.Fprint(t.tw, line)
		return
	}
	fmt.Fprint(t.w, line)
}

// Flush writes buffered rows (aligned form) and returns any write error.
func (t *Table) Flush() error {
	if t.aligned {
		return t.tw.Flush()
	}
	return nil
}
