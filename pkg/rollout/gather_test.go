package rollout_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/rollout"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// TestNextScope: the step writes the config's categories as they are and
// the rollout's own over them; all_computers comes from the step when it
// sets it.
func TestNextScope(t *testing.T) {
	finance := jamf.Ref{ID: 30, Name: "Finance"}
	no := false
	tests := []struct {
		name   string
		config scope.Spec
		step   scope.Spec
		want   scope.Spec
	}{
		{
			name:   "step categories over the config's",
			config: scope.Spec{AllComputers: &no, Lists: map[scope.Category][]jamf.Ref{scope.ExcludedDepartments: {finance}, scope.ComputerGroups: {hq}}},
			step:   scope.Spec{Lists: map[scope.Category][]jamf.Ref{scope.ComputerGroups: {pilot}}},
			want:   scope.Spec{AllComputers: &no, Lists: map[scope.Category][]jamf.Ref{scope.ExcludedDepartments: {finance}, scope.ComputerGroups: {pilot}}},
		},
		{
			name:   "step sets all_computers",
			config: scope.Spec{AllComputers: &no},
			step:   scope.Spec{AllComputers: &yes},
			want:   scope.Spec{AllComputers: &yes, Lists: map[scope.Category][]jamf.Ref{}},
		},
	}
	for _, tt := range tests {
		tn := &rollout.Tenant{ConfigSpec: tt.config, Status: rollout.Status{Next: &rollout.Step{Scope: tt.step}}}
		if diff := cmp.Diff(tt.want, tn.NextScope()); diff != "" {
			t.Errorf("%s: NextScope (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestDescribeChanges(t *testing.T) {
	got := rollout.DescribeChanges([]scope.Change{
		{Path: "computer_groups", Added: []jamf.Ref{pilot}, Removed: []jamf.Ref{}},
		{Path: "buildings", Added: []jamf.Ref{}, Removed: []jamf.Ref{hq, {ID: 9}}},
	})
	if want := "+computer_groups ODA Pilot, -buildings HQ, -buildings id 9"; got != want {
		t.Errorf("DescribeChanges = %q, want %q", got, want)
	}
}
