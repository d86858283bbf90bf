package jamfsim

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// jsonInventory is a computers-inventory record (schema ComputerInventory,
// ComputerInventoryV2/V3/V4). Sections not asked for are left out: the
// schemas do not declare them nullable.
type jsonInventory struct {
	ID                    string               `json:"id"`
	UDID                  string               `json:"udid"`
	General               *jsonGeneral         `json:"general,omitempty"`
	Hardware              *jsonHardware        `json:"hardware,omitempty"`
	UserAndLocation       *jsonUserAndLocation `json:"userAndLocation,omitempty"`
	ConfigurationProfiles *[]jsonInstalledProf `json:"configurationProfiles,omitempty"`
	Certificates          *[]jsonCertificate   `json:"certificates,omitempty"`
}

// jsonGeneral is the GENERAL section: schema ComputerGeneral on v1-v3,
// ComputerGeneralV4 on v4. Absent dates are left out: the schemas do not
// declare them nullable.
type jsonGeneral struct {
	Name            string  `json:"name"`
	LastContactTime *string `json:"lastContactTime,omitempty"` // v1-v3
	LastContact     *string `json:"lastContact,omitempty"`     // v4
	LastCheckIn     *string `json:"lastCheckIn,omitempty"`     // v4
	ReportDate      *string `json:"reportDate,omitempty"`
	ManagementID    string  `json:"managementId"`
	Platform        string  `json:"platform"`
}

type jsonHardware struct {
	Make         string `json:"make"`
	Model        string `json:"model"`
	SerialNumber string `json:"serialNumber"`
}

type jsonUserAndLocation struct {
	Username     string  `json:"username"`
	Email        string  `json:"email"`
	BuildingID   *string `json:"buildingId,omitempty"`
	DepartmentID *string `json:"departmentId,omitempty"`
}

type jsonInstalledProf struct {
	ID                string  `json:"id"`
	Username          string  `json:"username"`
	LastInstalled     *string `json:"lastInstalled,omitempty"`
	Removable         bool    `json:"removable"`
	DisplayName       string  `json:"displayName"`
	ProfileIdentifier string  `json:"profileIdentifier"`
}

type jsonCertificate struct {
	CommonName        string  `json:"commonName"`
	Identity          bool    `json:"identity"`
	ExpirationDate    *string `json:"expirationDate,omitempty"`
	Username          string  `json:"username"`
	LifecycleStatus   string  `json:"lifecycleStatus"`
	CertificateStatus string  `json:"certificateStatus"`
	SubjectName       string  `json:"subjectName"`
	SerialNumber      string  `json:"serialNumber"`
	SHA1Fingerprint   string  `json:"sha1Fingerprint"`
	IssuedDate        *string `json:"issuedDate,omitempty"`
}

// Inventory sections the simulator answers.
var inventorySections = []string{"GENERAL", "HARDWARE", "USER_AND_LOCATION", "CONFIGURATION_PROFILES", "CERTIFICATES"}

var inventoryListing = listing[*computer]{
	fields: rsqlFields[*computer]{
		"id":                       func(c *computer) string { return strconv.Itoa(c.ID) },
		"udid":                     func(c *computer) string { return c.UDID },
		"general.name":             func(c *computer) string { return c.Name },
		"general.managementId":     func(c *computer) string { return c.ManagementID },
		"hardware.serialNumber":    func(c *computer) string { return c.Serial },
		"userAndLocation.username": func(c *computer) string { return c.Username },
		"userAndLocation.email":    func(c *computer) string { return c.Email },
	},
	sorts: map[string]func(a, b *computer) int{
		"id":           byID(func(c *computer) int { return c.ID }),
		"general.name": func(a, b *computer) int { return cmp.Compare(a.sortName, b.sortName) },
	},
	order: "general.name:asc",
}

func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	v := t.UTC().Format(time.RFC3339Nano)
	return &v
}

