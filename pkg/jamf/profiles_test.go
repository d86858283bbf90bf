package jamf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/golden"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDecodeProfileFixture(t *testing.T) {
	var got Profile
	if err := xml.Unmarshal(readTestdata(t, "profile_get.xml"), &got); err != nil {
		t.Fatal(err)
	}
	want := Profile{
		General: General{
			ID: 12, Name: "Okta Device Access SCEP",
			Site:               &Ref{ID: -1, Name: "None"},
			Category:           &Ref{ID: 4, Name: "Security & Identity"},
			DistributionMethod: DistributionInstallAutomatically,
			Level:              LevelComputer,
			UUID:               "1F0C3B6E-8D7A-4E59-9C2B-5A1D7E3F9B20",
			RedeployOnUpdate:   RedeployNewlyAssigned,
		},
		Scope: Scope{
			Computers:      []Ref{{ID: 3, Name: "MBP-0003"}},
			ComputerGroups: []Ref{{ID: 5, Name: "Okta pilot"}},
			Departments:    []Ref{{ID: 2, Name: "Finance"}},
			Exclusions: Exclusions{
				ComputerGroups: []Ref{{ID: 9, Name: "Kiosks & Labs"}},
				Unmodelled: []RawElement{
					{Name: "users", Inner: "<user><name>jdoe</name></user>"},
					{Name: "user_groups"},
					{Name: "network_segments"},
					{Name: "ibeacons"},
					{Name: "jss_users"},
					{Name: "jss_user_groups"},
				},
			},
			Unmodelled: []RawElement{
				{Name: "all_jss_users", Inner: "false"},
				{Name: "jss_users"},
				{Name: "jss_user_groups"},
				{Name: "limitations", Inner: "<users/><user_groups/><network_segments/><ibeacons/><jss_users/><jss_user_groups/>"},
			},
		},
	}
	opts := []cmp.Option{cmpopts.IgnoreFields(Profile{}, "XMLName"), cmpopts.IgnoreFields(General{}, "Payloads"), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("decoded profile (-want +got):\n%s", diff)
	}
	for _, frag := range []string{"<?xml version=\"1.0\"", "<string>Example &amp; Co</string>", "<string>$COMPUTERNAME ma $UDID</string>", "</plist>"} {
		if !strings.Contains(got.General.Payloads, frag) {
			t.Errorf("payloads lacks %q", frag)
		}
	}
}

// testPlist has every character the wire form must carry: &, <, >, quotes,
// non-ASCII, a CDATA section (whose "]]>" must not end the wire CDATA) and a Subject of nested arrays with whitespace
// between them.
const testPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>PayloadDisplayName</key>
	<string>Okta &amp; "Device" Access &lt;SCEP&gt; Zürich ✓ ]]&gt; end</string>
	<key>Note</key>
	<string><![CDATA[a CDATA section: x < y & z]]></string>
	<key>Blank</key>
	<string>  two spaces  </string>
	<key>Subject</key>
	<array>
		<array>
			<array>
				<string>CN</string>
				<string>$COMPUTERNAME ma $UDID</string>
			</array>
		</array>
		<array>
			<array>
				<string>O</string>
				<string>Example &amp; Co</string>
			</array>
		</array>
	</array>
	<key>Empty</key>
	<array/>
