package plan

import (
	"slices"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Category is one list of a profile's scope that a config can own.
type Category int

// The scope categories, in the order plans list them.
const (
	Computers Category = iota
	ComputerGroups
	Buildings
	Departments
	ExcludedComputers
	ExcludedComputerGroups
	ExcludedBuildings
	ExcludedDepartments
	numCategories
)

// Categories returns every category in plan order.
func Categories() []Category {
	cs := make([]Category, numCategories)
	for i := range cs {
		cs[i] = Category(i)
	}
	return cs
}

var categoryNames = [numCategories]string{
	"computers", "computer_groups", "buildings", "departments",
	"exclusions.computers", "exclusions.computer_groups", "exclusions.buildings", "exclusions.departments",
}

// String returns the config key of the category, such as
// "exclusions.computer_groups".
func (c Category) String() string { return categoryNames[c] }

// list returns a pointer to the category's list in s.
func (c Category) list(s *jamf.Scope) *[]jamf.Ref {
	switch c {
	case Computers:
		return &s.Computers
	case ComputerGroups:
		return &s.ComputerGroups
	case Buildings:
		return &s.Buildings
	case Departments:
		return &s.Departments
	case ExcludedComputers:
		return &s.Exclusions.Computers
	case ExcludedComputerGroups:
		return &s.Exclusions.ComputerGroups
	case ExcludedBuildings:
		return &s.Exclusions.Buildings
	default:
		return &s.Exclusions.Departments
	}
}

// ScopeSpec is the desired scope. A category is owned when it has an entry
// in Lists (even an empty one) and all_computers when AllComputers is
// non-nil: apply makes an owned category match exactly and leaves the
// others as Jamf has them (config.Scope documents the rule).
//
// The lists jamf-scep does not model (limitations, users, network
// segments, iBeacons; jamf.Scope.Unmodelled) are never owned by a config:
// apply writes them back exactly as read. OwnUnmodelled (--replace-scope)
// empties them.
type ScopeSpec struct {
	AllComputers  *bool
	Lists         map[Category][]jamf.Ref
	OwnUnmodelled bool
}

// Owned reports whether c is owned.
func (s ScopeSpec) Owned(c Category) bool {
	_, ok := s.Lists[c]
	return ok
}

// OwnAll makes every category owned, empty unless already set, and the
// unmodelled lists too (--replace-scope): Jamf's scope is then replaced,
// not merged.
func (s *ScopeSpec) OwnAll() {
	s.OwnUnmodelled = true
	if s.Lists == nil {
		s.Lists = map[Category][]jamf.Ref{}
	}
	for _, c := range Categories() {
		if _, ok := s.Lists[c]; !ok {
			s.Lists[c] = []jamf.Ref{}
		}
	}
	if s.AllComputers == nil {
		f := false
		s.AllComputers = &f
	}
}

// ScopeNames returns the names a config scope mentions, targets and
// exclusions in one jamf.Names (for fleet.NeedFor and one Resolve), and a
// function that maps the resolved refs back to a ScopeSpec with the
// config's ownership (nil list: not owned).
func ScopeNames(s config.Scope) (jamf.Names, func(jamf.Resolved) ScopeSpec) {
	lists := [numCategories][]string{
		s.Computers, s.ComputerGroups, s.Buildings, s.Departments,
		s.Exclusions.Computers, s.Exclusions.ComputerGroups, s.Exclusions.Buildings, s.Exclusions.Departments,
	}
	var n jamf.Names
	for c, l := range lists {
		switch Category(c) % ExcludedComputers {
		case Computers:
			n.Computers = append(n.Computers, l...)
		case ComputerGroups:
			n.ComputerGroups = append(n.ComputerGroups, l...)
		case Buildings:
			n.Buildings = append(n.Buildings, l...)
		case Departments:
			n.Departments = append(n.Departments, l...)
		}
	}
	back := func(r jamf.Resolved) ScopeSpec {
		spec := ScopeSpec{AllComputers: s.AllComputers, Lists: map[Category][]jamf.Ref{}}
		pools := [4][]jamf.Ref{r.Computers, r.ComputerGroups, r.Buildings, r.Departments}
		for c, l := range lists {
			if l == nil {
				continue
			}
			k := c % int(ExcludedComputers)
			spec.Lists[Category(c)] = slices.Clone(pools[k][:len(l)])
			pools[k] = pools[k][len(l):]
		}
		return spec
	}
	return n, back
}

// ResultingScope is the scope after apply: stored (nil for a create) with
// every owned category replaced by the desired one. The lists jamf-scep
// does not model (limitations, users, network segments, iBeacons ...) are
// kept exactly as read, so the write stores them unchanged whether Jamf
// merges a <scope> into the stored one or replaces it (see
// docs/jamf-behavior.md, "Scope writes"); with spec.OwnUnmodelled they
// are emptied.
func ResultingScope(spec ScopeSpec, stored *jamf.Scope) jamf.Scope {
	var out jamf.Scope
	if stored != nil {
		out = cloneScope(*stored)
	}
	if spec.AllComputers != nil {
		out.AllComputers = *spec.AllComputers
	}
	for c, refs := range spec.Lists {
		*c.list(&out) = slices.Clone(refs)
	}
	if spec.OwnUnmodelled {
		out.OwnUnmodelled()
	}
	return out
}

func cloneScope(s jamf.Scope) jamf.Scope {
	out := s
	for _, c := range Categories() {
		*c.list(&out) = slices.Clone(*c.list(&s))
	}
	out.Unmodelled = slices.Clone(s.Unmodelled)
	out.Exclusions.Unmodelled = slices.Clone(s.Exclusions.Unmodelled)
	return out
}

// diffScope lists additions and removals per category, by id, in plan
// order, then those of the unmodelled lists, which a write changes only
// under --replace-scope (or when Jamf does not keep what was sent back),
// by their Classic path ("limitations.users", "exclusions.jss_users",
// "all_jss_users"); lists without either are left out.
func diffScope(before, after jamf.Scope) []ScopeChange {
	var out []ScopeChange
	if before.AllComputers != after.AllComputers {
		sc := ScopeChange{Category: "all_computers", Added: []Target{}, Removed: []Target{}}
		all := Target{Name: "all computers"}
		if after.AllComputers {
			sc.Added = append(sc.Added, all)
		} else {
			sc.Removed = append(sc.Removed, all)
		}
		out = append(out, sc)
	}
	for _, c := range Categories() {
		b, a := *c.list(&before), *c.list(&after)
		sc := ScopeChange{Category: c.String(), Added: minus(a, b), Removed: minus(b, a)}
		if len(sc.Added)+len(sc.Removed) > 0 {
			out = append(out, sc)
		}
	}
	return append(out, diffOther(before.OtherLists(), after.OtherLists())...)
}

// diffOther compares unmodelled lists by path. Their entries may have a
// name and no id (a user), so they match by id when there is one, else by
// name.
func diffOther(before, after []jamf.OtherList) []ScopeChange {
	var paths []string
	refs := func(ls []jamf.OtherList) map[string][]jamf.Ref {
		m := map[string][]jamf.Ref{}
		for _, l := range ls {
			if _, seen := m[l.Path]; !seen && !slices.Contains(paths, l.Path) {
				paths = append(paths, l.Path)
			}
			m[l.Path] = append(m[l.Path], l.Refs...)
		}
		return m
	}
	b, a := refs(before), refs(after)
	var out []ScopeChange
	for _, p := range paths {
		sc := ScopeChange{Category: p, Added: minusEntries(a[p], b[p]), Removed: minusEntries(b[p], a[p])}
		if len(sc.Added)+len(sc.Removed) > 0 {
			out = append(out, sc)
		}
	}
	return out
}

// minusEntries returns the entries of a not in b, matched by id when an
// entry has one, else by name.
func minusEntries(a, b []jamf.Ref) []Target {
	same := func(x, y jamf.Ref) bool {
		if x.ID != 0 || y.ID != 0 {
			return x.ID == y.ID
		}
		return x.Name == y.Name
	}
	out := []Target{}
	for _, r := range a {
		if !slices.ContainsFunc(b, func(x jamf.Ref) bool { return same(x, r) }) {
			out = append(out, Target{ID: r.ID, Name: r.Name})
		}
	}
	return out
}

// minus returns the refs of a whose id is not in b, in a's order.
func minus(a, b []jamf.Ref) []Target {
	out := []Target{}
	for _, r := range a {
		if !slices.ContainsFunc(b, func(x jamf.Ref) bool { return x.ID == r.ID }) {
			out = append(out, Target{ID: r.ID, Name: r.Name})
		}
	}
	return out
}
