package fleet

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// tenant is a small hand-made fleet: two buildings, two departments, a
// static group and a smart group.
func tenant(t *testing.T) (*jamfsim.Server, *jamf.Client, map[string]int) {
	t.Helper()
	sim := jamfsimtest.New(t, jamfsim.Options{Observe: jamfschema.Observer(t, "")})
	ids := map[string]int{}
	sim.AddBuilding("HQ")
	sim.AddBuilding("Lab")
	sim.AddDepartment("Engineering")
	sim.AddDepartment("Sales")
	for _, c := range []jamfsim.Computer{
		{Name: "MAC-1", Serial: "S1", UDID: "11111111-1111-1111-1111-111111111111", Building: "HQ", Department: "Engineering"},
		{Name: "MAC-2", Serial: "S2", UDID: "22222222-2222-2222-2222-222222222222", Building: "Lab", Department: "Sales"},
		{Name: "KIOSK-1", Serial: "S3", UDID: "33333333-3333-3333-3333-333333333333", Building: "HQ", Department: "Sales"},
		{Name: "Büro-MacBook-Pro-Jürgen", Serial: "S4", UDID: "44444444-4444-4444-4444-444444444444", Building: "Lab"},
		{Name: "MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL", Serial: "S5", UDID: "55555555-5555-5555-5555-555555555555"},
	} {
		ids[c.Name] = sim.AddComputer(c)
	}
	ids["group:Pilot"] = sim.AddStaticGroup("Pilot", []int{ids["MAC-2"], ids["MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"]})
	ids["group:Kiosks"] = sim.AddSmartGroup("Kiosks", func(c jamfsim.Computer) bool { return c.Name == "KIOSK-1" })
	c, err := jamf.New(sim.URL(), jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	return sim, c, ids
}

func TestMembers(t *testing.T) {
	_, c, ids := tenant(t)
	names := jamf.Names{ComputerGroups: []string{"Pilot", "Kiosks"}, Buildings: []string{"HQ", "Lab"}, Departments: []string{"Engineering"}}
	f, err := Load(t.Context(), c, NeedFor(names))
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.Resolve(names)
	if err != nil {
		t.Fatal(err)
	}
	ref := func(rs []jamf.Ref, name string) []jamf.Ref {
		for _, x := range rs {
			if x.Name == name {
				return []jamf.Ref{x}
			}
		}
		t.Fatalf("%s not resolved", name)
		return nil
	}
	mac := func(name string) jamf.Ref { return jamf.Ref{ID: ids[name], Name: name} }

	tests := []struct {
		name  string
		scope jamf.Scope
		want  []string
	}{
		{"all computers", jamf.Scope{AllComputers: true}, []string{"MAC-1", "MAC-2", "KIOSK-1", "Büro-MacBook-Pro-Jürgen", "MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"}},
		{"static group", jamf.Scope{ComputerGroups: ref(r.ComputerGroups, "Pilot")}, []string{"MAC-2", "MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"}},
		{"building", jamf.Scope{Buildings: ref(r.Buildings, "HQ")}, []string{"MAC-1", "KIOSK-1"}},
		{"department", jamf.Scope{Departments: ref(r.Departments, "Engineering")}, []string{"MAC-1"}},
		{"building minus smart group", jamf.Scope{
			Buildings:  ref(r.Buildings, "HQ"),
			Exclusions: jamf.Exclusions{ComputerGroups: ref(r.ComputerGroups, "Kiosks")},
		}, []string{"MAC-1"}},
		{"all minus building and computer", jamf.Scope{
			AllComputers: true,
			Exclusions:   jamf.Exclusions{Buildings: ref(r.Buildings, "Lab"), Computers: []jamf.Ref{mac("KIOSK-1")}},
		}, []string{"MAC-1", "MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"}},
		{"computer by ref", jamf.Scope{Computers: []jamf.Ref{mac("MAC-2")}}, []string{"MAC-2"}},
		{"empty", jamf.Scope{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.Members(t.Context(), tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			want := []int{}
			for _, n := range tt.want {
				want = append(want, ids[n])
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroupMembersFetchedOnce(t *testing.T) {
	sim, c, _ := tenant(t)
	names := jamf.Names{ComputerGroups: []string{"Pilot"}}
	f, err := Load(t.Context(), c, NeedFor(names))
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.Resolve(names)
	if err != nil {
		t.Fatal(err)
	}
	s := jamf.Scope{ComputerGroups: r.ComputerGroups, Exclusions: jamf.Exclusions{ComputerGroups: r.ComputerGroups}}
	for range 3 {
		if _, err := f.Members(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	if n := sim.Count("GET", "/JSSResource/computergroups/id/"+strconv.Itoa(r.ComputerGroups[0].ID)); n != 1 {
		t.Errorf("group membership fetched %d times, want 1", n)
	}
}

func TestCheckSubject(t *testing.T) {
	_, c, ids := tenant(t)
	f, err := Load(t.Context(), c, Need{})
	if err != nil {
		t.Fatal(err)
	}
	subject, err := profile.ParseSubject("CN=$COMPUTERNAME ma $UDID")
	if err != nil {
		t.Fatal(err)
	}
	got := f.CheckSubject(subject, f.IDs(), 0, nil)
	// 49 + 4 + 36 + 7 (" " and up to 6 digits of $PROFILE_IDENTIFIER) = 96.
	// Büro-MacBook-Pro-Jürgen: 23 + 4 + 36 + 7 = 70 characters, 72 bytes.
	var names []string
	for _, v := range got {
		names = append(names, v.Name)
	}
	want := []string{"MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL", "Büro-MacBook-Pro-Jürgen"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("violating Macs, worst first (-want +got):\n%s", diff)
	}
	if w := got[0].Worst(); w != 96 {
		t.Errorf("worst = %d characters, want 96", w)
	}
	if v := got[1].Violations[0]; v.Chars != 70 || v.Bytes != 72 {
		t.Errorf("umlaut Mac: %d characters, %d bytes; want 70, 72", v.Chars, v.Bytes)
	}
	if got[0].ID != ids["MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"] {
		t.Errorf("id = %d", got[0].ID)
	}

	// A short template fits everyone.
	short, _ := profile.ParseSubject("CN=$SERIALNUMBER")
	if got := f.CheckSubject(short, f.IDs(), 12, nil); len(got) != 0 {
		t.Errorf("CN=$SERIALNUMBER: %d violations, want none", len(got))
	}
}

func TestVariablesNamesFromDirectory(t *testing.T) {
	_, c, ids := tenant(t)
	f, err := Load(t.Context(), c, Need{Buildings: true, Departments: true})
	if err != nil {
		t.Fatal(err)
	}
	v := f.Variables(f.Computer(ids["MAC-1"]))
	if v["BUILDINGNAME"] != "HQ" || v["DEPARTMENTNAME"] != "Engineering" || v["SERIALNUMBER"] != "S1" || v["COMPUTERNAME"] != "MAC-1" {
		t.Errorf("variables = %v", v)
	}
}

// TestMembersReadWithTheLists: Load reads the members of the groups in
// MembersOf as soon as the group list names them, before the inventory is
// in (one wave less), and Members then costs no request; a name that does
// not resolve is left for Resolve; Prefetch reads what is missing, once.
func TestMembersReadWithTheLists(t *testing.T) {
	sim, c, ids := tenant(t)
	memberPath := func(group string) string {
		return "/JSSResource/computergroups/id/" + strconv.Itoa(ids["group:"+group])
	}
	names := jamf.Names{ComputerGroups: []string{"Pilot"}}
	need := NeedFor(names)
	need.MembersOf = []string{"Pilot", "No Such Group", "pilot"} // "pilot": the same group
	f, err := Load(t.Context(), c, need)
	if err != nil {
		t.Fatal(err)
	}
	if n := sim.Count("GET", memberPath("Pilot")); n != 1 {
		t.Fatalf("Load read Pilot's members %d times, want 1", n)
	}
	r, err := f.Resolve(names)
	if err != nil {
		t.Fatal(err)
	}
	before := len(sim.Requests())
	if _, err := f.Members(t.Context(), jamf.Scope{ComputerGroups: r.ComputerGroups}); err != nil {
		t.Fatal(err)
	}
	if n := len(sim.Requests()) - before; n != 0 {
		t.Errorf("Members sent %d requests after Load read the members, want 0", n)
	}

	kiosks := jamf.Ref{ID: ids["group:Kiosks"], Name: "Kiosks"}
	s := jamf.Scope{ComputerGroups: r.ComputerGroups, Exclusions: jamf.Exclusions{ComputerGroups: []jamf.Ref{kiosks}}}
	for range 2 {
		if err := f.Prefetch(t.Context(), s, s); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := sim.Count("GET", memberPath("Pilot")), sim.Count("GET", memberPath("Kiosks")); a != 1 || b != 1 {
		t.Errorf("members read Pilot %d, Kiosks %d times; want once each", a, b)
	}
	err = f.Prefetch(t.Context(), jamf.Scope{ComputerGroups: []jamf.Ref{{ID: 999, Name: "Gone"}}})
	if err == nil || !strings.Contains(err.Error(), `computer group "Gone" (id 999)`) {
		t.Errorf("Prefetch of a missing group: err = %v, want it to name the group", err)
	}
}
