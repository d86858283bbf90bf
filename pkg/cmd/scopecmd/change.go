package scopecmd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Mode is how an edit combines the named targets with the stored scope.
type Mode string

// The edit modes, one per verb.
const (
	ModeAdd    Mode = "add"    // append targets not yet present
	ModeRemove Mode = "remove" // drop the named targets
	ModeSet    Mode = "set"    // replace exactly the categories named
)

// Category is one list of a Classic <scope> that the scope commands edit.
type Category struct {
	// Name is the flag's name without dashes, "computer-group" or
	// "exclude-building"; it names the category in messages and JSON.
	Name string
	// Kind is the target kind (jamf.KindComputer ...).
	Kind string
	// Exclude is true for the <exclusions> lists.
	Exclude bool
}

// Categories are the eight lists the scope commands edit, in the order
// Jamf's GUI shows them: targets, then exclusions.
var Categories = []Category{
	{"computer", jamf.KindComputer, false},
	{"computer-group", jamf.KindComputerGroup, false},
	{"building", jamf.KindBuilding, false},
	{"department", jamf.KindDepartment, false},
	{"exclude-computer", jamf.KindComputer, true},
	{"exclude-computer-group", jamf.KindComputerGroup, true},
	{"exclude-building", jamf.KindBuilding, true},
	{"exclude-department", jamf.KindDepartment, true},
}

// allComputers names the all_computers switch in messages and JSON.
const allComputers = "all-computers"

// list returns a pointer to c's list in s.
func (c Category) list(s *jamf.Scope) *[]jamf.Ref {
	switch {
	case !c.Exclude && c.Kind == jamf.KindComputer:
		return &s.Computers
	case !c.Exclude && c.Kind == jamf.KindComputerGroup:
		return &s.ComputerGroups
	case !c.Exclude && c.Kind == jamf.KindBuilding:
		return &s.Buildings
	case !c.Exclude && c.Kind == jamf.KindDepartment:
		return &s.Departments
	case c.Kind == jamf.KindComputer:
		return &s.Exclusions.Computers
	case c.Kind == jamf.KindComputerGroup:
		return &s.Exclusions.ComputerGroups
	case c.Kind == jamf.KindBuilding:
		return &s.Exclusions.Buildings
	default:
		return &s.Exclusions.Departments
	}
}

// resolvedList returns c's list in r (targets or exclusions resolved).
func (c Category) resolvedList(r *jamf.Resolved) *[]jamf.Ref {
	switch c.Kind {
	case jamf.KindComputer:
		return &r.Computers
	case jamf.KindComputerGroup:
		return &r.ComputerGroups
	case jamf.KindBuilding:
		return &r.Buildings
	default:
		return &r.Departments
	}
}

// namesList returns c's list in n.
func (c Category) namesList(n *jamf.Names) *[]string {
	switch c.Kind {
	case jamf.KindComputer:
		return &n.Computers
	case jamf.KindComputerGroup:
		return &n.ComputerGroups
	case jamf.KindBuilding:
		return &n.Buildings
	default:
		return &n.Departments
	}
}

// Edit is what a scope command was asked to do, after name resolution.
type Edit struct {
	Mode Mode
	// Include and Exclude are the targets and exclusions named by flags,
	// resolved to Classic ids.
	Include, Exclude jamf.Resolved
	// Given are the categories named by at least one flag (set replaces
	// exactly these).
	Given map[string]bool
	// AllComputers is --all-computers (true) or --no-all-computers (false);
	// nil leaves the switch alone.
	AllComputers *bool
}

// CategoryChange is the before and after of one category.
type CategoryChange struct {
	Category string     `json:"category"`
	Before   []jamf.Ref `json:"before"`
	After    []jamf.Ref `json:"after"`
	Added    []jamf.Ref `json:"added"`
	Removed  []jamf.Ref `json:"removed"`
}

// Changed reports whether the category's membership differs.
func (c CategoryChange) Changed() bool { return len(c.Added)+len(c.Removed) > 0 }

// Result is the outcome of Apply: the scope to write and what changed.
type Result struct {
	Scope jamf.Scope
	// Changes has one entry per category that changed, in Categories
	// order.
	Changes []CategoryChange
	// AllComputersBefore and AllComputersAfter are the all_computers switch.
	AllComputersBefore, AllComputersAfter bool
	// Absent are removals that named a target not in the category
	// (remove only), as "exclude-building \"HQ\"".
	Absent []string
}

// Changed reports whether the new scope differs from the stored one.
func (r Result) Changed() bool {
	return len(r.Changes) > 0 || r.AllComputersBefore != r.AllComputersAfter
}

