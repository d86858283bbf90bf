package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

func hasWarning(r *Report, sub string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

// TestOtherProfilesCommandsIgnored pins QA item 9: commands for another
// profile (a server or proxy that ignored the profileId filter) are not
// this profile's installs; they are dropped with a warning.
func TestOtherProfilesCommandsIgnored(t *testing.T) {
	c := installed(withCert(mac(1, "MAC-0001"), okCN(mac(1, "MAC-0001")), now.Add(days(300)), true))
	other := command(c, StateError, now.Add(-time.Hour))
	other.ProfileID = 77
	pending := command(mac(2, "MAC-0002"), StatePending, now.Add(-time.Hour))
	pending.ProfileID = 77
	r := Compute(input(t, []jamf.Computer{c, mac(2, "MAC-0002")}, []int{1, 2}, []jamf.MDMCommand{other, pending}))
	if r.Summary.Failed != 0 || r.Summary.Pending != 0 {
		t.Errorf("summary %+v counts another profile's commands", r.Summary)
	}
	if !hasWarning(r, "2 MDM commands for other profiles") {
		t.Errorf("warnings %q, want one about the dropped commands", r.Warnings)
	}
}

// TestUnknownCommandStateNotMisclassified pins QA P3: a command state
// outside Jamf's (upper-case) enum is neither pending nor failed, and is
// named in a note and a warning.
func TestUnknownCommandStateNotMisclassified(t *testing.T) {
	for _, state := range []string{"pending", "error", "QUEUED"} {
		t.Run(state, func(t *testing.T) {
			c := installed(mac(1, "MAC-0001"))
			r := Compute(input(t, []jamf.Computer{c}, []int{1}, []jamf.MDMCommand{command(c, state, now.Add(-time.Hour))}))
			if r.Summary.Failed != 0 || r.Summary.Pending != 0 {
				t.Errorf("summary %+v: state %q was classified", r.Summary, state)
			}
			if !hasWarning(r, "not a state Jamf documents") || !strings.Contains(strings.Join(r.Macs[0].Notes, ";"), state) {
				t.Errorf("warnings %q, notes %q: want the unknown state named", r.Warnings, r.Macs[0].Notes)
			}
		})
	}
}

// TestInventoryAnomalies pins QA P3: duplicate ids, id 0 and an inventory
// time in the future are reported, not silently used.
func TestInventoryAnomalies(t *testing.T) {
	a := mac(1, "MAC-0001")
	dup := mac(1, "MAC-0001-dup")
	zero := mac(0, "MAC-0000")
	future := mac(3, "MAC-0003")
	future.General.LastContact = ts(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	r := Compute(input(t, []jamf.Computer{a, dup, zero, future}, []int{0, 1, 3}, nil))
	if len(r.Macs) != 2 {
		t.Errorf("%d Macs reported, want 2 (the duplicate and id 0 dropped)", len(r.Macs))
	}
	for _, want := range []string{"id 1 appears 2 times", `id "0"`} {
		if !hasWarning(r, want) {
			t.Errorf("warnings %q, want one containing %q", r.Warnings, want)
		}
	}
	for _, m := range r.Macs {
		if m.ID == 3 && (m.Status != StatusStale || !strings.Contains(strings.Join(m.Notes, ";"), "in the future")) {
			t.Errorf("Mac 3 with inventory in year 9999: status %q notes %q, want stale, in the future", m.Status, m.Notes)
		}
	}
}

// TestInventoryMissingIdentifiers pins QA P3: records without a name or a
// management id (commands cannot be matched to them) are named in a
// warning, not silently shown as blank or "no install command".
func TestInventoryMissingIdentifiers(t *testing.T) {
	noName := mac(1, "")
	noMgmt := mac(2, "MAC-0002")
	noMgmt.General.ManagementID = ""
	noMgmt.UDID = ""
	r := Compute(input(t, []jamf.Computer{noName, noMgmt}, []int{1, 2}, []jamf.MDMCommand{}))
	for _, want := range []string{"1 inventory record(s) have no name", "1 inventory record(s) have no management id"} {
		if !hasWarning(r, want) {
			t.Errorf("warnings %q, want one containing %q", r.Warnings, want)
		}
	}
}
