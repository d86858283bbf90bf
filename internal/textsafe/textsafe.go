// Package textsafe makes text from a Jamf Pro tenant, an Okta page or any
// file safe to print to a terminal: it shows escaped every character that
// a terminal would act on or that would make the text read other than it
// is. A computer name is set by whoever owns the Mac, so a name holding
// "\x1b]0;PWNED\x07" must not retitle the admin's terminal, and one holding
// U+202E (RIGHT-TO-LEFT OVERRIDE) must not reorder a table row.
//
// Every renderer of text output passes server-supplied strings through
// [Line] (or [Text] for multi-line text, such as an error); JSON output
// keeps the data as it is (its encoder escapes control characters).
//
// Standard library only, so every layer can use it.
package textsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s with every unsafe character shown as a Go escape: C0 and
// C1 control characters including tab and newline (ESC as \x1b, BEL as
// \x07, newline as \n), Unicode format characters (category Cf: bidi
// embeddings, overrides and isolates, zero-width space and joiners, the
// byte order mark, shown as \u202e), the line and paragraph separators
// U+2028 and U+2029, and bytes that are not UTF-8 (\xff). Anything else,
// including every printable non-ASCII letter, is kept. s comes back
// unchanged (not copied) when it holds nothing to escape.
func Line(s string) string { return escape(s, false) }

// Text is [Line] for text of several lines: it keeps newline and tab and
// escapes everything else Line escapes (a carriage return too, which would
// let a line overwrite the one before it).
func Text(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	i := indexUnsafe(s, keepLines)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafe(r, keepLines):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

// indexUnsafe returns the byte index of the first character of s to
// escape, or -1.
func indexUnsafe(s string, keepLines bool) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
		if unsafe(r, keepLines) {
			return i
		}
	}
	return -1
}

func unsafe(r rune, keepLines bool) bool {
	if keepLines && (r == '\n' || r == '\t') {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
