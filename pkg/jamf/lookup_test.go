package jamf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/safedecode"
)

func TestRSQLQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HQ", `"HQ"`},
		{`Jane's "Mac"`, `"Jane's \"Mac\""`},
		{`C:\path`, `"C:\\path"`},
		{"a;b,c(d)=e!=f", `"a;b,c(d)=e!=f"`},
		{"", `""`},
		{"Zürich ✓", `"Zürich ✓"`},
	}
	for _, tt := range tests {
		if got := RSQLQuote(tt.in); got != tt.want {
			t.Errorf("RSQLQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if back, ok := rsqlUnquote(RSQLQuote(tt.in)); !ok || back != tt.in {
			t.Errorf("unquote(RSQLQuote(%q)) = %q, %v", tt.in, back, ok)
		}
	}
	if got, want := RSQLEqual("general.name", `a"b`), `general.name=="a\"b"`; got != want {
		t.Errorf("RSQLEqual = %s, want %s", got, want)
	}
	if got, want := RSQLIn("udid", []string{"x", "y"}), `udid=in=("x","y")`; got != want {
		t.Errorf("RSQLIn = %s, want %s", got, want)
	}
	if got := RSQLIn("udid", nil); got != "" {
		t.Errorf("RSQLIn(nil) = %q, want empty", got)
	}
	if got, want := RSQLOr(RSQLEqual("a", "1"), "", RSQLEqual("b", "2")), `(a=="1"),(b=="2")`; got != want {
		t.Errorf("RSQLOr = %s, want %s", got, want)
	}
	if got, want := RSQLOr(RSQLEqual("a", "1")), `a=="1"`; got != want {
		t.Errorf("RSQLOr one = %s, want %s", got, want)
	}
}

// rsqlUnquote reads one quoted RSQL argument the way the server's parser does.
func rsqlUnquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	var b strings.Builder
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
			if i == len(body) {
				return "", false
			}
		case '"':
			return "", false // an unescaped quote ends the argument early
		}
		b.WriteByte(body[i])
	}
	return b.String(), true
}

func FuzzRSQLQuote(f *testing.F) {
	for _, s := range []string{"", `"`, `\`, `a\"b`, "x;y", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		back, ok := rsqlUnquote(RSQLQuote(s))
		if !ok || back != s {
			t.Fatalf("%q quoted as %s reads back as %q (ok=%v)", s, RSQLQuote(s), back, ok)
		}
	})
}

// pagedHandler serves items in pages, checking page and page-size.
func pagedHandler[T any](items []T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pg, err1 := strconv.Atoi(r.URL.Query().Get("page"))
		size, err2 := strconv.Atoi(r.URL.Query().Get("page-size"))
		if err1 != nil || err2 != nil || size < 1 || size > 2000 {
			writeJSON(w, 400, `{"httpStatus":400,"errors":[{"code":"INVALID_FIELD","field":"page-size","description":"bad paging"}]}`)
			return
		}
		lo := min(pg*size, len(items))
		hi := min(lo+size, len(items))
		writeJSON(w, 200, mustJSONString(struct {
			TotalCount int `json:"totalCount"`
			Results    []T `json:"results"`
		}{len(items), items[lo:hi]}))
	}
}

func TestBuildingsPaged(t *testing.T) {
	f := newFakeJamf(t)
	var all []Building
	for i := range 1234 {
		all = append(all, Building{ID: strconv.Itoa(i + 1), Name: fmt.Sprintf("B%04d", i+1)})
	}
	f.handle("GET "+buildingsPath, pagedHandler(all))
	c := f.client(t)
	got, err := c.Buildings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(all, got); diff != "" {
		t.Errorf("buildings (-want +got):\n%s", diff)
	}
	if n := f.count("GET " + buildingsPath); n != 3 {
		t.Errorf("pages fetched = %d, want 3 (1234 at 500 per page)", n)
	}
}

