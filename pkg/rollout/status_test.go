package rollout_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/rollout"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

var (
	now   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	yes   = true
	pilot = jamf.Ref{ID: 10, Name: "ODA Pilot"}
	hq    = jamf.Ref{ID: 20, Name: "HQ"}
)

// threeStages is issue 17's rollout: a pilot group, a building capped at
// two new Macs per step, everyone. Pilot reaches Macs 1-2, HQ adds 3-6,
// everyone adds 7-8.
func threeStages() rollout.Plan {
	return rollout.Plan{Stages: []rollout.Stage{
		{
			Name: "pilot",
			Adds: scope.Spec{Lists: map[scope.Category][]jamf.Ref{scope.ComputerGroups: {pilot}}},
			Gate: rollout.Gate{MinCoverage: 95, Soak: 24 * time.Hour, MaxNewMacs: 2},
		},
		{
			Name: "hq",
			Adds: scope.Spec{Lists: map[scope.Category][]jamf.Ref{scope.Buildings: {hq}}},
			Gate: rollout.Gate{MinCoverage: 90, MaxFailed: 1},
		},
		{Name: "everyone", Adds: scope.Spec{AllComputers: &yes}},
	}}
}

var stageMembers = [][]int{{1, 2}, {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6, 7, 8}}

// report is a verify report with the given Macs in scope, every one with
// its certificate except failed ones.
func report(inScope []int, failed ...int) *verify.Report {
	r := &verify.Report{}
	for _, id := range inScope {
		m := verify.Mac{ID: id, InScope: true, Status: verify.StatusOK}
		for _, f := range failed {
			if f == id {
				m.Status = verify.StatusFailed
				r.Summary.Failed++
			}
		}
		if m.Status == verify.StatusOK {
			r.Summary.WithCertificate++
		}
		r.Macs = append(r.Macs, m)
	}
	r.Summary.InScope = len(inScope)
	if len(inScope) > 0 {
		r.Summary.Coverage = float64(100*r.Summary.WithCertificate) / float64(len(inScope))
	}
	return r
}

// sent returns an install command to Mac id at t.
func sent(id int, t time.Time) jamf.MDMCommand {
	var c jamf.MDMCommand
	c.Client.ManagementID = mgmt(id)
	c.CommandState = verify.StateAcknowledged
	c.DateSent = jamf.Timestamp{Time: t}
	return c
}

func mgmt(id int) string { return "mgmt-" + string(rune('a'+id)) }

func input(stored jamf.Scope, r *verify.Report, cmds ...jamf.MDMCommand) rollout.Input {
	ids := map[int]string{}
	names := map[int]string{}
	for id := 1; id <= 8; id++ {
		ids[id] = mgmt(id)
		names[id] = "MAC-" + string(rune('0'+id))
	}
	return rollout.Input{
		Plan: threeStages(), Stored: stored, Members: stageMembers, Report: r,
		Commands: cmds, ManagementIDs: ids, Names: names, Now: now,
	}
}

// at returns the stored scope of stage i, with a department the rollout
// does not own (left as Jamf has it).
func at(i int) jamf.Scope {
	stored := jamf.Scope{Departments: []jamf.Ref{{ID: 5, Name: "Sales"}}}
	spec := threeStages().Cumulative(i)
	return spec.Resulting(&stored)
}

