package scopecmd

import (
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// TestPrintChangesEscapesNames pins QA report 2, item 12 for scope edits:
// the confirmation shows group and computer names from Jamf Pro with
// control and bidi characters escaped.
func TestPrintChangesEscapesNames(t *testing.T) {
	evil := jamf.Ref{ID: 1, Name: "Pilot\x1b]0;PWNED\x07\u202e"}
	var b strings.Builder
	printChanges(&b, &jamf.Profile{}, editResult{Tenant: "prod", Changes: []scope.CategoryChange{{
		Category: "computer-group", Before: []jamf.Ref{evil}, After: nil, Removed: []jamf.Ref{evil}, Added: []jamf.Ref{evil},
	}}})
	got := b.String()
	if i := strings.IndexAny(got, "\x1b\x07\u202e"); i >= 0 {
		t.Errorf("printChanges holds a raw control or bidi character at %d: %q", i, got)
	}
	if !strings.Contains(got, `- Pilot\x1b]0;PWNED\x07\u202e`) {
		t.Errorf("printChanges = %q, want the name escaped", got)
	}
}
