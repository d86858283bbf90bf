package jamf

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNameIndexMatchesAsJamfStores pins QA item 8: names are compared in
// Unicode NFC, exactly, else ignoring simple case only; full case folding
// (ß to ss, ligatures) is a different name, never "the same object".
func TestNameIndexMatchesAsJamfStores(t *testing.T) {
	tests := []struct {
		name       string
		stored     []string
		want       string
		hits       []int
		wantFolded bool
	}{
		{"exact", []string{"Okta SCEP"}, "Okta SCEP", []int{0}, false},
		{"trimmed", []string{" Okta SCEP "}, "Okta SCEP", []int{0}, false},
		{"case variant", []string{"okta device access scep"}, "Okta Device Access SCEP", []int{0}, true},
		{"exact wins over case", []string{"okta scep", "Okta SCEP"}, "Okta SCEP", []int{1}, false},
		{"sharp s is not ss", []string{"Other Team Strasse Profile"}, "Other Team Straße Profile", nil, false},
		{"ss is not sharp s", []string{"Other Team Straße Profile"}, "Other Team Strasse Profile", nil, false},
		{"ligature fi is not fi", []string{"Oﬃce Profile"}, "Office Profile", nil, false},
		{"NFD stored, NFC asked", []string{"Bu\u0308ro SCEP"}, "B\u00fcro SCEP", []int{0}, false},
		{"NFC stored, NFD asked", []string{"B\u00fcro SCEP"}, "Bu\u0308ro SCEP", []int{0}, false},
		{"NFD and case", []string{"BU\u0308RO SCEP"}, "b\u00fcro scep", []int{0}, true},
		{"capital sharp s and sharp s are a case pair", []string{"STRA\u1e9eE"}, "straße", []int{0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newNameIndex(len(tt.stored))
			for i, s := range tt.stored {
				x.add(s, i)
			}
			hits, folded := x.lookup(tt.want)
			if diff := cmp.Diff(tt.hits, hits); diff != "" || folded != tt.wantFolded {
				t.Errorf("lookup(%q) = %v, folded %v; want %v, %v", tt.want, hits, folded, tt.hits, tt.wantFolded)
			}
		})
	}
}

// TestNameProblemShowsInvisibleDifference: a suggestion that prints like
// the name asked for is shown with its difference spelled out.
func TestNameProblemShowsInvisibleDifference(t *testing.T) {
	p := NameProblem{Kind: KindComputer, Name: "Büro-Mac", Reason: "not found", Suggestions: []string{"Büro\u200b-Mac"}}
	if s := p.String(); !strings.Contains(s, `\u200b`) || !strings.Contains(s, "invisible") {
		t.Errorf("String() = %q, want the invisible character spelled out", s)
	}
}