func TestPagingStopsOnLyingTotal(t *testing.T) {
	f := newFakeJamf(t)
	f.handle("GET "+departmentsPath, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "0" {
			writeJSON(w, 200, `{"totalCount":100000,"results":[{"id":"1","name":"Finance"}]}`)
			return
		}
		writeJSON(w, 200, `{"totalCount":100000,"results":[]}`)
	})
	c := f.client(t)
	got, err := c.Departments(t.Context())
	if !errors.Is(err, ErrWrongDocument) {
		t.Errorf("err = %v, want ErrWrongDocument (a listing shorter than its totalCount)", err)
	}
	// Page 0 is short of its page-size before the last page: refused
	// before the other pages are asked for.
	if len(got) != 0 || f.count("GET "+departmentsPath) != 1 {
		t.Errorf("got %d departments in %d calls, want none in 1", len(got), f.count("GET "+departmentsPath))
	}
}

func TestComputerGroupsFixture(t *testing.T) {
	f := newFakeJamf(t)
	f.handle("GET "+computerGroups, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, string(readTestdata(t, "computer_groups.json")))
	})
	got, err := f.client(t).ComputerGroups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[2] != (ComputerGroup{ID: "9", Name: "Kiosks & Labs", Smart: true}) {
		t.Errorf("groups = %+v", got)
	}
}

func TestInventoryVersionSelection(t *testing.T) {
	tests := []struct {
		version  string
		serves   []int       // inventory versions the server has
		wantHits map[int]int // over two calls
		// probeMayStop: the v4 hits may also be one fewer
		probeMayStop bool
	}{
		// The first call asks v4 together with the version; an older
		// server answers that probe 404 and is read at its own version.
		// The probe is stopped once the version is known, so when the
		// version is quicker it never reaches the server (v4: 1 or 0).
		{version: "11.30.0-t1727000000", serves: []int{1, 2, 3, 4}, wantHits: map[int]int{4: 2}},
		{version: "11.29.1-t1720000000", serves: []int{1, 2, 3}, wantHits: map[int]int{4: 1, 1: 2}, probeMayStop: true},
		{version: "10.48.0", serves: []int{1}, wantHits: map[int]int{4: 1, 1: 2}, probeMayStop: true},
		{version: "12.0.0", serves: []int{1, 2, 3}, wantHits: map[int]int{4: 1, 3: 2}}, // 404 steps down, then remembered
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			f := newFakeJamf(t)
			f.handle("GET "+versionPath, func(w http.ResponseWriter, _ *http.Request) {
				writeJSON(w, 200, `{"version":"`+tt.version+`"}`)
			})
			for v := 1; v <= 4; v++ {
				served := false
				for _, s := range tt.serves {
					served = served || s == v
				}
				f.handle("GET "+inventoryPathFor(v), func(w http.ResponseWriter, r *http.Request) {
					if !served {
						writeJSON(w, 404, `{"httpStatus":404,"errors":[]}`)
						return
					}
					writeJSON(w, 200, string(readTestdata(t, "inventory_page.json")))
				})
			}
			c := f.client(t)
			for range 2 { // the second call uses the remembered version
				got, err := c.ComputersInventory(t.Context(), InventoryQuery{})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 2 {
					t.Fatalf("got %d computers, want 2", len(got))
				}
			}
			for v := 1; v <= 4; v++ {
				got := f.count("GET " + inventoryPathFor(v))
				if v == 4 && tt.probeMayStop && got == tt.wantHits[v]-1 {
					continue
				}
				if got != tt.wantHits[v] {
					t.Errorf("v%d hits = %d, want %d", v, got, tt.wantHits[v])
				}
			}
			if n := f.count("GET " + versionPath); n != 1 {
				t.Errorf("version fetched %d times, want 1", n)
			}
		})
	}
}

