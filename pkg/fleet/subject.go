package fleet

import (
	"cmp"
	"slices"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// Variables returns the Jamf payload variables (without "$") that the
// inventory of c gives values for: COMPUTERNAME, UDID, SERIALNUMBER,
// MANAGEMENTID, JSSID, USERNAME, EMAIL, SITENAME, BUILDINGID,
// DEPARTMENTID, and BUILDINGNAME / DEPARTMENTNAME when the fleet loaded
// buildings / departments. A variable missing here is reported by
// profile.CheckValues as unknown for this Mac rather than guessed.
// Source: Jamf Pro Documentation, "Payload Variables for Configuration
// Profiles".
func (f *Fleet) Variables(c *jamf.Computer) map[string]string {
	v := map[string]string{
		"COMPUTERNAME": c.General.Name,
		"UDID":         c.UDID,
		"SERIALNUMBER": c.Hardware.SerialNumber,
		"MANAGEMENTID": c.General.ManagementID,
		"JSSID":        c.ID,
		"USERNAME":     c.UserAndLocation.Username,
		"EMAIL":        c.UserAndLocation.Email,
		"BUILDINGID":   c.UserAndLocation.BuildingID,
		"DEPARTMENTID": c.UserAndLocation.DepartmentID,
	}
	if c.General.Site != nil {
		v["SITENAME"] = c.General.Site.Name
		v["SITEID"] = c.General.Site.ID
	}
	if f.Directory.Buildings != nil {
		v["BUILDINGNAME"] = ""
		for _, b := range f.Directory.Buildings {
			if b.ID == c.UserAndLocation.BuildingID {
				v["BUILDINGNAME"] = b.Name
			}
		}
	}
	if f.Directory.Departments != nil {
		v["DEPARTMENTNAME"] = ""
		for _, d := range f.Directory.Departments {
			if d.ID == c.UserAndLocation.DepartmentID {
				v["DEPARTMENTNAME"] = d.Name
			}
		}
	}
	return v
}

// MacViolation is one Mac whose certificate request would break the
// Subject limits.
type MacViolation struct {
	ID         int                 `json:"id"`
	Name       string              `json:"name"`
	Serial     string              `json:"serialNumber"`
	Violations []profile.Violation `json:"violations"`
}

// Worst is the largest character count among the Mac's violations.
func (m MacViolation) Worst() int {
	w := 0
	for _, v := range m.Violations {
		w = max(w, v.Chars)
	}
	return w
}

// CheckSubject substitutes every Mac's real values (from inventory) into
// subject and returns the Macs whose Subject would exceed RFC 5280's
// limits, worst first. profileID > 0 makes the $PROFILE_IDENTIFIER length
// exact (see profile.CheckValues); ids are Classic computer ids, as
// Members returns them.
func (f *Fleet) CheckSubject(subject profile.Subject, ids []int, profileID int, d *profile.Dialect) []MacViolation {
	var out []MacViolation
	for _, id := range ids {
		c := f.Computer(id)
		if c == nil {
			continue
		}
		vs := profile.CheckValues(subject, f.Variables(c), profileID, d)
		if len(vs) == 0 {
			continue
		}
		out = append(out, MacViolation{ID: id, Name: c.General.Name, Serial: c.Hardware.SerialNumber, Violations: vs})
	}
	slices.SortStableFunc(out, func(a, b MacViolation) int {
		if c := cmp.Compare(b.Worst(), a.Worst()); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// IDs returns the Classic ids of every computer in the fleet, ascending.
func (f *Fleet) IDs() []int {
	ids := make([]int, 0, len(f.byID))
	for id := range f.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
