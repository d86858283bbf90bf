package democmd

import (
	"bytes"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// maxWidth is the widest the demo's narration and progress get (display
// cells), whatever the terminal: a long warning wraps into lines read at
// a glance instead of one 300-character line.
const maxWidth = 100

// indent starts each continuation row of a wrapped line.
const indent = "    "

// wrapWriter word-wraps each whole line written through it to width cells
// (display cells, as x/ansi measures them), at spaces only, so a flag
// (--jamf-dialect) or a URL is never cut and stays copyable; a word wider
// than the width gets a row of its own. Continuation rows are indented. Lines carrying escape sequences are the
// live region's, already cut to the terminal, and pass as they are.
type wrapWriter struct {
	w     io.Writer
	width int
	buf   []byte // a line not yet ended by '\n'
}

// newWrapWriter wraps to maxWidth, or to the terminal's cols when
// narrower (cols 0 or less: unknown, as when stderr is piped).
func newWrapWriter(w io.Writer, cols int) *wrapWriter {
	width := maxWidth
	if cols > 0 && cols-1 < width {
		width = cols - 1 // one column spare, as the live region keeps
	}
	return &wrapWriter{w: w, width: max(width, 20)}
}

func (ww *wrapWriter) Write(p []byte) (int, error) {
	ww.buf = append(ww.buf, p...)
	for {
		i := bytes.IndexByte(ww.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(ww.buf[:i])
		ww.buf = ww.buf[i+1:]
		if _, err := io.WriteString(ww.w, ww.wrap(line)+"\n"); err != nil {
			return len(p), err
		}
	}
}

// Flush writes a last line not ended by '\n'.
func (ww *wrapWriter) Flush() error {
	if len(ww.buf) == 0 {
		return nil
	}
	_, err := io.WriteString(ww.w, ww.wrap(string(ww.buf)))
	ww.buf = nil
	return err
}

func (ww *wrapWriter) wrap(line string) string {
	if strings.ContainsRune(line, '\x1b') || ansi.StringWidth(line) <= ww.width {
		return line
	}
	var b strings.Builder
	lead := line[:len(line)-len(strings.TrimLeft(line, " "))]
	b.WriteString(lead)
	row := len(lead) // cells on the current row
	for i, word := range strings.Fields(line) {
		w := ansi.StringWidth(word)
		switch {
		case i == 0:
		case row+1+w > ww.width:
			b.WriteString("\n" + lead + indent)
			row = len(lead) + len(indent)
		default:
			b.WriteByte(' ')
			row++
		}
		b.WriteString(word)
		row += w
	}
	return b.String()
}
