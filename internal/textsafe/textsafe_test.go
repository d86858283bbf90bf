package textsafe_test

import (
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/textsafe"
)

// TestLine pins QA report 2, item 12: a server-supplied string printed to
// a terminal carries no character the terminal acts on (ESC, BEL, CR, C1
// controls) and none that reorders or hides text (bidi overrides, zero-width
// characters); they are shown escaped, and every printable character,
// accented or not, is kept.
func TestLine(t *testing.T) {
	tests := []struct{ name, in, line, text string }{
		{"plain", "MacBook-042", "MacBook-042", "MacBook-042"},
		{"accents and CJK kept", "Zoë's Mac 東京", "Zoë's Mac 東京", "Zoë's Mac 東京"},
		{"OSC title", "\x1b]0;PWNED\x07Mac", `\x1b]0;PWNED\x07Mac`, `\x1b]0;PWNED\x07Mac`},
		{"CSI colour", "\x1b[31mred", `\x1b[31mred`, `\x1b[31mred`},
		{"C1 CSI", "a\u009b31mb", `a\u009b31mb`, `a\u009b31mb`},
		{"carriage return", "ok\rFAIL", `ok\rFAIL`, `ok\rFAIL`},
		{"newline and tab", "a\nb\tc", `a\nb\tc`, "a\nb\tc"},
		{"bidi override", "gpj.\u202eexe", `gpj.\u202eexe`, `gpj.\u202eexe`},
		{"bidi isolate", "a\u2066b\u2069", `a\u2066b\u2069`, `a\u2066b\u2069`},
		{"zero-width space", "Pi\u200blot", `Pi\u200blot`, `Pi\u200blot`},
		{"byte order mark", "\ufeffname", `\ufeffname`, `\ufeffname`},
		{"line separator", "a\u2028b", `a\u2028b`, `a\u2028b`},
		{"tag character", "a\U000E0041", `a\U000e0041`, `a\U000e0041`},
		{"invalid UTF-8", "a\xffb", `a\xffb`, `a\xffb`},
		{"DEL", "a\x7f", `a\x7f`, `a\x7f`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textsafe.Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
			if got := textsafe.Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
		})
	}
}

func FuzzLine(f *testing.F) {
	f.Add("\x1b]0;x\x07")
	f.Add("a\u202eb")
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{textsafe.Line(s), textsafe.Text(s)} {
			for _, r := range got {
				if r == 0x1b || r == 0x07 || r == '\r' || r == 0x9b || r == '\u202e' {
					t.Fatalf("escape(%q) = %q holds %U", s, got, r)
				}
			}
		}
	})
}
