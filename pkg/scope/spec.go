package scope

import (
	"slices"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Spec is the scope a config asks `apply` for, with ownership. A category
// is owned when it has an entry in Lists (even an empty one) and
// all_computers when AllComputers is non-nil: apply makes an owned
// category match exactly and leaves the others as Jamf Pro has them
// (config.Scope documents the rule for users).
//
// The lists jamf-scep does not model (limitations, users, network
// segments, iBeacons; jamf.Scope.Unmodelled) are never owned by a config:
// apply writes them back exactly as read. OwnUnmodelled (--replace-scope)
// empties them.
type Spec struct {
	AllComputers  *bool
	Lists         map[Category][]jamf.Ref
	OwnUnmodelled bool
}

// Owned reports whether c is owned.
func (s Spec) Owned(c Category) bool {
	_, ok := s.Lists[c]
	return ok
}

// OwnAll makes every category owned, empty unless already set,
// all_computers owned (false unless set), and the unmodelled lists too
// (--replace-scope): Jamf Pro's scope is then replaced, not merged.
func (s *Spec) OwnAll() {
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

// FromConfig returns the names a config scope mentions, targets and
// exclusions in one jamf.Names (for fleet.NeedFor and one Resolve, which
// then reports every unknown name at once), and a function that maps the
// resolved refs back to a Spec with the config's ownership: a nil list is
// not owned, an empty one is. back expects r as jamf.Resolve returns it
// for those names: one ref per name, in order.
func FromConfig(s config.Scope) (names jamf.Names, back func(r jamf.Resolved) Spec) {
	for _, c := range Categories() {
		dst := c.NamesList(&names)
		*dst = append(*dst, *c.configList(&s)...)
	}
	back = func(r jamf.Resolved) Spec {
		spec := Spec{AllComputers: s.AllComputers, Lists: map[Category][]jamf.Ref{}}
		for _, c := range Categories() {
			l := *c.configList(&s)
			if l == nil {
				continue
			}
			pool := c.resolvedList(&r)
			spec.Lists[c] = slices.Clone((*pool)[:len(l)])
			*pool = (*pool)[len(l):]
		}
		return spec
	}
	return names, back
}

// Resulting is the scope apply writes: stored (nil for a create) with
// every owned category replaced by the desired one. The lists jamf-scep
// does not model are kept exactly as read, so the write stores them
// unchanged whether Jamf Pro merges a <scope> into the stored one or
// replaces it (see docs/jamf-behavior.md, "Scope writes"); with
// OwnUnmodelled they are emptied. The result shares no list with stored.
func (s Spec) Resulting(stored *jamf.Scope) jamf.Scope {
	var out jamf.Scope
	if stored != nil {
		out = Clone(*stored)
	}
	if s.AllComputers != nil {
		out.AllComputers = *s.AllComputers
	}
	for c, refs := range s.Lists {
		*c.list(&out) = slices.Clone(refs)
	}
	if s.OwnUnmodelled {
		out.OwnUnmodelled()
	}
	return out
}

// Clone returns a copy of s that shares no list with it, so that edits
// of the copy never write into s (appending included).
func Clone(s jamf.Scope) jamf.Scope {
	out := s
	for _, c := range Categories() {
		*c.list(&out) = slices.Clone(*c.list(&s))
	}
	out.Unmodelled = slices.Clone(s.Unmodelled)
	out.Exclusions.Unmodelled = slices.Clone(s.Exclusions.Unmodelled)
	return out
}

// ConfigNames returns the names of a config scope's targets (include) and
// of its exclusions (exclude), one jamf.Names each, for checks that resolve
// them apart (`doctor` reports the targets' problems first). The lists
// alias s's.
func ConfigNames(s config.Scope) (include, exclude jamf.Names) {
	for _, c := range Categories() {
		dst := c.NamesList(&include)
		if c.Excluded() {
			dst = c.NamesList(&exclude)
		}
		*dst = *c.configList(&s)
	}
	return include, exclude
}

// Build returns the scope with all_computers set to allComputers, the
// targets include and the exclusions exclude (jamf.Resolve's answers for
// the names of each), and no unmodelled list. The lists alias include's
// and exclude's.
func Build(allComputers bool, include, exclude jamf.Resolved) jamf.Scope {
	s := jamf.Scope{AllComputers: allComputers}
	for _, c := range Categories() {
		src := c.resolvedList(&include)
		if c.Excluded() {
			src = c.resolvedList(&exclude)
		}
		*c.list(&s) = *src
	}
	return s
}