func optID(id int) *string {
	if id == 0 {
		return nil
	}
	v := strconv.Itoa(id)
	return &v
}

// handleInventory serves GET /api/vN/computers-inventory. v4 exists only
// from Jamf Pro 11.30.
func (s *Server) handleInventory(version int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if version >= 4 && !s.features.inventoryV4 {
			writeAPIError(w, http.StatusNotFound, "", "")
			return
		}
		if !s.authorize(w, r, areaAPI, PrivReadComputers) {
			return
		}
		want := map[string]bool{}
		for _, v := range r.URL.Query()["section"] {
			for _, sec := range strings.Split(v, ",") {
				if !slices.Contains(inventorySections, sec) {
					writeAPIError(w, http.StatusBadRequest, "INVALID_FIELD",
						fmt.Sprintf("section: unsupported value %q; the simulator answers %s", sec, strings.Join(inventorySections, ", ")))
					return
				}
				want[sec] = true
			}
		}
		if len(want) == 0 {
			want["GENERAL"] = true
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		got, total, ok := inventoryListing.serve(w, r, s.computers)
		if !ok {
			return
		}
		out := pageOf[jsonInventory]{TotalCount: total, Results: make([]jsonInventory, 0, len(got))}
		for _, c := range got {
			out.Results = append(out.Results, renderInventory(c, want, version))
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// renderInventory renders c for computers-inventory version (1 to 4).
func renderInventory(c *computer, want map[string]bool, version int) jsonInventory {
	inv := jsonInventory{ID: strconv.Itoa(c.ID), UDID: c.UDID}
	if want["GENERAL"] {
		g := &jsonGeneral{
			Name: c.Name, ManagementID: c.ManagementID, Platform: "Mac",
			ReportDate: jsonTime(c.LastInventory),
		}
		if version >= 4 {
			g.LastContact, g.LastCheckIn = jsonTime(c.LastInventory), jsonTime(c.LastInventory)
		} else {
			g.LastContactTime = jsonTime(c.LastInventory)
		}
		inv.General = g
	}
	if want["HARDWARE"] {
		inv.Hardware = &jsonHardware{Make: "Apple", Model: "MacBook Pro", SerialNumber: c.Serial}
	}
	if want["USER_AND_LOCATION"] {
		inv.UserAndLocation = &jsonUserAndLocation{
			Username: c.Username, Email: c.Email,
			BuildingID: optID(c.buildingID), DepartmentID: optID(c.departmentID),
		}
	}
	if want["CONFIGURATION_PROFILES"] {
		ps := make([]jsonInstalledProf, 0, len(c.InstalledProfiles))
		for _, p := range c.InstalledProfiles {
			ps = append(ps, jsonInstalledProf{
				ID: strconv.Itoa(p.ID), Username: p.Username, LastInstalled: jsonTime(p.LastInstalled),
				Removable: p.Removable, DisplayName: p.DisplayName, ProfileIdentifier: p.ProfileIdentifier,
			})
		}
		inv.ConfigurationProfiles = &ps
	}
	if want["CERTIFICATES"] {
		cs := make([]jsonCertificate, 0, len(c.Certificates))
		for _, ct := range c.Certificates {
			jc := jsonCertificate{
				CommonName: ct.CommonName, Identity: ct.Identity, ExpirationDate: jsonTime(ct.ExpirationDate),
				Username: ct.Username, LifecycleStatus: cmp.Or(ct.LifecycleStatus, "ACTIVE"),
				CertificateStatus: cmp.Or(ct.CertificateStatus, "ISSUED"), SubjectName: ct.SubjectName,
				SerialNumber: ct.SerialNumber, SHA1Fingerprint: ct.SHA1Fingerprint, IssuedDate: jsonTime(ct.IssuedDate),
			}
			cs = append(cs, jc)
		}
		inv.Certificates = &cs
	}
	return inv
}