</dict>
</plist>
`

func testProfile() *Profile {
	return &Profile{
		General: General{
			Name:               "Okta Device Access SCEP",
			Description:        "Client certificate for Okta Device Access & Desktop MFA",
			Site:               &Ref{ID: -1},
			Category:           &Ref{ID: 4, Name: "Security & Identity"},
			DistributionMethod: DistributionInstallAutomatically,
			Level:              LevelComputer,
			Payloads:           testPlist,
		},
		Scope: Scope{
			ComputerGroups: []Ref{{ID: 5, Name: "Okta pilot"}},
			Buildings:      []Ref{{ID: 1, Name: "HQ"}},
			Exclusions:     Exclusions{ComputerGroups: []Ref{{ID: 9, Name: "Kiosks & Labs"}}},
		},
	}
}

func TestMarshalProfileGolden(t *testing.T) {
	tests := []struct {
		golden string
		v      any
	}{
		{"profile_create.golden.xml", testProfile()},
		{"update_general.golden.xml", updateWire{General: &testProfile().General}},
		{"update_scope.golden.xml", updateWire{Scope: &testProfile().Scope}},
		{"update_empty_scope.golden.xml", updateWire{Scope: &Scope{}}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			b, err := marshalXML(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(tt.golden, "general") || strings.Contains(tt.golden, "create") {
				if n := payloadsSections(t, b); n != 1 {
					t.Errorf("<payloads> holds %d text sections, want exactly 1 CDATA section", n)
				}
			}
			golden.Assert(t, tt.golden, b)
		})
	}
}

// payloadsSections counts the text tokens (CDATA sections or runs of text)
// directly inside <payloads>.
func payloadsSections(t *testing.T, body []byte) int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	in, n := false, 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			in = tok.Name.Local == "payloads"
		case xml.EndElement:
			in = false
		case xml.CharData:
			if in {
				n++
			}
		}
	}
}

// classicServer models the Classic profile endpoints with the PI-827 extra
// decode on <payloads>, 409 on a bare "&" and on a duplicate name, 201
// write answers and normally escaped GETs.
type classicServer struct {
	mu       sync.Mutex
	profiles map[int]*Profile
	next     int
	bodies   []string // raw write bodies
}

func newClassicServer(f *fakeJamf) *classicServer {
	s := &classicServer{profiles: map[int]*Profile{}, next: 1}
	f.handle("GET "+profilesPath, s.list)
	f.handle("GET "+profilesPath+"/id/{id}", s.get)
	f.handle("POST "+profilesPath+"/id/{id}", s.write)
	f.handle("PUT "+profilesPath+"/id/{id}", s.write)
	f.handle("DELETE "+profilesPath+"/id/{id}", s.remove)
	return s
}

func classicError(w http.ResponseWriter, status int, msg string) {
	writeXML(w, status, "<html><head><title>Status page</title></head><body><p>"+http.StatusText(status)+"</p><p>Error: "+msg+"</p></body></html>")
}

func (s *classicServer) list(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var v struct {
		XMLName  xml.Name         `xml:"os_x_configuration_profiles"`
		Size     int              `xml:"size"`
		Profiles []ProfileSummary `xml:"os_x_configuration_profile"`
	}
	for id := 1; id < s.next; id++ {
		if p, ok := s.profiles[id]; ok {
			v.Profiles = append(v.Profiles, ProfileSummary{ID: id, Name: p.General.Name})
		}
	}
	v.Size = len(v.Profiles)
	b, _ := xml.Marshal(v)
	writeXML(w, 200, string(b))
}

// getWire is the GET shape: payloads as ordinary escaped text.
type getWire struct {
	XMLName xml.Name `xml:"os_x_configuration_profile"`
	General struct {
		ID       int    `xml:"id"`
		Name     string `xml:"name"`
		Payloads string `xml:"payloads"`
	} `xml:"general"`
	Scope Scope `xml:"scope"`
}

func (s *classicServer) get(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	s.mu.Lock()
	p, ok := s.profiles[id]
	s.mu.Unlock()
	if !ok {
		classicError(w, 404, "The requested resource was not found")
		return
	}
	var g getWire
	g.General.ID, g.General.Name, g.General.Payloads, g.Scope = id, p.General.Name, p.General.Payloads, p.Scope
	b, err := xml.Marshal(g)
	if err != nil {
		classicError(w, 500, err.Error())
		return
	}
	writeXML(w, 200, xml.Header+string(b))
}

func (s *classicServer) write(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var in struct {
		General *struct {
			Name     string  `xml:"name"`
			Payloads *string `xml:"payloads"`
		} `xml:"general"`
		Scope *Scope `xml:"scope"`
	}
	if err := xml.Unmarshal(body, &in); err != nil {
		classicError(w, 400, "Problem with file")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies = append(s.bodies, string(body))
	id, _ := strconv.Atoi(r.PathValue("id"))
	p := &Profile{}
	if r.Method == http.MethodPost {
		for _, q := range s.profiles {
			if in.General != nil && q.General.Name == strings.TrimSpace(in.General.Name) {
				classicError(w, 409, "Duplicate name")
				return
			}
		}
		id = s.next
		s.next++
	} else if q, ok := s.profiles[id]; ok {
		cp := *q
		p = &cp
	} else {
		classicError(w, 404, "The requested resource was not found")
		return
	}
	if in.General != nil {
		p.General.Name = strings.TrimSpace(in.General.Name)
		if in.General.Payloads != nil {
			decoded := ServerDecodePayloads(*in.General.Payloads)
			var probe struct{}
			if err := xml.Unmarshal([]byte(decoded), &probe); err != nil {
				classicError(w, 409, "Unable to update the database")
				return
			}
			p.General.Payloads = decoded
		}
	}
	if in.Scope != nil {
		p.Scope = *in.Scope
	}
	s.profiles[id] = p
	writeXML(w, 201, `<?xml version="1.0" encoding="UTF-8"?><os_x_configuration_profile><id>`+strconv.Itoa(id)+`</id></os_x_configuration_profile>`)
}

func (s *classicServer) remove(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.profiles[id]; !ok {
		classicError(w, 404, "The requested resource was not found")
		return
	}
	delete(s.profiles, id)
	writeXML(w, 200, `<os_x_configuration_profile><id>`+strconv.Itoa(id)+`</id></os_x_configuration_profile>`)
}

func TestProfileLifecycle(t *testing.T) {
	f := newFakeJamf(t)
	srv := newClassicServer(f)
	c := f.client(t)
	ctx := t.Context()

	id, err := c.CreateProfile(ctx, testProfile())
	if err != nil {
		t.Fatalf("CreateProfile: %v", err)
	}
	got, err := c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	wantPlist, err := CompactPlist(testPlist)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantPlist, got.General.Payloads); diff != "" {
		t.Errorf("stored plist differs from the compacted one sent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(testProfile().Scope, got.Scope, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("scope (-want +got):\n%s", diff)
	}

	// A second create with the same name is refused, and not retried.
	if _, err := c.CreateProfile(ctx, testProfile()); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate create: err = %v, want ErrConflict", err)
	}
	if n := f.count("POST " + profileIDPath(0)); n != 2 {
		t.Errorf("POSTs = %d, want 2 (no retry)", n)
	}

	// Scope-only update: no <general> sent, general left alone.
	newScope := Scope{AllComputers: false, Computers: []Ref{{ID: 3, Name: "MBP-0003"}}}
	if err := c.UpdateProfile(ctx, id, ProfileUpdate{Scope: &newScope}); err != nil {
		t.Fatal(err)
	}
	last := srv.bodies[len(srv.bodies)-1]
	if strings.Contains(last, "<general>") || !strings.Contains(last, "<scope>") {
		t.Errorf("scope-only PUT body = %s", last)
	}
	got, err = c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(newScope, got.Scope, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("scope after update (-want +got):\n%s", diff)
	}
	if got.General.Payloads != wantPlist {
		t.Error("scope-only update changed the payload")
	}

	// General-only update.
	g := got.General
	g.Name = "Okta Device Access SCEP (renamed)"
	if err := c.UpdateProfile(ctx, id, ProfileUpdate{General: &g}); err != nil {
		t.Fatal(err)
	}
	if last := srv.bodies[len(srv.bodies)-1]; strings.Contains(last, "<scope>") {
		t.Errorf("general-only PUT carried a scope: %s", last)
	}
	for key := range f.hits {
		if strings.Contains(key, "subset") {
			t.Errorf("client used a /subset/ path: %s", key)
		}
	}

	if err := c.DeleteProfile(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProfile(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("GET after delete: err = %v, want ErrNotFound", err)
	}
}

// TestPlainTextPayloadFailsOnServer shows why the wire form exists: the
// same plist sent as ordinary escaped text is refused by the PI-827 decode.
func TestPlainTextPayloadFailsOnServer(t *testing.T) {
	f := newFakeJamf(t)
	newClassicServer(f)
	c := f.client(t)
	var body bytes.Buffer
	body.WriteString("<os_x_configuration_profile><general><name>x</name><payloads>")
	if err := xml.EscapeText(&body, []byte(testPlist)); err != nil {
		t.Fatal(err)
	}
	body.WriteString("</payloads></general></os_x_configuration_profile>")
	_, err := c.do(t.Context(), request{method: "POST", path: profileIDPath(0), body: body.Bytes(), contentType: xmlType})
	var jerr *Error
	if !errors.As(err, &jerr) || jerr.StatusCode != 409 || jerr.Message != "Unable to update the database" {
		t.Fatalf("err = %v, want 409 Unable to update the database", err)
	}
}

func TestFindProfileByName(t *testing.T) {
	f := newFakeJamf(t)
	f.handle("GET "+profilesPath, func(w http.ResponseWriter, _ *http.Request) {
		writeXML(w, 200, string(readTestdata(t, "profiles_list.xml")))
	})
	f.handle("GET "+profileIDPath(20), func(w http.ResponseWriter, _ *http.Request) {
		writeXML(w, 200, `<os_x_configuration_profile><general><id>20</id><name>Security &amp; Privacy</name></general><scope/></os_x_configuration_profile>`)
	})
	f.handle("GET "+profileIDPath(3), func(w http.ResponseWriter, _ *http.Request) {
		writeXML(w, 200, `<os_x_configuration_profile><general><id>3</id><name>Wi-Fi</name></general><scope/></os_x_configuration_profile>`)
	})
	c := f.client(t)
	tests := []struct {
		name       string
		wantID     int
		wantErr    error
		wantIDs    []string
		wantFolded bool
		wantNear   []string // with wantErr ErrNotFound: the close names offered
	}{
		{name: "Security & Privacy", wantID: 20},
		{name: "  Security & Privacy ", wantID: 20},
		{name: "security & privacy", wantID: 20},                        // one case variant: found
		{name: "Wi-Fi", wantID: 3},                                      // exact wins over the case variant WI-FI
		{name: "wi-fi", wantIDs: []string{"3", "30"}, wantFolded: true}, // several case variants: ambiguous
		{name: "okta device access scep", wantIDs: []string{"12", "15"}, wantFolded: true},
		{name: "Okta Device Access SCEP", wantIDs: []string{"12", "15"}},
		{name: "Security", wantErr: ErrNotFound, wantNear: []string{"Security & Privacy"}},
		{name: "Okta Device Acces SCEP", wantErr: ErrNotFound, wantNear: []string{"Okta Device Access SCEP"}},
		{name: "Wifi", wantErr: ErrNotFound, wantNear: []string{"WI-FI", "Wi-Fi"}},
		{name: "Printers", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := c.FindProfileByName(t.Context(), tt.name)
			var amb *AmbiguousNameError
			switch {
			case tt.wantIDs != nil:
				if !errors.As(err, &amb) {
					t.Fatalf("err = %v, want *AmbiguousNameError", err)
				}
				if diff := cmp.Diff(tt.wantIDs, amb.IDs); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
				if amb.IgnoringCase != tt.wantFolded {
					t.Errorf("IgnoringCase = %v, want %v (%v)", amb.IgnoringCase, tt.wantFolded, err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				var pnf *ProfileNotFoundError
				if !errors.As(err, &pnf) {
					t.Fatalf("err = %v, want *ProfileNotFoundError", err)
				}
				if diff := cmp.Diff(tt.wantNear, pnf.Suggestions); diff != "" {
					t.Errorf("suggestions (-want +got):\n%s", diff)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if p.General.ID != tt.wantID {
					t.Errorf("id = %d, want %d", p.General.ID, tt.wantID)
				}
			}
		})
	}
}

func TestProfileArgumentErrors(t *testing.T) {
	c, err := New("https://jamf.example.com", OAuthClient("id", "secret"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	checks := map[string]error{
		"get id 0":       func() error { _, err := c.GetProfile(ctx, 0); return err }(),
		"delete id -1":   c.DeleteProfile(ctx, -1),
		"update nothing": c.UpdateProfile(ctx, 3, ProfileUpdate{}),
		"update no name": c.UpdateProfile(ctx, 3, ProfileUpdate{General: &General{}}),
		"create no name": func() error { _, err := c.CreateProfile(ctx, &Profile{}); return err }(),
		"create bad plist": func() error {
			_, err := c.CreateProfile(ctx, &Profile{General: General{Name: "x", Payloads: "<plist><dict>"}})
			return err
		}(),
		"commands id 0":      func() error { _, err := c.ProfileCommands(ctx, 0); return err }(),
		"commands no filter": func() error { _, err := c.MDMCommands(ctx, ""); return err }(),
	}
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s: want an error before any request", name)
		}
	}
}