// Apply computes the scope that e makes of stored. It is pure: the lists
// the commands do not edit (jamf.Scope.Unmodelled: limitations, users,
// network segments, iBeacons ...) are carried over exactly as read, so the
// write stores them unchanged whether Jamf merges or replaces a scope (see
// docs/jamf-behavior.md, "Scope writes"), and categories e does not name
// are left as stored.
// Targets are matched by Classic id; the stored order is kept and new
// targets are appended in the order given.
func Apply(stored jamf.Scope, e Edit) Result {
	next := cloneScope(stored)
	res := Result{AllComputersBefore: stored.AllComputers}
	for _, c := range Categories {
		named := *c.resolvedList(&e.Include)
		if c.Exclude {
			named = *c.resolvedList(&e.Exclude)
		}
		dst := c.list(&next)
		switch e.Mode {
		case ModeAdd:
			for _, r := range named {
				if !containsID(*dst, r.ID) {
					*dst = append(*dst, r)
				}
			}
		case ModeRemove:
			for _, r := range named {
				if !containsID(*dst, r.ID) {
					res.Absent = append(res.Absent, fmt.Sprintf("%s %q", c.Name, r.Name))
				}
			}
			*dst = slices.DeleteFunc(*dst, func(x jamf.Ref) bool { return containsID(named, x.ID) })
		case ModeSet:
			if e.Given[c.Name] {
				*dst = dedupe(named)
			}
		}
		before := *c.list(&stored)
		if ch := diff(c.Name, before, *dst); ch.Changed() {
			res.Changes = append(res.Changes, ch)
		}
	}
	if e.AllComputers != nil {
		next.AllComputers = *e.AllComputers
	}
	res.AllComputersAfter = next.AllComputers
	res.Scope = next
	return res
}

func diff(name string, before, after []jamf.Ref) CategoryChange {
	ch := CategoryChange{Category: name, Before: nonNil(before), After: nonNil(after), Added: []jamf.Ref{}, Removed: []jamf.Ref{}}
	for _, r := range after {
		if !containsID(before, r.ID) {
			ch.Added = append(ch.Added, r)
		}
	}
	for _, r := range before {
		if !containsID(after, r.ID) {
			ch.Removed = append(ch.Removed, r)
		}
	}
	return ch
}

// Mismatch compares a read-back scope with the one written, by Classic ids
// per category and the all_computers switch, and returns the categories
// that differ ("" when they match).
func Mismatch(want, got jamf.Scope) string {
	var bad []string
	if want.AllComputers != got.AllComputers {
		bad = append(bad, allComputers)
	}
	for _, c := range Categories {
		if !sameIDs(*c.list(&want), *c.list(&got)) {
			bad = append(bad, c.Name)
		}
	}
	// The lists the commands do not edit were sent as read: Jamf must
	// still hold them.
	wantOther, gotOther := otherByPath(want), otherByPath(got)
	for _, l := range want.OtherLists() {
		if !sameEntries(wantOther[l.Path], gotOther[l.Path]) {
			category, kind := otherCategory(l.Path)
			bad = append(bad, kind+" "+category)
		}
	}
	return strings.Join(bad, ", ")
}

func otherByPath(s jamf.Scope) map[string][]jamf.Ref {
	m := map[string][]jamf.Ref{}
	for _, l := range s.OtherLists() {
		m[l.Path] = l.Refs
	}
	return m
}

// sameEntries compares unmodelled lists, whose entries may have a name and
// no id (a user): by id when there is one, else by name.
func sameEntries(a, b []jamf.Ref) bool {
	key := func(r jamf.Ref) string {
		if r.ID != 0 {
			return strconv.Itoa(r.ID)
		}
		return "name:" + r.Name
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i, r := range a {
		ka[i] = key(r)
	}
	for i, r := range b {
		kb[i] = key(r)
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

func sameIDs(a, b []jamf.Ref) bool {
	if len(a) != len(b) {
		return false
	}
	for _, r := range a {
		if !containsID(b, r.ID) {
			return false
		}
	}
	return true
}

func containsID(refs []jamf.Ref, id int) bool {
	return slices.ContainsFunc(refs, func(r jamf.Ref) bool { return r.ID == id })
}

func dedupe(refs []jamf.Ref) []jamf.Ref {
	out := []jamf.Ref{}
	for _, r := range refs {
		if !containsID(out, r.ID) {
			out = append(out, r)
		}
	}
	return out
}

func nonNil(refs []jamf.Ref) []jamf.Ref {
	if refs == nil {
		return []jamf.Ref{}
	}
	return refs
}

// cloneScope copies s so that edits never alias the stored lists.
func cloneScope(s jamf.Scope) jamf.Scope {
	c := s
	for _, cat := range Categories {
		*cat.list(&c) = slices.Clone(*cat.list(&s))
	}
	return c
}
