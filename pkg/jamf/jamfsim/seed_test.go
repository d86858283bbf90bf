package jamfsim

import (
	"net/http"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestSeedFleet(t *testing.T) {
	a := New(Options{})
	defer a.Close()
	b := New(Options{})
	defer b.Close()
	a.SeedFleet(100, 42)
	b.SeedFleet(100, 42)
	for id := 1; id <= 100; id++ {
		ca, _ := a.Computer(id)
		cb, _ := b.Computer(id)
		if diff := cmp.Diff(ca, cb); diff != "" {
			t.Fatalf("computer %d differs between equal seeds (-a +b):\n%s", id, diff)
		}
	}
	c2, _ := a.Computer(2)
	c3, _ := a.Computer(3)
	c4, _ := a.Computer(4)
	if c2.Name != FleetUmlautName || c3.Name != FleetLongName || utf8.RuneCountInString(c3.Name) != 49 || c4.Name != "MAC-0004" {
		t.Errorf("names: %q %q %q", c2.Name, c3.Name, c4.Name)
	}
	if len(c4.UDID) != 36 || len(c4.Serial) != 12 || c4.Email != "user0004@example.com" || c4.Building != "HQ" || c4.Department != "R&D" {
		t.Errorf("computer 4 = %+v", c4)
	}
	other := New(Options{})
	defer other.Close()
	other.SeedFleet(100, 43)
	if o4, _ := other.Computer(4); o4.UDID == c4.UDID {
		t.Error("different seeds gave the same UDID")
	}
	// Every name, UDID and serial is unique.
	seen := map[string]bool{}
	for id := 1; id <= 100; id++ {
		c, _ := a.Computer(id)
		for _, k := range []string{"n" + c.Name, "u" + c.UDID, "s" + c.Serial} {
			if seen[k] {
				t.Errorf("duplicate %s", k)
			}
			seen[k] = true
		}
	}
}

func TestSeedFleetLookups(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SeedFleet(1000, 1)
	c := newClient(t, s)
	var groups []jsonGroupV1
	c.getJSON("api/v1/computer-groups", &groups)
	if len(groups) != 1+50+5 {
		t.Errorf("%d groups, want 56", len(groups))
	}
	var inv pageOf[jsonInventory]
	c.getJSON("api/v1/computers-inventory?page-size=1&filter="+url.QueryEscape(`general.name=="`+FleetLongName+`"`), &inv)
	if inv.TotalCount != 1 {
		t.Errorf("long name lookup: %d results", inv.TotalCount)
	}
	id := s.AddProfile(Profile{Name: "all", Scope: Scope{AllComputers: true, Exclusions: Targets{ComputerGroups: []int{1}}}})
	if n := len(s.ScopedComputers(id)); n != 990 {
		t.Errorf("all computers less the pilot group: %d, want 990", n)
	}
	if st, _ := c.do(http.MethodGet, "api/v1/buildings", ""); st != 200 {
		t.Errorf("buildings: %d", st)
	}
}

func BenchmarkSeedFleet(b *testing.B) {
	for b.Loop() {
		s := &Server{opts: Options{}.withDefaults()}
		s.SeedFleet(10000, 1)
	}
}

func BenchmarkInventoryPage(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	s.SeedFleet(10000, 1)
	hc := s.Client()
	tok := benchToken(b, s)
	u := s.URL() + "api/v1/computers-inventory?section=GENERAL&section=HARDWARE&page-size=100&page=37"
	for b.Loop() {
		req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

func BenchmarkInventoryFilterByName(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	s.SeedFleet(10000, 1)
	hc := s.Client()
	tok := benchToken(b, s)
	u := s.URL() + "api/v4/computers-inventory?filter=" + url.QueryEscape(`general.name=="MAC-5000"`)
	for b.Loop() {
		req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
}

func benchToken(b *testing.B, s *Server) string {
	b.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	v, _ := s.issue("bench", true, AllPrivileges(), 1<<62)
	return v
}

func TestSeedingUnknownIDs(t *testing.T) {
	s := newTestServer(t, Options{})
	cid := s.AddComputer(Computer{Name: "m"})
	pid := s.AddProfile(Profile{Name: "p"})
	tests := []struct {
		name               string
		computer, profile  int
		wantInstall, wantC bool
	}{
		{"both known", cid, pid, true, true},
		{"unknown computer", 99, pid, false, false},
		{"unknown profile", cid, 99, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.InstallProfile(tt.computer, tt.profile); got != tt.wantInstall {
				t.Errorf("InstallProfile = %v, want %v", got, tt.wantInstall)
			}
			if got := s.AddCertificate(tt.computer, Certificate{CommonName: "x"}); got != tt.wantC {
				t.Errorf("AddCertificate = %v, want %v", got, tt.wantC)
			}
		})
	}
	if _, ok := s.Computer(99); ok {
		t.Error("Computer(99) found")
	}
	if _, ok := s.Profile(99); ok {
		t.Error("Profile(99) found")
	}
	if got := s.ScopedComputers(99); got != nil {
		t.Errorf("ScopedComputers(99) = %v", got)
	}
}

func TestQuirkString(t *testing.T) {
	tests := []struct {
		q    Quirk
		want string
	}{
		{0, "none"},
		{QuirkEntityDecode | QuirkReplicationLag, "EntityDecode|ReplicationLag"},
		{AllQuirks, "EntityDecode|PhantomArrays|ReplaceTopLevelIDs|Reserialize|RedeployWriteOnly|LenientXML|PartialPut|TrimNames|NameConflict|GatewaySubset|ReplicationLag|CaseInsensitiveNames|NonBMPNames"},
		{1 << 20, "Quirk(0x100000)"},
	}
	for _, tt := range tests {
		if got := tt.q.String(); got != tt.want {
			t.Errorf("Quirk(%#x).String() = %q, want %q", uint32(tt.q), got, tt.want)
		}
	}
	if utf8.RuneCountInString(FleetLongName) != 49 {
		t.Errorf("FleetLongName has %d characters, want 49", utf8.RuneCountInString(FleetLongName))
	}
}
