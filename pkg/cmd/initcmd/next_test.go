package initcmd

import (
	"strings"
	"testing"
)

// TestNextFirstFrame pins the last part of item 3 of issue 16: the first
// frame of "What next?" (before any window-size message) draws every
// option.
func TestNextFirstFrame(t *testing.T) {
	choice := ""
	s := nextSelect(&choice)
	s.Focus()
	view := s.View()
	for _, want := range []string{"Run doctor", "Run plan", "Run apply", "Nothing for now"} {
		if !strings.Contains(view, want) {
			t.Errorf("the first frame lacks %q:\n%s", want, view)
		}
	}
}
