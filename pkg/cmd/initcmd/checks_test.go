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
			err := profileFieldError(o, nil, tt.field, "Field")
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestFieldNamedAsOnScreen pins item 6 of issue 16: a wizard validation
// message names the field by its label on screen, never by its config
// path or flag, whatever the field.
func TestFieldNamedAsOnScreen(t *testing.T) {
	tests := []struct {
		name, field, label string
		set                func(*profile.Options)
		want               string
	}{
		{"SCEP URL over http", profile.FieldSCEPURL, "SCEP URL", func(o *profile.Options) { o.SCEPURL = "http://acme.okta.com/pki/x" }, "SCEP URL: must use https"},
		{"username missing", profile.FieldUsername, "Username", func(o *profile.Options) { o.SCEPURL = "https://acme.okta.com/pki/x" }, "Username is required"},
		{"days out of range", profile.FieldRedistributeDays, "Redistribute days", func(o *profile.Options) { o.RedistributeDays = 900 }, "Redistribute days: 900 is out of range"},
		{"emoji name", profile.FieldName, "Profile name", func(o *profile.Options) { o.Name = "Okta 🔐" }, "Profile name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o profile.Options
			tt.set(&o)
			err := profileFieldError(o, nil, tt.field, tt.label)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to start with %q", err, tt.want)
			}
			if msg := err.Error(); strings.Contains(msg, "profile.") || strings.Contains(msg, "--") {
				t.Errorf("the message speaks config paths or flags: %q", msg)
			}
		})
	}
}