func TestInventoryFixtureAndQuery(t *testing.T) {
	f := newFakeJamf(t)
	var query map[string][]string
	f.handle("GET "+versionPath, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"version":"11.30.0"}`) })
	f.handle("GET "+inventoryPathFor(4), func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.Query()
		writeJSON(w, 200, string(readTestdata(t, "inventory_page.json")))
	})
	c := f.client(t)
	filter := RSQLIn("udid", []string{"5A2F0C1E-6B7D-4C8E-9F01-23456789ABCD", `odd"udid`})
	got, err := c.ComputersInventory(t.Context(), InventoryQuery{
		Sections: []Section{SectionGeneral, SectionConfigurationProfiles, SectionCertificates},
		Filter:   filter,
		PageSize: 5000,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantQuery := map[string][]string{
		"section":   {"GENERAL", "CONFIGURATION_PROFILES", "CERTIFICATES"},
		"filter":    {filter},
		"page":      {"0"},
		"page-size": {"2000"},
		"sort":      {"id:asc"},
	}
	if diff := cmp.Diff(wantQuery, query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	mac := got[0]
	if mac.General.Name != "MBP-0003" || mac.Hardware.SerialNumber != "C02XK1Y2JGH5" || mac.General.ManagementID != "73226fb6-61df-4c10-9552-eb9bc353d507" {
		t.Errorf("general/hardware = %+v %+v", mac.General, mac.Hardware)
	}
	if !mac.General.LastContact.Equal(time.Date(2026, 11, 30, 8, 55, 2, 118e6, time.UTC)) {
		t.Errorf("lastContact = %v", mac.General.LastContact)
	}
	if !mac.General.LastCheckIn.Equal(time.Date(2026, 11, 30, 8, 40, 0, 0, time.UTC)) {
		t.Errorf("lastCheckIn = %v", mac.General.LastCheckIn)
	}
	if len(mac.ConfigurationProfiles) != 1 || mac.ConfigurationProfiles[0].ProfileIdentifier != "1F0C3B6E-8D7A-4E59-9C2B-5A1D7E3F9B20" {
		t.Errorf("profiles = %+v", mac.ConfigurationProfiles)
	}
	cert := mac.Certificates[0]
	if !cert.Identity || cert.CertificateStatus != "ISSUED" || !cert.ExpirationDate.Equal(time.Date(2027, 11, 30, 8, 55, 31, 0, time.UTC)) {
		t.Errorf("certificate = %+v", cert)
	}
	if !got[1].General.LastContact.IsZero() || got[1].UserAndLocation.Email != "" {
		t.Errorf("nulls not zero: %+v", got[1])
	}
}

func TestProfileCommandsFixture(t *testing.T) {
	f := newFakeJamf(t)
	var filter, size string
	f.handle("GET "+mdmCommandsPath, func(w http.ResponseWriter, r *http.Request) {
		filter, size = r.URL.Query().Get("filter"), r.URL.Query().Get("page-size")
		writeJSON(w, 200, string(readTestdata(t, "mdm_commands_page.json")))
	})
	got, err := f.client(t).ProfileCommands(t.Context(), 12)
	if err != nil {
		t.Fatal(err)
	}
	// Installs of the profile only, filtered by Jamf, at the largest page.
	if filter != "profileId==12;command==INSTALL_PROFILE" || size != "2000" {
		t.Errorf("filter = %q, page-size %s; want profileId==12;command==INSTALL_PROFILE, 2000", filter, size)
	}
	if len(got) != 2 || got[0].CommandState != "ACKNOWLEDGED" || got[1].Client.ManagementID != "1d5e2a40-3f0b-4b8e-9c7a-2c1d9e8f7a6b" || got[0].ProfileID != 12 {
		t.Errorf("commands = %+v", got)
	}
}

func TestTimestamp(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{`"2026-11-30T08:55:02.118Z"`, time.Date(2026, 11, 30, 8, 55, 2, 118e6, time.UTC), false},
		{`"2026-11-30T08:55:02+01:00"`, time.Date(2026, 11, 30, 7, 55, 2, 0, time.UTC), false},
		{`"2026-11-30T08:55:02"`, time.Date(2026, 11, 30, 8, 55, 2, 0, time.UTC), false},
		{`"2026-11-30"`, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), false},
		{`null`, time.Time{}, false},
		{`""`, time.Time{}, false},
		{`"yesterday"`, time.Time{}, true},
		{`42`, time.Time{}, true},
	}
	for _, tt := range tests {
		var ts Timestamp
		err := json.Unmarshal([]byte(tt.in), &ts)
		if (err != nil) != tt.wantErr || !ts.Equal(tt.want) {
			t.Errorf("%s: got %v, %v; want %v, err=%v", tt.in, ts.Time, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in           string
		major, minor int
		ok           bool
	}{
		{"11.30.0-t1727000000", 11, 30, true},
		{"10.48.0", 10, 48, true},
		{"11.4", 11, 4, true},
		{"11.5-beta", 11, 5, true},
		{"banana", 0, 0, false},
	}
	for _, tt := range tests {
		major, minor, ok := parseVersion(tt.in)
		if major != tt.major || minor != tt.minor || ok != tt.ok {
			t.Errorf("parseVersion(%q) = %d, %d, %v", tt.in, major, minor, ok)
		}
	}
}

func testDirectory() *Directory {
	return &Directory{
		ComputerGroups: []ComputerGroup{{ID: "5", Name: "Okta pilot"}, {ID: "11", Name: "Engineering"}, {ID: "12", Name: "Engineering"}, {ID: "9", Name: "Kiosks & Labs"}, {ID: "21", Name: "lab"}, {ID: "22", Name: "LAB"}},
		Buildings:      []Building{{ID: "1", Name: "HQ"}, {ID: "2", Name: "Lisbon Office"}},
		Departments:    []Department{{ID: "2", Name: "Finance"}},
		Computers: []Computer{
			{ID: "3", UDID: "5A2F0C1E-6B7D-4C8E-9F01-23456789ABCD", General: ComputerGeneral{Name: "MBP-0003"}, Hardware: ComputerHardware{SerialNumber: "C02XK1Y2JGH5"}},
			{ID: "4", UDID: "0B6E7E2A-1C3D-4E5F-8A9B-0C1D2E3F4A5B", General: ComputerGeneral{Name: "iMac-Lab-01"}, Hardware: ComputerHardware{SerialNumber: "D25XK9Z1PN7Q"}},
			{ID: "7", General: ComputerGeneral{Name: "Shared-Mac"}, Hardware: ComputerHardware{SerialNumber: "S1"}},
			{ID: "8", General: ComputerGeneral{Name: "Shared-Mac"}, Hardware: ComputerHardware{SerialNumber: "S2"}},
		},
	}
}

func TestDirectoryResolve(t *testing.T) {
	got, err := testDirectory().Resolve(Names{
		Computers:      []string{"MBP-0003", "d25xk9z1pn7q", "0b6e7e2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b", "S2"},
		ComputerGroups: []string{"Kiosks & Labs", " Okta pilot ", "okta PILOT", "lab", "LAB"},
		Buildings:      []string{"HQ"},
		Departments:    []string{"Finance"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Resolved{
		Computers:      []Ref{{3, "MBP-0003"}, {4, "iMac-Lab-01"}, {4, "iMac-Lab-01"}, {8, "Shared-Mac"}},
		ComputerGroups: []Ref{{9, "Kiosks & Labs"}, {5, "Okta pilot"}, {5, "Okta pilot"}, {21, "lab"}, {22, "LAB"}},
		Buildings:      []Ref{{1, "HQ"}},
		Departments:    []Ref{{2, "Finance"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resolved (-want +got):\n%s", diff)
	}
}

func TestDirectoryResolveReportsEveryProblem(t *testing.T) {
	_, err := testDirectory().Resolve(Names{
		Computers:      []string{"Shared-Mac", "MBP-003"},
		ComputerGroups: []string{"Engineering", "Lab", "Nothing Like It"},
		Buildings:      []string{"Lisbon"},
	})
	var uerr *UnresolvedError
	if !errors.As(err, &uerr) {
		t.Fatalf("err = %v, want *UnresolvedError", err)
	}
	want := []NameProblem{
		{Kind: KindComputerGroup, Name: "Engineering", Reason: "ambiguous", IDs: []string{"11", "12"}},
		{Kind: KindComputerGroup, Name: "Lab", Reason: "ambiguous", IDs: []string{"21", "22"}, IgnoringCase: true},
		{Kind: KindComputerGroup, Name: "Nothing Like It", Reason: "not found"},
		{Kind: KindBuilding, Name: "Lisbon", Reason: "not found", Suggestions: []string{"Lisbon Office"}},
		{Kind: KindComputer, Name: "Shared-Mac", Reason: "ambiguous", IDs: []string{"7", "8"}},
		{Kind: KindComputer, Name: "MBP-003", Reason: "not found", Suggestions: []string{"MBP-0003"}},
	}
	if diff := cmp.Diff(want, uerr.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Error("errors.Is(err, ErrNotFound) = false")
	}
	for _, frag := range []string{`computer group "Lab" ambiguous ignoring case (ids 21, 22); rename all but one in Jamf Pro`, `computer "Shared-Mac" ambiguous (ids 7, 8); name it by serial number or UDID`} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("message lacks %q:\n%s", frag, err)
		}
	}
}

func TestResolveLoadsOnlyNeededKinds(t *testing.T) {
	f := newFakeJamf(t)
	f.handle("GET "+computerGroups, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, string(readTestdata(t, "computer_groups.json")))
	})
	f.handle("GET "+buildingsPath, pagedHandler([]Building{{ID: "1", Name: "HQ"}}))
	c := f.client(t)
	got, err := c.Resolve(t.Context(), Names{ComputerGroups: []string{"Okta pilot", "Kiosks & Labs"}, Buildings: []string{"HQ"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ComputerGroups) != 2 || got.Buildings[0].ID != 1 {
		t.Errorf("resolved = %+v", got)
	}
	if f.count("GET "+computerGroups) != 1 || f.count("GET "+buildingsPath) != 1 || f.count("GET "+departmentsPath) != 0 {
		t.Errorf("calls: %v", f.hits)
	}
}

func TestBoundedDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", 5, 3},
		{"", "abc", 5, 3},
		{"same", "same", 1, 0},
		{"abcdef", "uvwxyz", 2, 6}, // same length: the full distance
		{"ab", "abcdef", 2, 3},     // lengths differ by more than limit: limit+1
		{"zürich", "zurich", 2, 1},
	}
	for _, tt := range tests {
		if got := boundedDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("boundedDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

// TestGetJSONRefusesDeepAnswers pins item 5 of issue 13 for Jamf Pro API
// answers: a JSON answer nested past safedecode.JSONLimits is refused with
// the limit before it is decoded.
func TestGetJSONRefusesDeepAnswers(t *testing.T) {
	f := newFakeJamf(t)
	f.handle("GET api/v1/anything", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, strings.Repeat("[", 300)+strings.Repeat("]", 300))
	})
	var v []any
	err := f.client(t).getJSON(t.Context(), "api/v1/anything", &v)
	if !errors.Is(err, safedecode.ErrTooLarge) {
		t.Fatalf("err = %v, want safedecode.ErrTooLarge", err)
	}
}

// TestVersionOnceAcrossCallers: callers that ask for the version while its
// request is out share that request; a failed one is not remembered, and
// an inventory listing whose version request failed fails with it.
func TestVersionOnceAcrossCallers(t *testing.T) {
	f := newFakeJamf(t)
	var fail atomic.Bool
	fail.Store(true)
	f.handle("GET "+versionPath, func(w http.ResponseWriter, _ *http.Request) {
		if fail.Load() {
			writeJSON(w, 403, `{"httpStatus":403,"errors":[]}`)
			return
		}
		writeJSON(w, 200, `{"version":"11.29.1-t1720000000"}`)
	})
	for v := 1; v <= 4; v++ {
		f.handle("GET "+inventoryPathFor(v), func(w http.ResponseWriter, _ *http.Request) {
			if v == 4 {
				writeJSON(w, 404, `{"httpStatus":404,"errors":[]}`)
				return
			}
			writeJSON(w, 200, string(readTestdata(t, "inventory_page.json")))
		})
	}
	c := f.client(t)

	// A failed version request fails the listing that waited for it.
	if _, err := c.ComputersInventory(t.Context(), InventoryQuery{}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("inventory with a refused version request: err = %v, want ErrForbidden", err)
	}
	if n := f.count("GET " + versionPath); n != 1 {
		t.Fatalf("version fetched %d times, want 1", n)
	}

	// Retried by the next callers, and fetched once for all of them.
	fail.Store(false)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			if i%2 == 0 {
				_, errs[i] = c.Version(t.Context())
				return
			}
			_, errs[i] = c.ComputersInventory(t.Context(), InventoryQuery{})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET " + versionPath); n != 2 {
		t.Errorf("version fetched %d times in all, want 2 (the refused one and one for eight callers)", n)
	}
	if n := f.count("GET " + inventoryPathFor(1)); n != 4 {
		t.Errorf("v1 listed %d times, want 4 (one per listing)", n)
	}
}

// TestVersionCallersLeaveAlone: a caller of Version whose ctx ends gets
// its own error at once and does not end the request for the others; when
// every caller has left, the request is stopped and the next caller sends
// a new one.
func TestVersionCallersLeaveAlone(t *testing.T) {
	f := newFakeJamf(t)
	arrived := make(chan struct{}, 4)
	stopped := make(chan struct{}, 4)
	release := make(chan struct{})
	f.handle("GET "+versionPath, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
			writeJSON(w, 200, `{"version":"11.30.1-t1727000000"}`)
		case <-r.Context().Done():
			stopped <- struct{}{}
		}
	})
	c := f.client(t)
	waiters := func() int {
		c.versionMu.Lock()
		defer c.versionMu.Unlock()
		if c.versionFlight == nil {
			return 0
		}
		return c.versionFlight.waiters
	}
	ask := func(ctx context.Context) <-chan error {
		done := make(chan error, 1)
		go func() {
			_, err := c.Version(ctx)
			done <- err
		}()
		return done
	}

	// Every caller leaves: the request is stopped.
	ctx, cancel := context.WithCancel(t.Context())
	first := ask(ctx)
	<-arrived
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("caller that left: err = %v, want context.Canceled", err)
	}
	<-stopped // without the stop, this waits forever

	// The caller that started the request leaves; the other still gets
	// the answer, from the same request.
	ctx, cancel = context.WithCancel(t.Context())
	starter := ask(ctx)
	<-arrived
	other := ask(t.Context())
	for waiters() != 2 {
		runtime.Gosched()
	}
	cancel()
	if err := <-starter; !errors.Is(err, context.Canceled) {
		t.Fatalf("starter that left: err = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-other; err != nil {
		t.Fatalf("caller still waiting: %v", err)
	}
	if v, err := c.Version(t.Context()); err != nil || v != "11.30.1-t1727000000" {
		t.Fatalf("Version = %q, %v; want the answer remembered", v, err)
	}
	if n := f.count("GET " + versionPath); n != 2 {
		t.Errorf("version requested %d times, want 2 (the stopped one, the shared one)", n)
	}
}
