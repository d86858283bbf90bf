package plan

import "testing"

// TestChangeSummary pins that a plan's count names what it counts, so
// "25" is never read as 25 Macs (issue 16, item 13).
func TestChangeSummary(t *testing.T) {
	group := Target{ID: 1, Name: "Pilot"}
	tests := []struct {
		name string
		plan Plan
		want string
	}{
		{name: "nothing", want: "no changes"},
		{
			name: "create: payload and scope",
			plan: Plan{Payload: make([]Change, 23), Scope: []ScopeChange{
				{Category: "computer_groups", Added: []Target{group}},
				{Category: "exclusions.buildings", Added: []Target{{ID: 3, Name: "Remote"}}},
			}},
			want: "23 payload field(s), 2 scope target(s)",
		},
		{
			name: "removals count as targets",
			plan: Plan{General: make([]Change, 1), Scope: []ScopeChange{{Category: "computer_groups", Removed: []Target{group}}}},
			want: "1 general field(s), 1 scope target(s)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.plan.ChangeSummary(); got != tt.want {
				t.Errorf("ChangeSummary() = %q, want %q", got, tt.want)
			}
		})
	}
}
