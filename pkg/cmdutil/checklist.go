package cmdutil

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/jamf-scep/jamf-scep/internal/textsafe"
	"github.com/jamf-scep/jamf-scep/pkg/check"
)

// style is how a checklist marks each status.
type style struct {
	marks map[check.Status]string
	color map[check.Status]string // ANSI SGR parameters; nil: no color
}

// textStyle is for pipes, logs and NO_COLOR: words a grep can find.
var textStyle = style{marks: map[check.Status]string{
	check.Pass: "PASS", check.Info: "INFO", check.Warn: "WARN", check.Fail: "FAIL", check.Skip: "SKIP",
}}

// ttyStyle is for a color terminal.
var ttyStyle = style{
	marks: map[check.Status]string{check.Pass: "✓", check.Info: "i", check.Warn: "!", check.Fail: "✗", check.Skip: "-"},
	color: map[check.Status]string{check.Pass: "32", check.Info: "36", check.Warn: "33", check.Fail: "31", check.Skip: "2"},
}

func (s style) mark(st check.Status) string {
	m, ok := s.marks[st]
	if !ok {
		m = s.marks[check.Fail]
	}
	if c := s.color[st]; c != "" {
		return "\x1b[" + c + "m" + m + "\x1b[0m"
	}
	return m
}

// writeChecklist prints one line per result: the mark, the check and the
// message; under a warning or failure, its fix and details, indented; and
// a closing count.
func writeChecklist(w io.Writer, results []check.Result, s style) error {
	b := bufio.NewWriter(w)
	counts := map[check.Status]int{}
	for _, r := range results {
		counts[r.Status]++
		fmt.Fprintf(b, "%s %s: %s\n", s.mark(r.Status), textsafe.Line(r.Check), oneLine(r.Message))
		if r.Status == check.Pass || r.Status == check.Skip {
			continue
		}
		if r.Status != check.Info {
			for _, d := range r.Details {
				fmt.Fprintf(b, "      %s: %s\n", oneLine(d.Name), oneLine(d.Value))
			}
		}
		if r.Fix != "" {
			fmt.Fprintf(b, "      fix: %s\n", oneLine(r.Fix))
		}
	}
	fmt.Fprintf(b, "\n%d passed, %d warnings, %d failed", counts[check.Pass], counts[check.Warn], counts[check.Fail])
	if n := counts[check.Skip]; n > 0 {
		fmt.Fprintf(b, ", %d skipped", n)
	}
	fmt.Fprintln(b)
	return b.Flush()
}

// oneLine keeps a server's multi-line message on its line, control and
// bidi characters escaped (textsafe.Line).
func oneLine(s string) string {
	return textsafe.Line(strings.Join(strings.Fields(s), " "))
}
