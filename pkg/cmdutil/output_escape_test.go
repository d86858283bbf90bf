package cmdutil

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/check"
)

// evil is a computer name as hostile as Jamf Pro can hold: an OSC that
// retitles the terminal, a right-to-left override and a carriage return.
const evil = "\x1b]0;PWNED\x07\u202eMac\r"

// TestTextOutputEscapesServerStrings pins QA report 2, item 12 for the
// shared printers: a table cell (verify, scope show, the rollout summary)
// and a doctor checklist line never carry a raw control or bidi character,
// on a terminal or piped.
func TestTextOutputEscapesServerStrings(t *testing.T) {
	for _, aligned := range []bool{true, false} {
		var b bytes.Buffer
		tb := NewTable(&b, aligned)
		tb.Row("NAME", "SERIAL")
		tb.Row(evil, "C02\tX")
		if err := tb.Flush(); err != nil {
			t.Fatal(err)
		}
		assertSafe(t, "table", b.String(), `\x1b]0;PWNED\x07\u202eMac\r`)
	}
	var b bytes.Buffer
	results := []check.Result{{
		Check: "jamf prod: scope", Status: check.Warn, Message: "group " + evil, Fix: "rename " + evil,
		Details: []check.Detail{{Name: "Mac", Value: evil}},
	}}
	if err := writeChecklist(&b, results, textStyle); err != nil {
		t.Fatal(err)
	}
	assertSafe(t, "checklist", b.String(), `group \x1b]0;PWNED\x07\u202eMac`) // \r is white space: folded
}

func assertSafe(t *testing.T, what, got, want string) {
	t.Helper()
	if i := strings.IndexAny(got, "\x1b\x07\r\u202e"); i >= 0 {
		t.Errorf("%s holds a raw control or bidi character at %d: %q", what, i, got)
	}
	if !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to show %q", what, got, want)
	}
}
