package rollout

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// Input is what [Derive] needs from one tenant.
type Input struct {
	Plan Plan
	// Stored is the profile's scope as Jamf Pro holds it.
	Stored jamf.Scope
	// Members holds, per stage, the Classic ids (ascending) that stage's
	// cumulative scope reaches once applied to Stored:
	// fleet.Fleet.Members(Plan.Cumulative(i).Resulting(&Stored)).
	Members [][]int
	// Report is verify's report for the profile with its stored scope:
	// the gate's figures and the Macs in scope now.
	Report *verify.Report
	// Commands are the profile's MDM commands; nil when the history could
	// not be read (stage starts are then unknown and a soak never passes).
	Commands []jamf.MDMCommand
	// ManagementIDs maps a Classic computer id to its MDM management id
	// (inventory general.managementId), to match Commands.
	ManagementIDs map[int]string
	// Names maps a Classic computer id to its name, for the computers a
	// capped step writes into the scope.
	Names map[int]string
	// Now is the time the status is derived for.
	Now time.Time
}

// State says where a rollout stands.
type State string

// States.
const (
	// NotStarted: the owned categories hold no stage's targets yet.
	NotStarted State = "not-started"
	// AtStage: the scope is exactly a stage's cumulative scope.
	AtStage State = "at-stage"
	// Partial: the scope is a stage's plus some of the Macs the next stage
	// adds, from a capped step.
	Partial State = "partial"
	// OffPlan: the scope matches no stage; advance refuses.
	OffPlan State = "off-plan"
	// Complete: the scope is the last stage's; nothing is left.
	Complete State = "complete"
)

// Status is a rollout's state on one tenant.
type Status struct {
	State State `json:"state"`
	// Stage is the index of the current stage: the last one reached in
	// full; -1 before the first and when off-plan.
	Stage int `json:"-"`
	// StageName is Stage's name; "" when Stage is -1.
	StageName string `json:"stage"`
	// Nearest and Changes say, when off-plan, which stage's scope is
	// closest ("" for not started) and what Jamf Pro holds that differs
	// from it (before: the stage's scope, after: the stored one).
	Nearest string         `json:"nearest,omitempty"`
	Changes []scope.Change `json:"changes,omitempty"`
	// Started is when the current stage (or the partial step) started: the
	// first install command to a Mac it added; zero when unknown.
	Started time.Time `json:"started,omitzero"`
	// Gate is the current stage's gate against the tenant's figures.
	Gate GateResult `json:"gate"`
	// Next is the step advance would take; nil when complete or off-plan.
	Next *Step `json:"next,omitempty"`
	// CanAdvance reports whether advance may take Next without --force.
	CanAdvance bool `json:"canAdvance"`
	// Blocked says why advance may not, one phrase; "" when it may.
	Blocked string `json:"blocked,omitempty"`
}

// GateResult is a gate's figures and verdict.
type GateResult struct {
	InScope  int     `json:"inScope"`
	Coverage float64 `json:"coveragePercent"`
	Failed   int     `json:"failed"`
	Pending  int     `json:"pending"`
	// Soaked is the time since the stage started; 0 when unknown.
	Soaked time.Duration `json:"-"`
	// SoakedSeconds is Soaked in whole seconds, for JSON.
	SoakedSeconds int64 `json:"soakedSeconds"`
	// Checks are the gate's conditions, in config order; empty for a
	// stage without a gate.
	Checks []Check `json:"checks"`
	// Pass reports whether every check holds.
	Pass bool `json:"pass"`
}

// Check is one gate condition.
type Check struct {
	Name string `json:"name"` // min_coverage, max_failed, soak
	Want string `json:"want"`
	Got  string `json:"got"`
	OK   bool   `json:"ok"`
}

// Step is what the next advance writes.
type Step struct {
	// Stage is the name of the stage the step moves towards.
	Stage string `json:"stage"`
	// Adds is how many Macs the step adds; Remain how many of that
	// stage's Macs are left for later steps (a cap, see Gate.MaxNewMacs).
	Adds   int `json:"adds"`
	Remain int `json:"remain"`
	// Scope is the scope spec the step writes (apply's rules).
	Scope scope.Spec `json:"-"`
	// NewMacs are the ids of the Macs the step adds, ascending.
	NewMacs []int `json:"-"`
}

