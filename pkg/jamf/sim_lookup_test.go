package jamf_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

func TestSimLookups(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	sim.SeedFleet(25, 7)
	c := newSimClient(t, sim.URL())
	ctx := t.Context()

	buildings, err := c.Buildings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantB := []jamf.Building{{ID: "1", Name: "HQ"}, {ID: "2", Name: "Berlin Office"}, {ID: "3", Name: "Remote"}, {ID: "4", Name: "Warehouse & Logistics"}}
	if diff := cmp.Diff(wantB, buildings); diff != "" {
		t.Errorf("Buildings (-want +got):\n%s", diff)
	}
	departments, err := c.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(departments) != 5 || departments[4].Name != "R&D" {
		t.Errorf("Departments = %+v, want 5 ending with R&D", departments)
	}
	groups, err := c.ComputerGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	smart := 0
	for _, g := range groups {
		if g.Smart {
			smart++
		}
	}
	if len(groups) != 9 || smart != 5 || groups[0].Name != jamfsim.FleetPilotGroup {
		t.Errorf("ComputerGroups = %+v, want 9 (pilot first, 5 smart)", groups)
	}
	if n := sim.Count("GET", "/api/v1/computer-groups"); n != 1 {
		t.Errorf("%d computer-groups calls, want 1", n)
	}
}

// TestSimInventoryVersions: v4 on 11.30 and later, v1 before, paged. The
// first listing goes out at v4 with the version request; before 11.30 that
// probe answers 404, once.
func TestSimInventoryVersions(t *testing.T) {
	tests := []struct {
		version string
		path    string
	}{
		{"11.30.1-t1750000000", "/api/v4/computers-inventory"},
		{"11.29.2-t1740000000", "/api/v1/computers-inventory"},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			opts := simOptions(0)
			opts.Version = tt.version
			sim := jamfsimtest.New(t, opts)
			sim.SeedFleet(25, 7)
			c := newSimClient(t, sim.URL())
			warm(t, sim, c)
			got, err := c.ComputersInventory(t.Context(), jamf.InventoryQuery{
				Sections: []jamf.Section{jamf.SectionGeneral, jamf.SectionHardware}, PageSize: 7,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 25 || got[1].General.Name != jamfsim.FleetUmlautName || got[0].Hardware.SerialNumber == "" {
				t.Errorf("inventory: %d computers, second %q; want 25, the second %q, with serials", len(got), got[1].General.Name, jamfsim.FleetUmlautName)
			}
			if n := sim.Count("GET", tt.path); n != 4 {
				t.Errorf("%d GET %s, want 4 pages of 7", n, tt.path)
			}
			if n := sim.Count("GET", "/api/v1/jamf-pro-version"); n != 1 {
				t.Errorf("%d version calls, want 1", n)
			}
			for _, r := range sim.Requests() {
				probe := r.Path == "/api/v4/computers-inventory" && r.Status == http.StatusNotFound
				if strings.HasSuffix(r.Path, "computers-inventory") && r.Path != tt.path && !probe {
					t.Errorf("request to %s (%d), want only %s and a v4 probe answered 404", r.Path, r.Status, tt.path)
				}
			}

			one, err := c.ComputersInventory(t.Context(), jamf.InventoryQuery{Filter: jamf.RSQLEqual("general.name", jamfsim.FleetUmlautName)})
			if err != nil {
				t.Fatal(err)
			}
			if len(one) != 1 || one[0].General.Name != jamfsim.FleetUmlautName {
				t.Errorf("filtered inventory = %+v, want the one Mac named %q", one, jamfsim.FleetUmlautName)
			}
		})
	}
}

