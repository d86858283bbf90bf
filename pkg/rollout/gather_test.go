package rollout_test

import (
	"testing"
	"time"

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

// TestStageStartFromCommandHistory pins what docs/jamf-behavior.md,
// "Rollout state", says: a stage starts at the earliest dateSent of an
// install command to a Mac it added; other commands and other Macs do not
// count; without a history the start is unknown and a soak never passes.
func TestStageStartFromCommandHistory(t *testing.T) {
	older := now.Add(-72 * time.Hour)
	removal := sent(1, older.Add(-time.Hour))
	removal.CommandType = "REMOVE_PROFILE"
	tests := []struct {
		name      string
		in        rollout.Input
		wantStart time.Time
		wantPass  bool
	}{
		{
			name:      "earliest install to a pilot Mac",
			in:        input(at(0), report([]int{1, 2}), sent(2, now.Add(-30*time.Hour)), sent(1, older), removal, sent(7, older.Add(-2*time.Hour))),
			wantStart: older, wantPass: true,
		},
		{
			name: "no history (403): start unknown, the soak fails",
			in:   func() rollout.Input { in := input(at(0), report([]int{1, 2})); in.Commands = nil; return in }(),
		},
	}
	for _, tt := range tests {
		st := rollout.Derive(tt.in)
		if !st.Started.Equal(tt.wantStart) || st.Gate.Pass != tt.wantPass {
			t.Errorf("%s: started %v, gate pass %v; want %v, %v", tt.name, st.Started, st.Gate.Pass, tt.wantStart, tt.wantPass)
		}
	}
}
