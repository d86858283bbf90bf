package jamf

import (
	"strings"

	"golang.org/x/text/cases"
)

// Name matching. Jamf Pro trims leading and trailing spaces of names, and
// its database most likely compares them ignoring case (unpublished): a
// create whose name differs from a stored one only in case answers 409
// Duplicate name (see docs/jamf-behavior.md, "Duplicate names and case"). So a name matches a
// stored object when they are equal after trimming (exact), or else equal
// ignoring case (a case variant). An exact match wins over case variants;
// several matches of the same kind are ambiguous.

var folder = cases.Fold()

// foldName is the key a name is compared under ignoring case: trimmed and
// Unicode case-folded.
func foldName(s string) string { return folder.String(strings.TrimSpace(s)) }

// nameIndex finds names exactly (after trimming), else ignoring case.
type nameIndex struct {
	exact  map[string][]int
	folded map[string][]int
}

func newNameIndex(n int) nameIndex {
	return nameIndex{exact: make(map[string][]int, n), folded: make(map[string][]int, n)}
}

// add records name at index i.
func (x nameIndex) add(name string, i int) {
	t := strings.TrimSpace(name)
	x.exact[t] = append(x.exact[t], i)
	k := foldName(t)
	x.folded[k] = append(x.folded[k], i)
}

// lookup returns the indexes of the names matching want, ascending: the
// exact matches when there is any, else every case variant (folded true).
func (x nameIndex) lookup(want string) (hits []int, folded bool) {
	if h := x.exact[strings.TrimSpace(want)]; len(h) > 0 {
		return h, false
	}
	h := x.folded[foldName(want)]
	return h, len(h) > 0
}
