package profile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextProblem says why Jamf Pro would not store a string as given, and
// what to do about it. Neither field quotes the string, so a problem with
// a secret can be shown as is.
type TextProblem struct {
	Reason string // "has characters outside the Basic Multilingual Plane (U+1F510), which Jamf stores as '?'"
	Fix    string // "remove them; use plain text"
}

// String returns "reason; fix".
func (p TextProblem) String() string { return p.Reason + "; " + p.Fix }

// CheckJamfText is the one rule for what Jamf Pro stores unchanged, applied
// to every string jamf-scep writes (profile name and description, every
// plist string, every Subject value) before anything is sent. It returns
// nil when s is stored as given, else the first problem:
//
//   - invalid UTF-8;
//   - a character outside the Basic Multilingual Plane (emoji): Jamf stores
//     each as '?';
//   - a control character (U+0000-U+001F, U+007F-U+009F): Jamf drops
//     literal LF and TAB inside plist strings, and XML 1.0 cannot carry
//     most of the others;
//   - an invisible format character (Unicode category Cf: bidi overrides
//     and isolates, zero-width space, byte order mark): the text would show
//     other than it is, in Jamf Pro and in the certificate;
//   - a Unicode noncharacter (U+FFFE, U+FFFF), which XML 1.0 excludes;
//   - whitespace at either end: Jamf trims it.
//
// A stored value that differs from the sent one never reads back equal, so
// every later run would try the write again (see docs/jamf-behavior.md,
// "Re-serialisation rewrites"). An empty string is storable.
func CheckJamfText(s string) *TextProblem {
	if !utf8.ValidString(s) {
		return &TextProblem{"is not valid UTF-8", "re-type it; check the file's encoding"}
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r > 0xFFFF }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return &TextProblem{
			fmt.Sprintf("has a character outside the Basic Multilingual Plane (%U, such as an emoji), which Jamf stores as '?'", r),
			"remove it; use characters up to U+FFFF",
		}
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return &TextProblem{
			fmt.Sprintf("contains a control character (%U%s), which Jamf drops or cannot store", r, controlName(r)),
			"remove it; write the text on one line",
		}
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return &TextProblem{
			fmt.Sprintf("contains an invisible format character (%U%s), which shows the text other than it is", r, formatName(r)),
			"remove it; type the text again without copying it from a web page or document",
		}
	}
	if strings.ContainsAny(s, "\uFFFE\uFFFF") {
		return &TextProblem{"contains a Unicode noncharacter (U+FFFE or U+FFFF), which XML cannot carry", "remove it"}
	}
	if strings.TrimFunc(s, unicode.IsSpace) != s {
		return &TextProblem{"has leading or trailing spaces, which Jamf trims", "remove them"}
	}
	return nil
}

// JamfStoredForm is s as Jamf Pro stores it, by the rewrites CheckJamfText
// refuses that Jamf is known to make: each character outside the Basic
// Multilingual Plane becomes '?', literal LF, CR and TAB are dropped, and
// edge whitespace is trimmed (docs/jamf-behavior.md, "Re-serialisation
// rewrites"). It lets a read-back tell a value Jamf can never store as sent
// from a stale read.
func JamfStoredForm(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return '?'
		case r == '\n' || r == '\r' || r == '\t':
			return -1
		}
		return r
	}, s)
	return strings.TrimFunc(s, unicode.IsSpace)
}

// controlName names the control characters people type by accident.
func controlName(r rune) string {
	switch r {
	case '\n':
		return ", line feed"
	case '\r':
		return ", carriage return"
	case '\t':
		return ", tab"
	}
	return ""
}

// formatNames names the format characters (Unicode category Cf) most
// often met in pasted text; others are shown by code point alone.
var formatNames = map[rune]string{
	'\u00ad': "soft hyphen",
	'\u061c': "Arabic letter mark",
	'\u200b': "zero-width space",
	'\u200c': "zero-width non-joiner",
	'\u200d': "zero-width joiner",
	'\u200e': "left-to-right mark",
	'\u200f': "right-to-left mark",
	'\u202a': "left-to-right embedding",
	'\u202b': "right-to-left embedding",
	'\u202c': "pop directional formatting",
	'\u202d': "left-to-right override",
	'\u202e': "right-to-left override",
	'\u2060': "word joiner",
	'\u2066': "left-to-right isolate",
	'\u2067': "right-to-left isolate",
	'\u2068': "first strong isolate",
	'\u2069': "pop directional isolate",
	'\ufeff': "byte order mark",
}

func formatName(r rune) string {
	if n, ok := formatNames[r]; ok {
		return ", " + n
	}
	return ""
}

// checkJamfText adds an error finding at field when Jamf would not store v
// as given. Secret values are never quoted; others are.
func checkJamfText(fs *Findings, field, v string, secret bool) {
	p := CheckJamfText(v)
	if p == nil {
		return
	}
	show := fmt.Sprintf(" %q", v)
	if secret {
		show = ""
	}
	*fs = append(*fs, Finding{SeverityError, field, label(field) + show + " " + p.Reason, p.Fix})
}
