package scope

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// TestDiffShowsEveryReplacedElement pins QA report 2 (P3): --replace-scope
// emptied an unknown top-level element (<unknown_top><x>1</x>) that the
// plan did not show, since its entries have no id or name. Every entry the
// write removes is a difference, shown by its XML.
func TestDiffShowsEveryReplacedElement(t *testing.T) {
	stored := jamf.Scope{
		Unmodelled: []jamf.RawElement{
			{Name: "unknown_top", Inner: "<x>1</x>"},
			{Name: "limitations", Inner: "<odd><y> 2 </y></odd>"},
		},
		Exclusions: jamf.Exclusions{Unmodelled: []jamf.RawElement{{Name: "other", Inner: "<size>1</size><z>3</z>"}}},
	}
	after := Spec{OwnUnmodelled: true}.Resulting(&stored)
	got := Diff(stored, after)
	want := []Change{
		{Path: "unknown_top", Added: []jamf.Ref{}, Removed: []jamf.Ref{{Name: "<x>1</x>"}}},
		{Path: "limitations.odd", Added: []jamf.Ref{}, Removed: []jamf.Ref{{Name: "<y>2</y>"}}},
		{Path: "exclusions.other", Added: []jamf.Ref{}, Removed: []jamf.Ref{{Name: "<z>3</z>"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if got := Diff(stored, Spec{}.Resulting(&stored)); len(got) != 0 {
		t.Errorf("Diff without --replace-scope = %+v, want none", got)
	}
}
