package plan

import (
	"strings"
	"testing"
)

// TestWriteTextEscapesServerStrings pins QA report 2, item 12: every
// string the plan shows that came from Jamf Pro (computer names and serials
// in the long-Subject list, scope target names, stored keys and values)
// reaches the terminal with control and bidi characters escaped.
func TestWriteTextEscapesServerStrings(t *testing.T) {
	const evil = "\x1b]0;PWNED\x07\u202e\r"
	p := &Plan{
		Action:      ActionUpdate,
		ProfileName: "Okta" + evil,
		ProfileID:   7,
		General:     []Change{{Path: "name" + evil, Op: OpChange, Old: "old" + evil, New: "new" + evil}},
		Payload:     []Change{{Path: "k" + evil, Op: OpAdd, New: "v" + evil}, {Path: "r" + evil, Op: OpRemove, Old: "w" + evil}},
		Scope:       []ScopeChange{{Category: "computer_groups", Added: []Target{{ID: 1, Name: "g" + evil}}, Removed: []Target{{ID: 2, Name: "h" + evil}}}},
		SubjectViolations: []MacViolation{{
			ID: 1, Name: "mac" + evil, Serial: "C02" + evil,
			Violations: []SubjectViolation{{Path: "Subject[0][0]", Type: "CN", Message: "CN of mac" + evil + " is too long"}},
		}},
		SubjectVerdict: VerdictRefused,
	}
	var b strings.Builder
	if err := WriteText(&b, "prod", p); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if i := strings.IndexAny(got, "\x1b\x07\r\u202e"); i >= 0 {
		t.Errorf("plan text holds a raw control or bidi character at %d:\n%q", i, got)
	}
	if !strings.Contains(got, `mac\x1b]0;PWNED\x07\u202e\r (id 1, serial C02\x1b]0;PWNED\x07\u202e\r)`) {
		t.Errorf("plan text does not show the computer name escaped:\n%s", got)
	}
}
