package scope

import (
	"fmt"
	"slices"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Mode is how an edit combines the named targets with the stored scope.
type Mode string

// The edit modes, one per verb of `scope add|remove|set`.
const (
	ModeAdd    Mode = "add"    // append targets not yet present
	ModeRemove Mode = "remove" // drop the named targets
	ModeSet    Mode = "set"    // replace exactly the categories named
)

// Edit is what a `scope add|remove|set` command was asked to do, after
// name resolution. Categories are named by Category.Flag, as the command
// names them.
type Edit struct {
	Mode Mode
	// Include and Exclude are the targets and exclusions named, resolved
	// to Classic ids; jamf.Resolved has one list per kind
	// (Category.NamesList).
	Include, Exclude jamf.Resolved
	// Given are the categories (Category.Flag) named at least once; set
	// replaces exactly these, and an empty one is emptied.
	Given map[string]bool
	// AllComputers turns all_computers on (true) or off (false); nil
	// leaves the switch alone.
	AllComputers *bool
}

// CategoryChange is the before and after of one category of an edit, the
// JSON shape of `scope add|remove|set -o json` "changes". Added and
// Removed are matched by Classic id; no list is nil.
type CategoryChange struct {
	// Category is the category's Flag, such as "exclude-building".
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

// Apply computes the scope that e makes of stored. It is pure and never
// writes into stored's lists. The lists jamf-scep does not model
// (jamf.Scope.Unmodelled: limitations, users, network segments, iBeacons
// ...) are carried over exactly as read, so the write stores them
// unchanged whether Jamf Pro merges or replaces a scope (see
// docs/jamf-behavior.md, "Scope writes"), and categories e does not name
// are left as stored.
// Targets are matched by Classic id; the stored order is kept and new
// targets are appended in the order given.
func Apply(stored jamf.Scope, e Edit) Result {
	next := Clone(stored)
	res := Result{AllComputersBefore: stored.AllComputers}
	for _, c := range Categories() {
		named := *c.resolvedList(&e.Include)
		if c.Excluded() {
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
					res.Absent = append(res.Absent, fmt.Sprintf("%s %q", c.Flag(), r.Name))
				}
			}
			*dst = slices.DeleteFunc(*dst, func(x jamf.Ref) bool { return containsID(named, x.ID) })
		case ModeSet:
			if e.Given[c.Flag()] {
				*dst = dedupe(named)
			}
		}
		before := *c.list(&stored)
		ch := CategoryChange{
			Category: c.Flag(), Before: nonNil(before), After: nonNil(*dst),
			Added: minus(*dst, before, sameID), Removed: minus(before, *dst, sameID),
		}
		if ch.Changed() {
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