func TestDerive(t *testing.T) {
	dayAgo := now.Add(-25 * time.Hour)
	partialScope := at(0)
	partialScope.Computers = []jamf.Ref{{ID: 3, Name: "MAC-3"}, {ID: 4, Name: "MAC-4"}}
	offPlan := at(1)
	offPlan.ComputerGroups = append(offPlan.ComputerGroups, jamf.Ref{ID: 11, Name: "Finance"})

	type want struct {
		State      rollout.State
		Stage      string
		Nearest    string
		Changes    []scope.Change
		Checks     []rollout.Check
		CanAdvance bool
		Next       string
		Adds       []int
		Remain     int
		WriteComps []jamf.Ref
	}
	tests := []struct {
		name string
		in   rollout.Input
		want want
	}{
		{
			name: "not started: the first step has no gate",
			in:   input(at(-1), report(nil)),
			want: want{State: rollout.NotStarted, Checks: []rollout.Check{}, CanAdvance: true, Next: "pilot", Adds: []int{1, 2}, WriteComps: []jamf.Ref{}},
		},
		{
			name: "pilot, an offline Mac and a young stage: gate not met",
			in:   input(at(0), report([]int{1, 2}, 2), sent(1, now.Add(-2*time.Hour)), sent(2, now.Add(-time.Hour))),
			want: want{
				State: rollout.AtStage, Stage: "pilot",
				Checks: []rollout.Check{
					{Name: "min_coverage", Want: ">= 95%", Got: "50%"},
					{Name: "max_failed", Want: "<= 0", Got: "1"},
					{Name: "soak", Want: ">= 1d", Got: "2h"},
				},
				Next: "hq", Adds: []int{3, 4}, Remain: 2,
				WriteComps: []jamf.Ref{{ID: 3, Name: "MAC-3"}, {ID: 4, Name: "MAC-4"}},
			},
		},
		{
			name: "pilot, every Mac covered and soaked: capped step",
			in:   input(at(0), report([]int{1, 2}), sent(1, dayAgo), sent(2, now)),
			want: want{
				State: rollout.AtStage, Stage: "pilot",
				Checks: []rollout.Check{
					{Name: "min_coverage", Want: ">= 95%", Got: "100%", OK: true},
					{Name: "max_failed", Want: "<= 0", Got: "0", OK: true},
					{Name: "soak", Want: ">= 1d", Got: "1d 1h", OK: true},
				},
				CanAdvance: true, Next: "hq", Adds: []int{3, 4}, Remain: 2,
				WriteComps: []jamf.Ref{{ID: 3, Name: "MAC-3"}, {ID: 4, Name: "MAC-4"}},
			},
		},
		{
			name: "part way to hq: the soak counts from the step's Macs, the rest writes hq's own scope",
			in:   input(partialScope, report([]int{1, 2, 3, 4}), sent(1, dayAgo.Add(-time.Hour)), sent(3, now.Add(-3*time.Hour))),
			want: want{
				State: rollout.Partial, Stage: "pilot",
				Checks: []rollout.Check{
					{Name: "min_coverage", Want: ">= 95%", Got: "100%", OK: true},
					{Name: "max_failed", Want: "<= 0", Got: "0", OK: true},
					{Name: "soak", Want: ">= 1d", Got: "3h"},
				},
				Next: "hq", Adds: []int{5, 6}, WriteComps: []jamf.Ref{},
			},
		},
		{
			name: "hq: no soak asked",
			in:   input(at(1), report([]int{1, 2, 3, 4, 5, 6}, 6)),
			want: want{
				State: rollout.AtStage, Stage: "hq",
				Checks: []rollout.Check{
					{Name: "min_coverage", Want: ">= 90%", Got: "83.33333333333333%"},
					{Name: "max_failed", Want: "<= 1", Got: "1", OK: true},
				},
				Next: "everyone", Adds: []int{7, 8}, WriteComps: []jamf.Ref{},
			},
		},
		{
			name: "complete: nothing left",
			in:   input(at(2), report(stageMembers[2])),
			want: want{State: rollout.Complete, Stage: "everyone", Checks: []rollout.Check{}},
		},
		{
			name: "a group the plan does not name: off-plan, with the difference",
			in:   input(offPlan, report(stageMembers[1])),
			want: want{
				State: rollout.OffPlan, Nearest: "hq", Checks: []rollout.Check{},
				Changes: []scope.Change{{Path: "computer_groups", Added: []jamf.Ref{{ID: 11, Name: "Finance"}}, Removed: []jamf.Ref{}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := rollout.Derive(tt.in)
			got := want{
				State: st.State, Stage: st.StageName, Nearest: st.Nearest, Changes: st.Changes,
				Checks: st.Gate.Checks, CanAdvance: st.CanAdvance,
			}
			if st.Next != nil {
				got.Next, got.Adds, got.Remain = st.Next.Stage, st.Next.NewMacs, st.Next.Remain
				got.WriteComps = st.Next.Scope.Lists[scope.Computers]
				if len(got.Adds) != st.Next.Adds {
					t.Errorf("Next.Adds = %d, want len(NewMacs) = %d", st.Next.Adds, len(got.Adds))
				}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Derive (-want +got):\n%s", diff)
			}
			// What the step writes must leave every category the rollout
			// does not own as Jamf Pro has it.
			if st.Next != nil {
				after := st.Next.Scope.Resulting(&tt.in.Stored)
				if diff := cmp.Diff(tt.in.Stored.Departments, after.Departments); diff != "" {
					t.Errorf("the step changes departments, which no stage names (-before +after):\n%s", diff)
				}
			}
		})
	}
}

// TestStepsReachTheNextStage walks the plan step by step: each step's
// scope is derived back as the state it was meant to reach.
func TestStepsReachTheNextStage(t *testing.T) {
	stored := at(-1)
	inScope := []int(nil)
	var states []string
	for range 6 {
		st := rollout.Derive(input(stored, report(inScope), sent(1, now.Add(-48*time.Hour))))
		states = append(states, string(st.State)+" "+st.StageName)
		if st.Next == nil {
			break
		}
		stored = st.Next.Scope.Resulting(&stored)
		inScope = append(inScope, st.Next.NewMacs...)
	}
	want := []string{"not-started ", "at-stage pilot", "partial pilot", "at-stage hq", "complete everyone"}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
}

func TestCumulativeOwnsEveryStagesCategories(t *testing.T) {
	got := threeStages().Owned()
	want := []scope.Category{scope.Computers, scope.ComputerGroups, scope.Buildings}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Owned (-want +got):\n%s", diff)
	}
	spec := threeStages().Cumulative(0)
	if spec.AllComputers == nil || *spec.AllComputers {
		t.Errorf("Cumulative(0).AllComputers = %v, want owned and false", spec.AllComputers)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		90 * time.Second: "1m0s", 5 * time.Hour: "5h", 48 * time.Hour: "2d", 50 * time.Hour: "2d 2h",
	} {
		if got := rollout.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
