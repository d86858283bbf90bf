package verify

import (
	"fmt"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// TargetOf returns the Target of a stored profile: its id and name, and
// from its plist (decoded with d) the PayloadIdentifier, the Subject and
// the redistribution window, which is fallbackDays when the plist does not
// give one. When the plist does not decode, the PayloadIdentifier falls
// back to general/uuid (Jamf sets the top-level PayloadIdentifier equal to
// it on create; docs/jamf-behavior.md, 'UUID replacement on create'), no
// certificate can be matched, and err says why.
func TargetOf(stored *jamf.Profile, d *profile.Dialect, fallbackDays int) (Target, error) {
	t := Target{ID: stored.General.ID, Name: stored.General.Name}
	p, err := profile.Decode([]byte(stored.General.Payloads), d)
	if err != nil {
		t.PayloadIdentifier = stored.General.UUID
		err = fmt.Errorf("profile %q (id %d): cannot read its SCEP payload (%w); no certificate can be matched", t.Name, t.ID, err)
	} else {
		t.PayloadIdentifier = p.PayloadIdentifier
		t.Subject = p.SCEP.Content.Subject
		t.RedistributeDays = p.Jamf.RedistributeDays
	}
	if t.RedistributeDays == 0 {
		t.RedistributeDays = fallbackDays
	}
	return t, err
}
