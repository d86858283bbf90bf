package initcmd

import (
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// TestProfileFieldErrorAppliesJamfTextRule pins that the wizard's answers
// go through the one rule for text Jamf can store and the Subject checks
// that profile build, config validate and plan apply.
func TestProfileFieldErrorAppliesJamfTextRule(t *testing.T) {
	tests := []struct {
		name  string
		field string
		set   func(*profile.Options)
		want  string // "" means accepted
	}{
		{"plain name", profile.FieldName, func(o *profile.Options) { o.Name = "Okta SCEP" }, ""},
		{"emoji name", profile.FieldName, func(o *profile.Options) { o.Name = "Okta SCEP 🔐" }, "which Jamf stores as '?'; remove it"},
		{"tab in description", profile.FieldDescription, func(o *profile.Options) { o.Description = "a\tb" }, "control character (U+0009, tab)"},
		{"subject without CN", profile.FieldSubject, func(o *profile.Options) { o.Subject = "O=Acme" }, "subject has no CN"},
		{"subject escaped edge space", profile.FieldSubject, func(o *profile.Options) { o.Subject = `CN=x\ ` }, "has leading or trailing spaces, which Jamf trims"},
		{"subject control character", profile.FieldSubject, func(o *profile.Options) { o.Subject = `CN=a\0Ab` }, "control character (U+000A, line feed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o profile.Options
			tt.set(&o)
			err := profileFieldError(o, nil, tt.field)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