// Derive finds the current stage, evaluates its gate and computes the next
// step. It never fails: data it lacks shows as an unknown start (and an
// unmet soak).
func Derive(in Input) Status {
	st := Status{Stage: -1, Gate: GateResult{Checks: []Check{}}}
	n := len(in.Plan.Stages)
	inScope := inScopeIDs(in.Report)
	if in.Report != nil {
		s := in.Report.Summary
		st.Gate.InScope, st.Gate.Coverage, st.Gate.Failed, st.Gate.Pending = s.InScope, s.Coverage, s.Failed, s.Pending
	}

	cur, partial, extra := -2, false, []jamf.Ref(nil)
	for i := n - 1; i >= -1 && cur == -2; i-- {
		if Matches(in.Plan.Cumulative(i), in.Stored) {
			cur = i
		}
	}
	if cur == -2 {
		cur, extra = findPartial(in)
		partial = cur != -2
	}
	switch {
	case cur == -2:
		st.State = OffPlan
		st.Nearest, st.Changes = nearest(in)
		st.Blocked = "the scope matches no stage of the rollout; make it match one (see changes), then advance"
		return st
	case cur == n-1:
		st.State = Complete
	case cur == -1:
		st.State = NotStarted
	case partial:
		st.State = Partial
	default:
		st.State = AtStage
	}
	st.Stage = cur
	if cur >= 0 {
		st.StageName = in.Plan.Stages[cur].Name
		added := stageMacs(in, cur)
		if partial {
			added = refIDs(extra)
		}
		st.Started = firstInstall(in, added)
		if !st.Started.IsZero() {
			st.Gate.Soaked = in.Now.Sub(st.Started)
			st.Gate.SoakedSeconds = int64(st.Gate.Soaked / time.Second)
		}
	}
	if st.State == Complete {
		st.Gate.Pass = true
		st.Blocked = "nothing left: the last stage is reached"
		return st
	}
	gate := Gate{}
	if cur >= 0 {
		gate = in.Plan.Stages[cur].Gate
	}
	evaluate(&st, gate, in.Commands != nil)
	st.Next = nextStep(in, cur, gate, extra, inScope)
	st.CanAdvance = st.Gate.Pass
	if !st.Gate.Pass {
		st.Blocked = "the gate of stage " + st.StageName + " is not met"
	}
	return st
}

// evaluate fills st.Gate.Checks and Pass for gate g.
func evaluate(st *Status, g Gate, haveCommands bool) {
	r := &st.Gate
	r.Pass = true
	add := func(c Check) {
		r.Checks = append(r.Checks, c)
		r.Pass = r.Pass && c.OK
	}
	if g.MinCoverage > 0 {
		add(Check{
			Name: "min_coverage", Want: fmt.Sprintf(">= %g%%", g.MinCoverage),
			Got: fmt.Sprintf("%g%%", r.Coverage), OK: r.InScope > 0 && r.Coverage >= g.MinCoverage,
		})
	}
	if g != (Gate{}) {
		add(Check{
			Name: "max_failed", Want: fmt.Sprintf("<= %d", g.MaxFailed),
			Got: fmt.Sprint(r.Failed), OK: r.Failed <= g.MaxFailed,
		})
	}
	if g.Soak > 0 {
		c := Check{Name: "soak", Want: ">= " + FormatDuration(g.Soak), Got: "not started"}
		if !haveCommands {
			c.Got = "unknown (no MDM command history)"
		}
		if !st.Started.IsZero() {
			c.Got, c.OK = FormatDuration(r.Soaked), r.Soaked >= g.Soak
		}
		add(c)
	}
}

// nextStep computes the step out of stage cur.
func nextStep(in Input, cur int, g Gate, extra []jamf.Ref, inScope []int) *Step {
	next := cur + 1
	step := &Step{Stage: in.Plan.Stages[next].Name}
	newIDs := minusIDs(members(in, next), inScope)
	if g.MaxNewMacs > 0 && len(newIDs) > g.MaxNewMacs {
		step.NewMacs = newIDs[:g.MaxNewMacs]
		step.Remain = len(newIDs) - g.MaxNewMacs
		refs := slices.Clone(extra)
		for _, id := range step.NewMacs {
			refs = append(refs, jamf.Ref{ID: id, Name: in.Names[id]})
		}
		step.Scope = withComputers(in.Plan.Cumulative(cur), refs)
	} else {
		step.NewMacs = newIDs
		step.Scope = in.Plan.Cumulative(next)
	}
	step.Adds = len(step.NewMacs)
	return step
}

