package doctor

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/doctor"
)

// style is how a checklist marks each status.
type style struct {
	marks map[doctor.Status]string
	color map[doctor.Status]string // ANSI SGR parameters; nil: no color
}

// textStyle is for pipes, logs and NO_COLOR: words a grep can find.
var textStyle = style{marks: map[doctor.Status]string{
	doctor.Pass: "PASS", doctor.Info: "INFO", doctor.Warn: "WARN", doctor.Fail: "FAIL", doctor.Skip: "SKIP",
}}

// ttyStyle is for a color terminal.
var ttyStyle = style{
	marks: map[doctor.Status]string{doctor.Pass: "✓", doctor.Info: "i", doctor.Warn: "!", doctor.Fail: "✗", doctor.Skip: "-"},
	color: map[doctor.Status]string{doctor.Pass: "32", doctor.Info: "36", doctor.Warn: "33", doctor.Fail: "31", doctor.Skip: "2"},
}

func (s style) mark(st doctor.Status) string {
	m, ok := s.marks[st]
	if !ok {
		m = s.marks[doctor.Fail]
	}
	if c := s.color[st]; c != "" {
		return "\x1b[" + c + "m" + m + "\x1b[0m"
	}
	return m
}

// writeChecklist prints one line per result: the mark, the check and the
// message; under a warning or failure, its fix and details, indented; and
// a closing count.
func writeChecklist(w io.Writer, results []doctor.Result, s style) error {
	b := bufio.NewWriter(w)
	counts := map[doctor.Status]int{}
	for _, r := range results {
		counts[r.Status]++
		fmt.Fprintf(b, "%s %s: %s\n", s.mark(r.Status), r.Check, oneLine(r.Message))
		if r.Status == doctor.Pass || r.Status == doctor.Skip {
			continue
		}
		if r.Status != doctor.Info {
			for _, d := range r.Details {
				fmt.Fprintf(b, "      %s: %s\n", oneLine(d.Name), oneLine(d.Value))
			}
		}
		if r.Fix != "" {
			fmt.Fprintf(b, "      fix: %s\n", oneLine(r.Fix))
		}
	}
	fmt.Fprintf(b, "\n%d passed, %d warnings, %d failed", counts[doctor.Pass], counts[doctor.Warn], counts[doctor.Fail])
	if n := counts[doctor.Skip]; n > 0 {
		fmt.Fprintf(b, ", %d skipped", n)
	}
	fmt.Fprintln(b)
	return b.Flush()
}

// oneLine keeps a server's multi-line message on its line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
