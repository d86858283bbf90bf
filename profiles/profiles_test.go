package profiles

import (
	"slices"
	"strings"
	"testing"
)

func TestPresets(t *testing.T) {
	if got := Presets(); !slices.Contains(got, DefaultPreset) || slices.Contains(got, "jamf-dialect") {
		t.Errorf("Presets() = %v, want %s and not the dialect", got, DefaultPreset)
	}
	if b, err := Preset(DefaultPreset); err != nil || len(b) == 0 {
		t.Errorf("Preset(%q) = %d bytes, %v", DefaultPreset, len(b), err)
	}
	for _, name := range []string{"", "nope", "jamf-dialect", "../profiles/okta-device-access", "okta-device-access.yaml"} {
		_, err := Preset(name)
		if err == nil || !strings.Contains(err.Error(), "known presets: okta-device-access") {
			t.Errorf("Preset(%q) error = %v, want unknown preset listing the known ones", name, err)
		}
	}
}

func TestJamfDialect(t *testing.T) {
	if !strings.Contains(string(JamfDialect()), "INFERRED, NOT PUBLISHED") {
		t.Error("jamf-dialect.yaml must say plainly that it is inferred")
	}
}
