package plan

import (
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// diffScope lists the scope changes from before to after as the plan
// shows them (scope.Diff: all_computers, the categories by config key,
// then the unmodelled lists by Classic path, which a write changes only
// under --replace-scope or when Jamf Pro does not keep what was sent
// back); lists that do not differ are left out.
func diffScope(before, after jamf.Scope) []ScopeChange {
	var out []ScopeChange
	for _, c := range scope.Diff(before, after) {
		out = append(out, ScopeChange{Category: c.Path, Added: toTargets(c.Added), Removed: toTargets(c.Removed)})
	}
	return out
}

// toTargets converts refs to the plan's targets; never nil.
func toTargets(refs []jamf.Ref) []Target {
	out := make([]Target, len(refs))
	for i, r := range refs {
		out[i] = Target{ID: r.ID, Name: r.Name}
	}
	return out
}
