package plan

import (
	"context"
	"fmt"
	"slices"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// CountMacs counts the Macs in the stored and resulting scopes and checks
// the Subject against every Mac in the resulting scope. The members of the
// groups LoadFleet did not read (groups only the stored scope names) are
// read all at once first.
type CountMacs struct{}

func (CountMacs) String() string { return "count Macs" }

// Run implements Step.
func (CountMacs) Run(ctx context.Context, st *State) error {
	p := st.Plan
	scopes := []jamf.Scope{p.send.after}
	if st.Stored.Profile != nil {
		scopes = append(scopes, p.send.before)
	}
	if err := st.Fleet.Prefetch(ctx, scopes...); err != nil {
		return err
	}
	after, err := st.Fleet.Members(ctx, p.send.after)
	if err != nil {
		return err
	}
	var before []int
	if st.Stored.Profile != nil {
		if before, err = st.Fleet.Members(ctx, p.send.before); err != nil {
			return err
		}
	}
	p.Macs = Macs{InScope: len(after), NewlyAdded: countMissing(after, before), Removed: countMissing(before, after)}
	p.SubjectViolations = macViolations(st.Fleet.CheckSubject(st.Desired.Profile.SCEP.Content.Subject, after, st.Stored.ID, p.send.dialect))
	switch {
	case len(p.SubjectViolations) == 0:
		p.SubjectVerdict = VerdictFits
	case st.AcceptLongSubject || !p.HasChanges():
		p.SubjectVerdict = VerdictAccepted
	default:
		// The plan stands (plan shows it); Write refuses it.
		p.SubjectVerdict = VerdictRefused
	}
	return nil
}

// Subject verdicts of a Plan.
const (
	VerdictFits     = "fits"     // every Mac in scope fits
	VerdictRefused  = "refused"  // some do not; apply writes nothing
	VerdictAccepted = "accepted" // some do not; --accept-long-subject, or nothing to write
)

// LongSubjectError is the one policy for a Subject over RFC 5280's limits on
// some Macs in scope: apply refuses and writes nothing unless
// --accept-long-subject accepts the Macs the plan lists. Those Macs would
// request a certificate Okta refuses: they fail to enroll, and renewal
// fails too. doctor reports the same Macs as a failed check.
type LongSubjectError struct {
	Macs    int // Macs whose Subject is too long
	InScope int // Macs in the resulting scope
}

// SubjectErr returns a *LongSubjectError when the verdict is refused, else
// nil: apply checks it before confirming, and Write before writing.
func (p *Plan) SubjectErr() error {
	if p.SubjectVerdict != VerdictRefused {
		return nil
	}
	return &LongSubjectError{Macs: len(p.SubjectViolations), InScope: p.Macs.InScope}
}

func (e *LongSubjectError) Error() string {
	return fmt.Sprintf("the Subject is over RFC 5280's limits on %d of %d Mac(s) in scope (listed in the plan); nothing was written. "+
		"Shorten profile.scep.subject or rename those Macs, or pass --accept-long-subject to deploy anyway: those Macs will fail to enroll, and their renewal fails too",
		e.Macs, e.InScope)
}

// countMissing counts the ids of a (ascending) not in b (ascending).
func countMissing(a, b []int) int {
	n := 0
	for _, id := range a {
		if _, found := slices.BinarySearch(b, id); !found {
			n++
		}
	}
	return n
}
