package plan

import (
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// TestDiffGeneralNameNormalization: a stored name that differs from the
// config's only in Unicode normalization is the same name (jamf matches
// it so), not a rename that would print two identical strings on every
// run; a real rename still shows, and a case-only one too.
func TestDiffGeneralNameNormalization(t *testing.T) {
	tests := []struct {
		stored, want string
		changes      int
	}{
		{"Bu\u0308ro SCEP", "B\u00fcro SCEP", 0},
		{"B\u00fcro SCEP", "Bu\u0308ro SCEP", 0},
		{"okta scep", "Okta SCEP", 1},
		{"Strasse", "Straße", 1},
	}
	for _, tt := range tests {
		cs := diffGeneral(jamf.General{Name: tt.stored}, jamf.General{Name: tt.want}, General{})
		if len(cs) != tt.changes {
			t.Errorf("%q -> %q: changes %+v, want %d", tt.stored, tt.want, cs, tt.changes)
		}
		for _, c := range cs {
			if c.Old == c.New {
				t.Errorf("change %+v shows no difference", c)
			}
		}
	}
}
