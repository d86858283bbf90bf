package profile

import (
	"cmp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCheckJamfText(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means storable
	}{
		{"", ""},
		{"Okta Device Access SCEP", ""},
		{"Büro & Söhne <R&D> \"quoted\" ]]>", ""},
		{"inner  runs  of spaces", ""},
		{"\uFFFD replacement character is in the BMP", ""},
		{"Okta SCEP 🔐", "outside the Basic Multilingual Plane (U+1F510, such as an emoji), which Jamf stores as '?'"},
		{"𝐁old math letters", "outside the Basic Multilingual Plane (U+1D401"},
		{"two\nlines", "control character (U+000A, line feed)"},
		{"tab\there", "control character (U+0009, tab)"},
		{"cr\rhere", "control character (U+000D, carriage return)"},
		{"nul\x00here", "control character (U+0000)"},
		{"c1\u0085here", "control character (U+0085)"},
		{"non\uFFFEchar", "noncharacter"},
		{" leading", "leading or trailing spaces, which Jamf trims"},
		{"trailing ", "leading or trailing spaces, which Jamf trims"},
		{"nbsp\u00a0", "leading or trailing spaces, which Jamf trims"},
		{"bad \xff utf-8", "is not valid UTF-8"},
		// QA report 2: invisible format characters (category Cf) show text
		// other than it is; they are refused by name.
		{"CN=gpj.\u202eexe", "contains an invisible format character (U+202E, right-to-left override), which shows the text other than it is"},
		{"Pi\u200blot", "(U+200B, zero-width space)"},
		{"a\u2066b", "(U+2066, left-to-right isolate)"},
		{"\ufeffname", "(U+FEFF, byte order mark)"},
		{"soft\u00adhyphen", "(U+00AD, soft hyphen)"},
	}
	for _, tt := range tests {
		got := ""
		if p := CheckJamfText(tt.in); p != nil {
			got = p.String()
		}
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("CheckJamfText(%q) = %q, want %q", tt.in, got, cmp.Or(tt.want, "storable"))
		}
	}
}

// FuzzCheckJamfText checks the rule against its definition: a string it
// accepts is one Jamf stores unchanged (valid UTF-8, in the BMP, no control
// characters, nothing to trim).
func FuzzCheckJamfText(f *testing.F) {
	for _, s := range []string{"", "Okta", " x", "a\tb", "🔐", "\u00a0", "\xff", "\uFFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckJamfText(s) != nil {
			return
		}
		if !utf8.ValidString(s) || strings.TrimFunc(s, unicode.IsSpace) != s ||
			strings.ContainsFunc(s, func(r rune) bool { return r > 0xFFFF || unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF }) {
			t.Errorf("CheckJamfText(%q) = nil for text Jamf would rewrite", s)
		}
	})
}

// TestJamfStoredForm pins the stored form a read-back compares against:
// each rewrite CheckJamfText refuses, as Jamf makes it.
func TestJamfStoredForm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Okta SCEP", "Okta SCEP"},
		{"Okta SCEP 🔐", "Okta SCEP ?"},
		{"  ACME ", "ACME"},
		{"line one\nline two\ttab", "line oneline twotab"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := JamfStoredForm(tt.in); got != tt.want {
			t.Errorf("JamfStoredForm(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if (CheckJamfText(tt.in) == nil) != (JamfStoredForm(tt.in) == tt.in) {
			t.Errorf("%q: CheckJamfText and JamfStoredForm disagree on whether it is stored as given", tt.in)
		}
	}
}
