package scope

import (
	"slices"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// AllComputersTarget is the one pseudo-target of the all_computers switch
// in a [Change]: Added when it turns on, Removed when it turns off.
const AllComputersTarget = "all computers"

// Change is the difference in one list of a scope.
type Change struct {
	// Path names the list by its Classic path: "all_computers", a
	// Category's String ("computer_groups", "exclusions.buildings"), or
	// an unmodelled list's jamf.OtherList.Path ("limitations.users",
	// "jss_users", "exclusions.jss_user_groups", "all_jss_users").
	Path string
	// Added and Removed are the entries of after not in before and of
	// before not in after, each in its list's order; never nil, and not
	// both empty.
	Added, Removed []jamf.Ref
}

// Diff lists what differs from before to after, list by list: the
// all_computers switch (pseudo-target AllComputersTarget), then each
// Category in order, matched by Classic id, then the unmodelled lists by
// path in the order read (before's first), matched by id when an entry has
// one, else by name (a user may have no id), an entry with neither by its
// XML ("<x>1</x>", see rawEntries). Lists that do not differ are
// left out, so an empty result means the scopes are the same as sets.
//
// It is both the scope section of a plan (before is the stored scope,
// after the one apply writes) and the read-back check after any scope
// write (before is what was sent, after what Jamf Pro then holds).
func Diff(before, after jamf.Scope) []Change {
	var out []Change
	if before.AllComputers != after.AllComputers {
		ch := Change{Path: AllComputersPath, Added: []jamf.Ref{}, Removed: []jamf.Ref{}}
		all := jamf.Ref{Name: AllComputersTarget}
		if after.AllComputers {
			ch.Added = append(ch.Added, all)
		} else {
			ch.Removed = append(ch.Removed, all)
		}
		out = append(out, ch)
	}
	for _, c := range Categories() {
		b, a := *c.list(&before), *c.list(&after)
		ch := Change{Path: c.String(), Added: minus(a, b, sameID), Removed: minus(b, a, sameID)}
		if len(ch.Added)+len(ch.Removed) > 0 {
			out = append(out, ch)
		}
	}
	return append(out, diffOther(append(before.OtherLists(), rawEntries(before)...), append(after.OtherLists(), rawEntries(after)...))...)
}

// diffOther compares unmodelled lists by path; a path may appear more
// than once (two <users> under <limitations>), and its entries then count
// together.
func diffOther(before, after []jamf.OtherList) []Change {
	var paths []string
	refs := func(ls []jamf.OtherList) map[string][]jamf.Ref {
		m := map[string][]jamf.Ref{}
		for _, l := range ls {
			if !slices.Contains(paths, l.Path) {
				paths = append(paths, l.Path)
			}
			m[l.Path] = append(m[l.Path], l.Refs...)
		}
		return m
	}
	b, a := refs(before), refs(after)
	var out []Change
	for _, p := range paths {
		ch := Change{Path: p, Added: minus(a[p], b[p], sameEntry), Removed: minus(b[p], a[p], sameEntry)}
		if len(ch.Added)+len(ch.Removed) > 0 {
			out = append(out, ch)
		}
	}
	return out
}

// Mismatch compares a read-back scope (got) with the one written (want)
// using [Diff], and names the lists that differ as `scope` commands name
// them, joined by ", ": "all-computers", a Category's Flag
// ("exclude-computer"), or an unmodelled list as its Row kind and
// category ("include jss-user", "limitation user"). It returns "" when
// they match.
//
// The unmodelled lists were sent as read, so Jamf Pro must still hold
// them (see docs/jamf-behavior.md, "Scope writes").
func Mismatch(want, got jamf.Scope) string {
	var bad []string
	for _, ch := range Diff(want, got) {
		bad = append(bad, flagName(ch.Path))
	}
	return strings.Join(bad, ", ")
}

// flagName names the list at a Change.Path as `scope` commands do.
func flagName(path string) string {
	if path == AllComputersPath {
		return AllComputersFlag
	}
	if c, ok := categoryByPath(path); ok {
		return c.Flag()
	}
	category, kind := OtherCategory(path)
	return kind + " " + category
}

// sameID matches the targets of a modelled list: by Classic id.
func sameID(x, y jamf.Ref) bool { return x.ID == y.ID }

// sameEntry matches the entries of an unmodelled list, which may have a
// name and no id (a user): by id when either has one, else by name.
func sameEntry(x, y jamf.Ref) bool {
	if x.ID != 0 || y.ID != 0 {
		return x.ID == y.ID
	}
	return x.Name == y.Name
}

// minus returns the refs of a that match none of b, in a's order; never
// nil.
func minus(a, b []jamf.Ref, same func(x, y jamf.Ref) bool) []jamf.Ref {
	out := []jamf.Ref{}
	for _, r := range a {
		if !slices.ContainsFunc(b, func(x jamf.Ref) bool { return same(x, r) }) {
			out = append(out, r)
		}
	}
	return out
}

// containsID reports whether refs has a target with Classic id id.
func containsID(refs []jamf.Ref, id int) bool {
	return slices.ContainsFunc(refs, func(r jamf.Ref) bool { return r.ID == id })
}
