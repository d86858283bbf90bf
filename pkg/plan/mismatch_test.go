package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// TestMismatchAdvice: the advice after a read-back mismatch matches its
// cause: a value Jamf cannot store needs a config change (a rerun fails
// the same way), a read that shows the profile as before the write needs a
// wait and a rerun, anything else a rerun that tells the two apart.
func TestMismatchAdvice(t *testing.T) {
	o := baseOptions()
	o.Description = "Okta Device Access certificate"
	before := jamfStored(t, baseOptions(), jamf.Scope{ComputerGroups: []jamf.Ref{pilot}})
	update, err := Compute(desired(t, o, ownGroups(pilot)), before)
	if err != nil {
		t.Fatal(err)
	}
	// Build refuses text Jamf cannot store; this one reached the wire
	// anyway, as a value the rule did not know about yet would.
	update.send.general.Description = "Okta Device Access certificate 🔐"
	sentGeneral := func(edit func(g *jamf.General)) *jamf.Profile {
		g := *update.send.general
		g.RedeployOnUpdate = ""
		edit(&g)
		return &jamf.Profile{General: g, Scope: update.send.after}
	}
	tests := []struct {
		name      string
		got       *jamf.Profile
		cause     MismatchCause
		advice    string
		notAdvice string
	}{
		{
			name: "emoji stored as ?",
			got: sentGeneral(func(g *jamf.General) {
				g.Description = "Okta Device Access certificate ?"
			}),
			cause: CausePermanent, advice: "change the value in the config", notAdvice: "converges",
		},
		{
			name:  "read shows the profile before the write",
			got:   before.Profile,
			cause: CauseStale, advice: "wait a minute and rerun",
		},
		{
			name:  "some other rewrite",
			got:   sentGeneral(func(g *jamf.General) { g.Description = "something else" }),
			cause: CauseUnknown, advice: "if it reports the same difference again", notAdvice: "converges",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diffs := Verify(update, tt.got)
			if len(diffs) == 0 {
				t.Fatal("no difference to classify")
			}
			e := classifyMismatch(update, before.Profile, diffs)
			if diff := cmp.Diff(tt.cause, e.Cause); diff != "" {
				t.Errorf("cause (-want +got):\n%s", diff)
			}
			if a := e.Advice(); !strings.Contains(a, tt.advice) || (tt.notAdvice != "" && strings.Contains(a, tt.notAdvice)) {
				t.Errorf("advice %q: want %q, not %q", a, tt.advice, tt.notAdvice)
			}
		})
	}
}

// TestDuplicateAdviceRecommendsOldest: two profiles with one name (two
// runs within the replication window) name both ids and recommend the
// oldest, never the newest.
func TestDuplicateAdviceRecommendsOldest(t *testing.T) {
	a := duplicateAdvice(&jamf.AmbiguousNameError{Kind: "macOS configuration profile", Name: "Okta", IDs: []string{"3", "9"}})
	for _, want := range []string{"keep the oldest, id 3", "--profile-id 3", "profile_id: 3", "(9)", "less than about a minute apart"} {
		if !strings.Contains(a, want) {
			t.Errorf("advice %q lacks %q", a, want)
		}
	}
	if strings.Contains(a, "--profile-id 9") {
		t.Errorf("advice %q recommends the newer duplicate", a)
	}
}
