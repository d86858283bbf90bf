package jamf

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Name matching. Jamf Pro trims leading and trailing spaces of names, and
// its database most likely compares them ignoring case (unpublished): a
// create whose name differs from a stored one only in case answers 409
// Duplicate name (see docs/jamf-behavior.md, "Duplicate names and case").
// So a name matches a stored object when they are equal after trimming and
// Unicode NFC normalization (exact: "Büro" typed precomposed or with a
// combining mark is one name, UAX #15), or else equal ignoring simple case
// (a case variant: each character against its simple case folding,
// Unicode's CaseFolding.txt status C and S, never the full folding that
// turns "ß" into "ss" or the ligature "ﬁ" into "fi": those are other
// names, and matching them would update another team's profile). An exact
// match wins over case variants; several matches of the same kind are
// ambiguous.

// exactName is the key a name is compared under exactly: trimmed, NFC.
func exactName(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

// foldName is the key a name is compared under ignoring case: exactName
// with each rune replaced by the smallest rune of its simple case-folding
// orbit (unicode.SimpleFold), so the key has as many runes as the name.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, exactName(s))
}

// nameIndex finds names exactly (after trimming and NFC), else ignoring
// simple case.
type nameIndex struct {
	exact  map[string][]int
	folded map[string][]int
}

func newNameIndex(n int) nameIndex {
	return nameIndex{exact: make(map[string][]int, n), folded: make(map[string][]int, n)}
}

// add records name at index i.
func (x nameIndex) add(name string, i int) {
	k := exactName(name)
	x.exact[k] = append(x.exact[k], i)
	f := foldName(k)
	x.folded[f] = append(x.folded[f], i)
}

// lookup returns the indexes of the names matching want, ascending: the
// exact matches when there is any, else every case variant (folded true).
func (x nameIndex) lookup(want string) (hits []int, folded bool) {
	if h := x.exact[exactName(want)]; len(h) > 0 {
		return h, false
	}
	h := x.folded[foldName(want)]
	return h, len(h) > 0
}

// invisibleDifference reports whether a and b differ only in characters
// that print as nothing (format characters such as U+200B ZERO WIDTH
// SPACE) or in Unicode normalization, so that quoting both would show
// the same text.
func invisibleDifference(a, b string) bool {
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Cf, r) {
				return -1
			}
			return r
		}, norm.NFC.String(s))
	}
	return a != b && strip(a) == strip(b)
}
