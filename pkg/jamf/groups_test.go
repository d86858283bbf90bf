package jamf_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

func TestComputerGroupMembersAgainstSimulator(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{})
	a := sim.AddComputer(jamfsim.Computer{Name: "MAC-A", Serial: "C02A"})
	b := sim.AddComputer(jamfsim.Computer{Name: "MAC-B", Serial: "C02B"})
	sim.AddComputer(jamfsim.Computer{Name: "KIOSK-1", Serial: "C02K"})
	static := sim.AddStaticGroup("Pilot", []int{b, a})
	smart := sim.AddSmartGroup("Kiosks", func(c jamfsim.Computer) bool { return c.Name == "KIOSK-1" })

	c, err := jamf.New(sim.URL(), jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ComputerGroupMembers(t.Context(), static)
	if err != nil {
		t.Fatal(err)
	}
	want := []jamf.ComputerGroupMember{{ID: a, Name: "MAC-A", SerialNumber: "C02A"}, {ID: b, Name: "MAC-B", SerialNumber: "C02B"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("static group members (-want +got):\n%s", diff)
	}
	got, err = c.ComputerGroupMembers(t.Context(), smart)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "KIOSK-1" {
		t.Errorf("smart group members = %+v, want KIOSK-1 only", got)
	}
	if _, err := c.ComputerGroupMembers(t.Context(), 99); !errors.Is(err, jamf.ErrNotFound) {
		t.Errorf("missing group: err = %v, want ErrNotFound", err)
	}
}

func TestComputerGroupMembersNeedsPrivilege(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{APIClients: []jamfsim.APIClient{{
		ID: "c", Secret: "s", Privileges: []string{jamfsim.PrivReadStaticGroups},
	}}})
	smart := sim.AddSmartGroup("All", func(jamfsim.Computer) bool { return true })
	c, err := jamf.New(sim.URL(), jamf.OAuthClient("c", "s"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ComputerGroupMembers(t.Context(), smart); !errors.Is(err, jamf.ErrForbidden) {
		t.Errorf("smart group without Read Smart Computer Groups: err = %v, want ErrForbidden", err)
	}
}
