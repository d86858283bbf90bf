package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// lagWindow is how long a profile written on one Jamf Cloud node may be
// missing from another node's answers (see docs/jamf-behavior.md,
// "Jamf Cloud nodes and cookie").
const lagWindow = "about a minute"

// lagHint explains a 404 for a profile id that should exist: on Jamf Cloud
// a profile created less than a minute ago on another node may be missing
// there.
func lagHint(id int) string {
	return fmt.Sprintf("if profile %d was created less than %s ago, this request may have reached a Jamf Cloud node that has not seen it yet (such a node answers 404 and leaves it out of lists): wait a minute and rerun; otherwise check the id in Jamf Pro", id, lagWindow)
}

// duplicateAdvice names every profile sharing the name and recommends
// the oldest (lowest id: Jamf numbers profiles in creation order), which
// is the one Macs most likely hold. Two runs within the replication window
// can each create one: the second run's node did not list the first's.
func duplicateAdvice(amb *jamf.AmbiguousNameError) string {
	ids := slices.Clone(amb.IDs)
	oldest := ids[0] // AmbiguousNameError.IDs are ascending
	return fmt.Sprintf("keep the oldest, id %s (lowest id, created first): pass --profile-id %s or set profile_id: %s for the tenant, then delete the newer one(s) (%s) in Jamf Pro once you have checked them. Two runs less than %s apart can each create one on Jamf Cloud: a node lists a profile created on another node only after replication",
		oldest, oldest, oldest, strings.Join(ids[1:], ", "), lagWindow)
}

// MismatchCause classifies a read-back difference.
type MismatchCause string

// Causes of a read-back difference.
const (
	// CausePermanent: Jamf Pro cannot store a value as sent (characters
	// outside the Basic Multilingual Plane become '?'); every run fails the
	// same way until the config changes.
	CausePermanent MismatchCause = "permanent"
	// CauseStale: the read-back shows the profile as it was before the
	// write: the read reached a node that has not seen the write yet, or
	// the write was not applied. A rerun converges.
	CauseStale MismatchCause = "stale"
	// CauseUnknown: neither of the above can be shown.
	CauseUnknown MismatchCause = "unknown"
)

// classifyMismatch builds the MismatchError for diffs, the difference
// between what p sent and what was read back; before is the profile as
// stored before the write (nil for a create).
func classifyMismatch(p *Plan, before *jamf.Profile, diffs []Change) *MismatchError {
	e := &MismatchError{ProfileID: p.ProfileID, Diffs: diffs, Cause: CauseUnknown}
	switch {
	case allUnstorable(diffs):
		e.Cause = CausePermanent
	case before != nil && sameChanges(Verify(p, before), diffs):
		e.Cause = CauseStale
	}
	return e
}

// Advice says what to do about the mismatch, matching its cause.
func (e *MismatchError) Advice() string {
	switch e.Cause {
	case CausePermanent:
		var paths []string
		for _, d := range e.Diffs {
			paths = append(paths, d.Path)
		}
		return fmt.Sprintf("Jamf Pro cannot store %s as sent (it replaces characters outside the Basic Multilingual Plane, such as emoji, with '?', trims edge spaces and drops control characters): change the value in the config; rerunning as it is fails the same way",
			strings.Join(paths, ", "))
	case CauseStale:
		return fmt.Sprintf("the read-back shows profile %d as it was before the write: the read may have reached a Jamf Cloud node that has not seen the write yet (replication takes up to %s); wait a minute and rerun `jamf-scep apply`: it converges",
			e.ProfileID, lagWindow)
	}
	return "rerun `jamf-scep apply` once: it plans against what Jamf Pro now holds; if it reports the same difference again, Jamf Pro rewrites that value and the config must change"
}

// allUnstorable reports whether every difference is a sent string that
// Jamf Pro stored in the form the one rule for stored text predicts
// (profile.JamfStoredForm, beside profile.CheckJamfText): such a value
// reads back changed on every run. Build refuses these before any write;
// this catches one that reached the wire another way.
func allUnstorable(diffs []Change) bool {
	for _, d := range diffs {
		if d.Sensitive || d.Op != OpChange {
			return false
		}
		sent, err1 := strconv.Unquote(d.Old)
		stored, err2 := strconv.Unquote(d.New)
		if err1 != nil || err2 != nil || sent == stored || profile.JamfStoredForm(sent) != stored {
			return false
		}
	}
	return len(diffs) > 0
}

func sameChanges(a, b []Change) bool {
	return len(a) > 0 && slices.Equal(a, b)
}