func TestSimResolve(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	sim.SeedFleet(25, 7)
	c := newSimClient(t, sim.URL())
	mac4, _ := sim.Computer(4)
	mac5, _ := sim.Computer(5)

	got, err := c.Resolve(t.Context(), jamf.Names{
		Computers:      []string{jamfsim.FleetUmlautName, strings.ToLower(mac4.UDID), mac5.Serial},
		ComputerGroups: []string{"Smart: R&D", "Group-002"},
		Buildings:      []string{"Warehouse & Logistics"},
		Departments:    []string{"R&D"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := jamf.Resolved{
		Computers:      []jamf.Ref{{ID: 2, Name: jamfsim.FleetUmlautName}, {ID: 4, Name: mac4.Name}, {ID: 5, Name: mac5.Name}},
		ComputerGroups: []jamf.Ref{{ID: 9, Name: "Smart: R&D"}, {ID: 3, Name: "Group-002"}},
		Buildings:      []jamf.Ref{{ID: 4, Name: "Warehouse & Logistics"}},
		Departments:    []jamf.Ref{{ID: 5, Name: "R&D"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Resolve (-want +got):\n%s", diff)
	}

	_, err = c.Resolve(t.Context(), jamf.Names{ComputerGroups: []string{"Okta Device Access Pilt"}})
	var unres *jamf.UnresolvedError
	if !errors.As(err, &unres) || !errors.Is(err, jamf.ErrNotFound) {
		t.Fatalf("misspelt group: err = %v, want *UnresolvedError matching ErrNotFound", err)
	}
	if s := unres.Problems[0].Suggestions; len(s) == 0 || s[0] != jamfsim.FleetPilotGroup {
		t.Errorf("suggestions = %q, want %q first", s, jamfsim.FleetPilotGroup)
	}
}

// TestSimVerificationRecords: installed profiles, certificates, MDM
// commands by profile id, and group members.
func TestSimVerificationRecords(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	sim.SeedFleet(5, 7)
	c := newSimClient(t, sim.URL())
	ctx := t.Context()
	id, err := c.CreateProfile(ctx, newProfile("Okta SCEP", trickyPlist(t)))
	if err != nil {
		t.Fatal(err)
	}
	sim.InstallProfile(1, id)
	expires := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	sim.AddCertificate(1, jamfsim.Certificate{CommonName: "MAC-0001 ma X", Identity: true, ExpirationDate: expires})
	if _, err := sim.AddMDMCommand(jamfsim.MDMCommand{ComputerID: 2, ProfileID: id, State: jamfsim.CommandError, ErrorText: "SCEP failed"}); err != nil {
		t.Fatal(err)
	}

	inv, err := c.ComputersInventory(ctx, jamf.InventoryQuery{
		Sections: []jamf.Section{jamf.SectionGeneral, jamf.SectionConfigurationProfiles, jamf.SectionCertificates},
		Filter:   jamf.RSQLEqual("id", "1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv) != 1 {
		t.Fatalf("%d computers, want 1", len(inv))
	}
	p, _ := sim.Profile(id)
	if ps := inv[0].ConfigurationProfiles; len(ps) != 1 || ps[0].ID != strconv.Itoa(id) || ps[0].ProfileIdentifier != p.UUID {
		t.Errorf("installed profiles = %+v, want profile %d with identifier %s", ps, id, p.UUID)
	}
	if cs := inv[0].Certificates; len(cs) != 1 || !cs[0].Identity || !cs[0].ExpirationDate.Equal(expires) {
		t.Errorf("certificates = %+v, want one identity expiring %s", cs, expires)
	}

	cmds, err := c.ProfileCommands(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	mac1, _ := sim.Computer(1)
	mac2, _ := sim.Computer(2)
	states := map[string]string{}
	for _, cmd := range cmds {
		states[cmd.Client.ManagementID] = cmd.CommandState
		// Jamf's MdmCommandType has no INSTALL_PROFILE: the type is absent.
		if cmd.ProfileID != id || cmd.CommandType != "" {
			t.Errorf("command %+v, want an untyped command of profile %d", cmd, id)
		}
	}
	wantStates := map[string]string{mac1.ManagementID: "ACKNOWLEDGED", mac2.ManagementID: "ERROR"}
	if diff := cmp.Diff(wantStates, states); diff != "" {
		t.Errorf("command states by managementId (-want +got):\n%s", diff)
	}

	members, err := c.ComputerGroupMembers(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 5 || members[1].Name != jamfsim.FleetUmlautName {
		t.Errorf("pilot members = %+v, want the 5 Macs", members)
	}
}

// TestSimErrorForms: the three error shapes Jamf answers in, parsed into
// *jamf.Error and matched by the sentinels.
func TestSimErrorForms(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{
		APIClients: []jamfsim.APIClient{
			{ID: simClientID, Secret: simClientSecret, Privileges: []string{jamfsim.PrivReadProfiles}},
		},
	})
	ctx := t.Context()
	c := newSimClient(t, sim.URL())

	_, err := c.GetProfile(ctx, 42) // Classic HTML page
	var jerr *jamf.Error
	if !errors.As(err, &jerr) || !errors.Is(err, jamf.ErrNotFound) || jerr.Method != "GET" || jerr.Path != "JSSResource/osxconfigurationprofiles/id/42" {
		t.Errorf("missing profile: err = %#v, want a GET 404 *jamf.Error on its path", err)
	}
	_, err = c.Buildings(ctx) // Jamf Pro API ApiError
	if !errors.As(err, &jerr) || !errors.Is(err, jamf.ErrForbidden) || jerr.StatusCode != http.StatusForbidden {
		t.Errorf("buildings without privilege: err = %v, want 403 ErrForbidden", err)
	}
	_, err = c.CreateProfile(ctx, newProfile("x", trickyPlist(t))) // Classic 403
	if !errors.Is(err, jamf.ErrForbidden) {
		t.Errorf("create without privilege: err = %v, want ErrForbidden", err)
	}
	bad := newSimClientCreds(t, sim.URL(), jamf.OAuthClient(simClientID, "wrong-secret"))
	_, err = bad.ListProfiles(ctx) // OAuth RFC 6749 error
	if !errors.As(err, &jerr) || !errors.Is(err, jamf.ErrUnauthorized) || jerr.Code != "invalid_client" {
		t.Errorf("wrong secret: err = %v, want ErrUnauthorized with code invalid_client", err)
	}
	if n := sim.Count("POST", logOAuth); n != 2 {
		t.Errorf("%d token requests, want 2 (a refused one is not retried)", n)
	}
}