// findPartial looks for a stage i whose cumulative scope plus computers
// that stage i+1 adds is the stored scope; it returns i and those
// computers, or -2.
func findPartial(in Input) (int, []jamf.Ref) {
	if !in.Plan.capped() {
		return -2, nil
	}
	for i := len(in.Plan.Stages) - 2; i >= -1; i-- {
		spec := in.Plan.Cumulative(i)
		base := spec.Lists[scope.Computers]
		var extra []jamf.Ref
		for _, r := range in.Stored.Computers {
			if !slices.ContainsFunc(base, func(x jamf.Ref) bool { return x.ID == r.ID }) {
				extra = append(extra, r)
			}
		}
		if len(extra) == 0 || !Matches(withComputers(spec, extra), in.Stored) {
			continue
		}
		adds := minusIDs(members(in, i+1), members(in, i))
		ok := true
		for _, r := range extra {
			if _, found := slices.BinarySearch(adds, r.ID); !found {
				ok = false
			}
		}
		if ok {
			return i, extra
		}
	}
	return -2, nil
}

// nearest returns the stage whose scope differs least from the stored one
// ("" for before the first stage; "NAME, part way to NEXT" when a capped
// step's computers bring it closer) and the differences.
func nearest(in Input) (string, []scope.Change) {
	best, bestSize := "", -1
	var bestChanges []scope.Change
	consider := func(name string, spec scope.Spec) {
		changes := scope.Diff(spec.Resulting(&in.Stored), in.Stored)
		size := 0
		for _, c := range changes {
			size += len(c.Added) + len(c.Removed)
		}
		if bestSize < 0 || size < bestSize {
			best, bestSize, bestChanges = name, size, changes
		}
	}
	for i := -1; i < len(in.Plan.Stages); i++ {
		name := ""
		if i >= 0 {
			name = in.Plan.Stages[i].Name
		}
		spec := in.Plan.Cumulative(i)
		consider(name, spec)
		if !in.Plan.capped() || i+1 >= len(in.Plan.Stages) {
			continue
		}
		// The computers a capped step toward stage i+1 may have added.
		adds := minusIDs(members(in, i+1), members(in, i))
		var extra []jamf.Ref
		for _, r := range in.Stored.Computers {
			_, found := slices.BinarySearch(adds, r.ID)
			if found && !slices.ContainsFunc(spec.Lists[scope.Computers], func(x jamf.Ref) bool { return x.ID == r.ID }) {
				extra = append(extra, r)
			}
		}
		if len(extra) > 0 {
			consider(strings.TrimPrefix(name+", ", ", ")+"part way to "+in.Plan.Stages[i+1].Name, withComputers(spec, extra))
		}
	}
	return best, bestChanges
}

// members returns Members[i], or none for i = -1 or a missing entry.
func members(in Input, i int) []int {
	if i < 0 || i >= len(in.Members) {
		return nil
	}
	return in.Members[i]
}

// stageMacs returns the Macs stage i added: its members not in stage i-1's.
func stageMacs(in Input, i int) []int {
	return minusIDs(members(in, i), members(in, i-1))
}

// firstInstall returns the earliest dateSent of an INSTALL_PROFILE command
// to one of the Macs ids; zero when there is none (see
// docs/jamf-behavior.md, "Rollout state").
func firstInstall(in Input, ids []int) time.Time {
	mgmt := make(map[string]bool, len(ids))
	for _, id := range ids {
		if m := in.ManagementIDs[id]; m != "" {
			mgmt[m] = true
		}
	}
	var first time.Time
	for _, c := range in.Commands {
		if !installCommand(c) || !mgmt[c.Client.ManagementID] || c.DateSent.IsZero() {
			continue
		}
		if first.IsZero() || c.DateSent.Before(first) {
			first = c.DateSent.Time
		}
	}
	return first
}

// installCommand reports whether c installs a profile. Jamf's answer
// leaves commandType out for profile installs (see docs/jamf-behavior.md,
// "MDM commands"); the history is the profile's (filtered by profileId),
// so an empty type counts.
func installCommand(c jamf.MDMCommand) bool {
	return c.CommandType == "" || c.CommandType == "INSTALL_PROFILE"
}

// inScopeIDs returns the ids, ascending, of the report's Macs in scope.
func inScopeIDs(r *verify.Report) []int {
	var ids []int
	if r == nil {
		return ids
	}
	for _, m := range r.Macs {
		if m.InScope {
			ids = append(ids, m.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func refIDs(refs []jamf.Ref) []int {
	ids := make([]int, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	slices.Sort(ids)
	return ids
}

// FormatDuration writes d in days and hours ("2d 4h", "36m" under an
// hour), for gates and status.
func FormatDuration(d time.Duration) string {
	if d < time.Hour {
		return d.Truncate(time.Minute).String()
	}
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	switch {
	case days == 0:
		return fmt.Sprintf("%dh", hours)
	case hours == 0:
		return fmt.Sprintf("%dd", days)
	}
	return fmt.Sprintf("%dd %dh", days, hours)
}
