// Package rollout derives where a profile's ring rollout stands on one
// tenant, whether the next ring may start, and what the next step writes;
// and forecasts certificate renewals. [Gather] reads one tenant (the
// profile's scope, the inventory, the MDM command history, verify's
// report); everything else is pure: no network, file or clock access
// ([Derive], [ForecastRenewals]). Any machine, or CI, derives the same
// state from the tenant: the rollout keeps no local state.
//
// # Stages and cumulative scopes
//
// A rollout is a list of [Stage]s, narrowest first (the config's
// `rollout.stages`). Each adds its scope to the ones before it: the scope
// of stage i, [Plan.Cumulative], is the union of stages 0..i, list by
// list. The rollout owns the scope categories any stage names (and the
// computers list when a gate caps a step, see below); every other
// category is left as Jamf Pro has it, as `apply` does with a config
// scope ([scope.Spec]).
//
// # Current stage
//
// The current stage is the last one whose cumulative scope, applied to the
// profile's stored scope, leaves it unchanged. When the stored scope is
// stage i's plus some computers that stage i+1 adds (a capped step, see
// [Gate.MaxNewMacs]), the rollout is part way to stage i+1. Anything else
// is off-plan, reported with its difference from the nearest stage; the
// next step is then refused until the admin fixes the scope.
//
// # Stage start
//
// A stage started when Jamf Pro sent the first INSTALL_PROFILE command to
// a Mac the stage added (the earliest dateSent in the profile's MDM command
// history among those Macs); a soak counts from then.
package rollout

import (
	"slices"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// Stage is one ring, resolved against a tenant.
type Stage struct {
	// Name is the config's stage name.
	Name string
	// Adds is what the stage adds to the scope: its config scope's
	// targets and exclusions as Classic refs, with the config's ownership
	// (scope.FromConfig).
	Adds scope.Spec
	// Gate is what must hold before the next stage starts.
	Gate Gate
}

// Gate is a stage's exit condition. The zero Gate always passes and caps
// nothing.
type Gate struct {
	// MinCoverage is the lowest verify coverage, in percent, over the Macs
	// in scope.
	MinCoverage float64
	// MaxFailed is the most Macs whose latest install command failed.
	MaxFailed int
	// Soak is the least time since the stage started.
	Soak time.Duration
	// MaxNewMacs caps how many Macs the next step adds; 0 means no cap.
	// A larger widening adds the first MaxNewMacs of the Macs it would add,
	// by ascending Jamf computer id, as computers in the scope; the step
	// that adds the rest writes the next stage's own scope.
	MaxNewMacs int
}

// Plan is the rollout's stages, in order.
type Plan struct {
	Stages []Stage
}

// capped reports whether any gate caps its step, so that the rollout owns
// the computers list (a capped step writes computers into it).
func (p Plan) capped() bool {
	return slices.ContainsFunc(p.Stages, func(s Stage) bool { return s.Gate.MaxNewMacs > 0 })
}

// Cumulative returns the scope of stage i: every category the rollout
// owns, each the union (by Classic id, first seen first) of what stages
// 0..i add to it, and all_computers on when one of them sets it. i = -1
// is before the first stage: the owned categories empty. It shares no
// list with p.
func (p Plan) Cumulative(i int) scope.Spec {
	out := scope.Spec{Lists: map[scope.Category][]jamf.Ref{}}
	if p.capped() {
		out.Lists[scope.Computers] = []jamf.Ref{}
	}
	for j, s := range p.Stages {
		if s.Adds.AllComputers != nil {
			on := out.AllComputers != nil && *out.AllComputers
			if j <= i && *s.Adds.AllComputers {
				on = true
			}
			out.AllComputers = &on
		}
		for c, refs := range s.Adds.Lists {
			l := out.Lists[c]
			if l == nil {
				l = []jamf.Ref{}
			}
			if j <= i {
				for _, r := range refs {
					if !slices.ContainsFunc(l, func(x jamf.Ref) bool { return x.ID == r.ID }) {
						l = append(l, r)
					}
				}
			}
			out.Lists[c] = l
		}
	}
	return out
}

// Owned returns the categories the rollout owns, in order.
func (p Plan) Owned() []scope.Category {
	spec := p.Cumulative(-1)
	var out []scope.Category
	for _, c := range scope.Categories() {
		if spec.Owned(c) {
			out = append(out, c)
		}
	}
	return out
}

// Matches reports whether applying spec to stored leaves it unchanged
// (scope.Diff finds no difference).
func Matches(spec scope.Spec, stored jamf.Scope) bool {
	return len(scope.Diff(stored, spec.Resulting(&stored))) == 0
}

// withComputers returns spec with refs added to its computers list.
func withComputers(spec scope.Spec, refs []jamf.Ref) scope.Spec {
	lists := make(map[scope.Category][]jamf.Ref, len(spec.Lists))
	for c, l := range spec.Lists {
		lists[c] = slices.Clone(l)
	}
	lists[scope.Computers] = append(lists[scope.Computers], refs...)
	spec.Lists = lists
	return spec
}

// minusIDs returns the ids of a not in b, ascending; a and b ascending.
func minusIDs(a, b []int) []int {
	out := []int{}
	for _, id := range a {
		if _, found := slices.BinarySearch(b, id); !found {
			out = append(out, id)
		}
	}
	return out
}
