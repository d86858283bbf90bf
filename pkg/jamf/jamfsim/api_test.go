package jamfsim

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestVersionAndInventoryVersions(t *testing.T) {
	tests := []struct {
		version string
		wantV4  int
	}{
		{"11.30.1-t1750000000", 200},
		{"11.29.0-t1740000000", 404},
		{"10.50.0", 404},
		{"12.0.0", 200},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			s := newTestServer(t, Options{Version: tt.version})
			c := newClient(t, s)
			var v map[string]string
			c.getJSON("api/v1/jamf-pro-version", &v)
			if v["version"] != tt.version {
				t.Errorf("version = %q, want %q", v["version"], tt.version)
			}
			for ver := 1; ver <= 3; ver++ {
				if st, _ := c.do(http.MethodGet, "api/v"+strconv.Itoa(ver)+"/computers-inventory", ""); st != 200 {
					t.Errorf("v%d: status %d, want 200", ver, st)
				}
			}
			if st, _ := c.do(http.MethodGet, "api/v4/computers-inventory", ""); st != tt.wantV4 {
				t.Errorf("v4: status %d, want %d", st, tt.wantV4)
			}
		})
	}
}

func TestBuildingsAndDepartments(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SeedFleet(10, 1)
	c := newClient(t, s)
	tests := []struct {
		path  string
		total int
		names []string
	}{
		{"api/v1/buildings", 4, []string{"HQ", "Berlin Office", "Remote", "Warehouse & Logistics"}},
		{"api/v1/buildings?page=1&page-size=3", 4, []string{"Warehouse & Logistics"}},
		{"api/v1/buildings?page=5&page-size=3", 4, []string{}},
		{"api/v1/buildings?sort=name:desc", 4, []string{"Warehouse & Logistics", "Remote", "HQ", "Berlin Office"}},
		{"api/v1/buildings?filter=" + url.QueryEscape(`name=="hq"`), 1, []string{"HQ"}},
		{"api/v1/buildings?filter=" + url.QueryEscape(`name=="Warehouse & Logistics"`), 1, []string{"Warehouse & Logistics"}},
		{"api/v1/buildings?filter=" + url.QueryEscape(`name=in=("HQ","Remote")`), 2, []string{"HQ", "Remote"}},
		{"api/v1/buildings?filter=" + url.QueryEscape(`name!="HQ";name!=Remote`), 2, []string{"Berlin Office", "Warehouse & Logistics"}},
		{"api/v1/buildings?filter=" + url.QueryEscape(`name==B*`), 1, []string{"Berlin Office"}},
		{"api/v1/departments?filter=" + url.QueryEscape(`name=="R&D",name==IT`), 2, []string{"IT", "R&D"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var got pageOf[jsonNamed]
			c.getJSON(tt.path, &got)
			names := []string{}
			for _, r := range got.Results {
				names = append(names, r.Name)
			}
			if got.TotalCount != tt.total {
				t.Errorf("totalCount = %d, want %d", got.TotalCount, tt.total)
			}
			if diff := cmp.Diff(tt.names, names); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListingBadRequests(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	for _, q := range []string{
		"page=-1", "page=x", "page-size=0", "page-size=2001",
		"sort=city:asc", "sort=name:sideways",
		"filter=" + url.QueryEscape(`name=like="x"`),
		"filter=" + url.QueryEscape(`city=="Berlin"`),
		"filter=" + url.QueryEscape(`name=="unterminated`),
		"filter=" + url.QueryEscape(`(name==a`),
	} {
		if st, body := c.do(http.MethodGet, "api/v1/buildings?"+q, ""); st != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400 (body %s)", q, st, body)
		}
	}
	if st, _ := c.do(http.MethodGet, "api/v1/computers-inventory?section=APPLICATIONS", ""); st != http.StatusBadRequest {
		t.Errorf("unsupported section: status %d, want 400", st)
	}
}

func TestComputerGroups(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SeedFleet(60, 1)
	c := newClient(t, s)
	var all []jsonGroupV1
	c.getJSON("api/v1/computer-groups", &all)
	if len(all) != 1+3+5 || all[0] != (jsonGroupV1{ID: "1", Name: FleetPilotGroup}) || !all[len(all)-1].SmartGroup {
		t.Errorf("v1 groups = %+v", all)
	}
	var static pageOf[jsonStaticGroup]
	c.getJSON("api/v3/computer-groups/static-groups?page-size=2&filter="+url.QueryEscape(`name=="Group-00*"`), &static)
	want := pageOf[jsonStaticGroup]{TotalCount: 3, Results: []jsonStaticGroup{{ID: "2", Name: "Group-001", Count: 20}, {ID: "3", Name: "Group-002", Count: 20}}}
	if diff := cmp.Diff(want, static); diff != "" {
		t.Errorf("static groups mismatch (-want +got):\n%s", diff)
	}
	var smart pageOf[jsonSmartGroup]
	c.getJSON("api/v3/computer-groups/smart-groups?filter="+url.QueryEscape(`name=="Smart: Sales"`), &smart)
	if smart.TotalCount != 1 || smart.Results[0].MembershipCount != 12 {
		t.Errorf("smart groups = %+v, want Sales with 12 members", smart)
	}
}

func TestInventory(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SeedFleet(20, 3)
	umlaut, _ := s.ComputerID(FleetUmlautName)
	c0, _ := s.Computer(umlaut)
	exp := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	s.AddCertificate(umlaut, Certificate{CommonName: "MAC ma X", SubjectName: "CN=MAC ma X", Identity: true, ExpirationDate: exp})
	pid := s.AddProfile(Profile{Name: "Okta SCEP", Payloads: scepPlist})
	if !s.InstallProfile(umlaut, pid) {
		t.Fatal("InstallProfile failed")
	}
	c := newClient(t, s)

	var got pageOf[jsonInventory]
	c.getJSON("api/v4/computers-inventory?section=GENERAL&section=HARDWARE,CERTIFICATES&section=CONFIGURATION_PROFILES&filter="+
		url.QueryEscape(`general.name=="`+FleetUmlautName+`"`), &got)
	if got.TotalCount != 1 {
		t.Fatalf("totalCount = %d, want 1", got.TotalCount)
	}
	inv := got.Results[0]
	if inv.General == nil || inv.General.Name != FleetUmlautName || inv.Hardware == nil || inv.Hardware.SerialNumber != c0.Serial || inv.UserAndLocation != nil {
		t.Errorf("sections = %+v", inv)
	}
	wantCert := []jsonCertificate{{CommonName: "MAC ma X", SubjectName: "CN=MAC ma X", Identity: true, ExpirationDate: jsonTime(exp), LifecycleStatus: "ACTIVE", CertificateStatus: "ISSUED"}}
	if diff := cmp.Diff(&wantCert, inv.Certificates); diff != "" {
		t.Errorf("certificates mismatch (-want +got):\n%s", diff)
	}
	if ps := *inv.ConfigurationProfiles; len(ps) != 1 || ps[0].ID != strconv.Itoa(pid) || ps[0].ProfileIdentifier != "AAAAAAAA-0000-4000-8000-000000000001" {
		t.Errorf("configuration profiles = %+v", ps)
	}

	for _, f := range []string{
		`udid=="` + c0.UDID + `"`,
		`hardware.serialNumber=="` + c0.Serial + `"`,
		`general.name=in=(MAC-0001,"` + FleetUmlautName + `")`,
	} {
		var page pageOf[jsonInventory]
		c.getJSON("api/v1/computers-inventory?filter="+url.QueryEscape(f), &page)
		found := false
		for _, r := range page.Results {
			found = found || r.ID == strconv.Itoa(umlaut)
		}
		if !found {
			t.Errorf("filter %s did not find the computer: %+v", f, page)
		}
	}

	// Paging walks every computer exactly once in name order.
	seen := map[string]bool{}
	var prev string
	for page := 0; ; page++ {
		var p pageOf[jsonInventory]
		c.getJSON("api/v3/computers-inventory?page-size=7&page="+strconv.Itoa(page), &p)
		if len(p.Results) == 0 {
			break
		}
		for _, r := range p.Results {
			if seen[r.ID] || r.General.Name < prev {
				t.Errorf("page %d: %s repeated or out of order", page, r.General.Name)
			}
			seen[r.ID], prev = true, r.General.Name
		}
	}
	if len(seen) != 20 {
		t.Errorf("paging saw %d computers, want 20", len(seen))
	}
}

func TestMDMCommands(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SeedFleet(3, 1)
	pid := s.AddProfile(Profile{Name: "p"})
	for i, st := range []string{CommandPending, CommandAcknowledged, CommandNotNow} {
		if _, err := s.AddMDMCommand(MDMCommand{ComputerID: i + 1, ProfileID: pid, State: st}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddMDMCommand(MDMCommand{ComputerID: 1, ProfileID: pid, State: CommandError, ErrorText: "The SCEP server returned an invalid response."}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMDMCommand(MDMCommand{ComputerID: 99}); err == nil {
		t.Error("AddMDMCommand accepted an unknown computer")
	}
	if _, err := s.AddMDMCommand(MDMCommand{ComputerID: 2, Type: "DEVICE_LOCK"}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	m1, _ := s.Computer(1)

	var all pageOf[jsonCommand]
	c.getJSON("api/v2/mdm/commands?filter="+url.QueryEscape("profileId=="+strconv.Itoa(pid)), &all)
	if all.TotalCount != 4 {
		t.Errorf("by profile: %d commands, want 4", all.TotalCount)
	}
	var mine pageOf[jsonCommand]
	c.getJSON("api/v2/mdm/commands?filter="+url.QueryEscape("clientManagementId=="+m1.ManagementID), &mine)
	if mine.TotalCount != 2 || mine.Results[1].CommandState != CommandError || mine.Results[1].CommandError == nil || mine.Results[1].CommandError.ErrorEnglishDescription != "The SCEP server returned an invalid response." {
		t.Errorf("by management id: %+v", mine)
	}
	if mine.Results[0].Client != (jsonCommandClient{ManagementID: m1.ManagementID, ClientType: "COMPUTER"}) || *mine.Results[0].ProfileID != pid {
		t.Errorf("command fields: %+v", mine.Results[0])
	}
}

func TestObserve(t *testing.T) {
	type seen struct {
		path   string
		status int
		body   string
	}
	var mu sync.Mutex
	var got []seen
	s := newTestServer(t, Options{Version: Version11_29, Observe: func(r *http.Request, status int, _ http.Header, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, seen{r.URL.Path, status, string(body)})
	}})
	c := newClient(t, s)
	c.getJSON("api/v1/jamf-pro-version", new(map[string]string))
	st, _ := c.do(http.MethodGet, "api/v4/computers-inventory", "")
	if st != http.StatusNotFound {
		t.Errorf("v4 inventory on 11.29: status %d, want 404", st)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []seen{
		{"/jamf/api/v1/jamf-pro-version", 200, `{"version":"` + Version11_29 + `"}`},
		{"/jamf/api/v4/computers-inventory", 404, ""},
	}
	// The token request comes first; compare what follows it, bodies of
	// errors aside.
	if len(got) < 3 {
		t.Fatalf("observed %d exchanges, want 3: %+v", len(got), got)
	}
	got = got[len(got)-2:]
	got[1].body = ""
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(seen{})); diff != "" {
		t.Errorf("observed (-want +got):\n%s", diff)
	}
}
