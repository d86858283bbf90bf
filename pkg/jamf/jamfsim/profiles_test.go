package jamfsim

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/golden"

	"github.com/google/go-cmp/cmp"
	"howett.net/plist"
)

const plistHeader = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
`

// scepPlist is a compacted SCEP profile whose strings hold '&', '<',
// quotes and non-ASCII text, with the nested-array Subject.
const scepPlist = plistHeader + `<plist version="1.0"><dict>` +
	`<key>PayloadContent</key><array><dict>` +
	`<key>PayloadContent</key><dict>` +
	`<key>Name</key><string>Okta &amp; Co &lt;CA&gt; "quoted" 'single' Jürgen</string>` +
	`<key>Subject</key><array><array><array><string>CN</string><string>$COMPUTERNAME ma $UDID</string></array></array></array>` +
	`<key>URL</key><string>https://example.okta.com/pki/abc/scep/rac1?a=1&amp;b=2</string>` +
	`<key>Keysize</key><integer>2048</integer>` +
	`</dict>` +
	`<key>PayloadIdentifier</key><string>com.example.scep.inner</string>` +
	`<key>PayloadType</key><string>com.apple.security.scep</string>` +
	`<key>PayloadUUID</key><string>11111111-2222-4333-8444-555555555555</string>` +
	`<key>PayloadVersion</key><integer>1</integer>` +
	`</dict></array>` +
	`<key>PayloadDisplayName</key><string>Okta SCEP</string>` +
	`<key>PayloadIdentifier</key><string>AAAAAAAA-0000-4000-8000-000000000001</string>` +
	`<key>PayloadType</key><string>Configuration</string>` +
	`<key>PayloadUUID</key><string>AAAAAAAA-0000-4000-8000-000000000001</string>` +
	`<key>PayloadVersion</key><integer>1</integer>` +
	`</dict></plist>`

// prettyPlist is a plist without '&' whose Subject is indented.
const prettyPlist = plistHeader + `<plist version="1.0">
<dict>
	<key>Subject</key>
	<array>
		<array>
			<array>
				<string>CN</string>
				<string>x</string>
			</array>
		</array>
	</array>
</dict>
</plist>`

type scepTree struct {
	PayloadContent []struct {
		PayloadContent struct {
			Name    string
			Subject [][][]string
			URL     string
		}
		PayloadUUID       string
		PayloadIdentifier string
		PayloadEnabled    *bool
	}
	PayloadUUID        string
	PayloadIdentifier  string
	PayloadDisplayName string
	PayloadEnabled     *bool
}

func decodeTree[T any](t *testing.T, text string) T {
	t.Helper()
	var v T
	if _, err := plist.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("stored payload is not a plist: %v\n%s", err, text)
	}
	return v
}

// create POSTs a profile and returns the status, body and new id.
func create(t *testing.T, c *client, body string) (int, string, int) {
	t.Helper()
	st, b := c.do(http.MethodPost, "JSSResource/osxconfigurationprofiles/id/0", body)
	var out struct {
		ID int `xml:"id"`
	}
	if st == http.StatusCreated {
		if err := xml.Unmarshal([]byte(b), &out); err != nil {
			t.Fatalf("201 body %q: %v", b, err)
		}
	}
	return st, b, out.ID
}

func TestCreateEntityDecode(t *testing.T) {
	naiveText := xmlText(scepPlist)
	naiveCDATA := "<![CDATA[" + scepPlist + "]]>"
	tests := []struct {
		name       string
		disabled   Quirk
		payloads   string
		wantStatus int
		wantStored string // exact stored text when non-empty
	}{
		{"wire form stored byte for byte", QuirkReserialize | QuirkReplaceTopLevelIDs, wireForm(scepPlist), 201, scepPlist},
		{"naive CDATA loses one escape", QuirkReserialize | QuirkReplaceTopLevelIDs, naiveCDATA, 409, ""},
		{"naive text loses one escape", QuirkReserialize | QuirkReplaceTopLevelIDs, naiveText, 409, ""},
		{"naive text without the quirk", QuirkReserialize | QuirkReplaceTopLevelIDs | QuirkEntityDecode, naiveText, 201, scepPlist},
		{"wire form without the quirk is over-escaped", QuirkReserialize | QuirkReplaceTopLevelIDs | QuirkEntityDecode, wireForm(scepPlist), 201, strings.ReplaceAll(scepPlist, "&", "&amp;")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, Options{DisabledQuirks: tt.disabled})
			c := newClient(t, s)
			st, body, id := create(t, c, profileXML("Okta SCEP", tt.payloads))
			if st != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %s)", st, tt.wantStatus, body)
			}
			if st == http.StatusConflict {
				if !strings.Contains(body, "<p>Error: Unable to update the database</p>") {
					t.Errorf("409 body %q lacks the Jamf message", body)
				}
				if n := len(s.Profiles()); n != 0 {
					t.Errorf("%d profiles stored after a 409", n)
				}
				return
			}
			p, _ := s.Profile(id)
			if diff := cmp.Diff(tt.wantStored, p.Payloads); diff != "" {
				t.Errorf("stored payload mismatch (-want +got):\n%s", diff)
			}
			// GET escapes normally: decoding <payloads> gives the stored text.
			_, getBody := c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(id), "")
			var doc struct {
				Payloads string `xml:"general>payloads"`
			}
			if err := xml.Unmarshal([]byte(getBody), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Payloads != p.Payloads {
				t.Errorf("GET payloads differ from the stored text:\n%s\n%s", doc.Payloads, p.Payloads)
			}
		})
	}
}

func TestCreateAllQuirks(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	st, body, id := create(t, c, "<os_x_configuration_profile><general><name>  Okta SCEP  </name><description>Okta Device Access</description>"+
		"<payloads>"+wireForm(scepPlist)+"</payloads></general></os_x_configuration_profile>")
	if st != http.StatusCreated {
		t.Fatalf("status %d body %s", st, body)
	}
	p, _ := s.Profile(id)
	if p.Name != "Okta SCEP" {
		t.Errorf("name = %q, want it trimmed", p.Name)
	}
	got := decodeTree[scepTree](t, p.Payloads)
	if got.PayloadUUID == "AAAAAAAA-0000-4000-8000-000000000001" || got.PayloadUUID != got.PayloadIdentifier {
		t.Errorf("top-level PayloadUUID %q / PayloadIdentifier %q: want both replaced by one new value", got.PayloadUUID, got.PayloadIdentifier)
	}
	if p.UUID != got.PayloadUUID {
		t.Errorf("general uuid %q != PayloadUUID %q", p.UUID, got.PayloadUUID)
	}
	inner := got.PayloadContent[0]
	if inner.PayloadUUID != "11111111-2222-4333-8444-555555555555" || inner.PayloadIdentifier != "com.example.scep.inner" {
		t.Errorf("nested identifiers changed: %q %q", inner.PayloadUUID, inner.PayloadIdentifier)
	}
	if got.PayloadEnabled == nil || !*got.PayloadEnabled || inner.PayloadEnabled == nil || !*inner.PayloadEnabled {
		t.Error("PayloadEnabled not added at both levels")
	}
	if got.PayloadDisplayName != "Okta SCEP" {
		t.Errorf("PayloadDisplayName = %q, want the general name", got.PayloadDisplayName)
	}
	want := `Okta & Co <CA> "quoted" 'single' Jürgen`
	if inner.PayloadContent.Name != want {
		t.Errorf("Name = %q, want %q", inner.PayloadContent.Name, want)
	}
	if diff := cmp.Diff([][][]string{{{"CN", "$COMPUTERNAME ma $UDID"}}}, inner.PayloadContent.Subject); diff != "" {
		t.Errorf("Subject mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(p.Payloads, "\n\t<dict>\n\t\t<key>") {
		t.Errorf("stored plist is not re-indented:\n%s", p.Payloads)
	}
}

func TestPhantomArrays(t *testing.T) {
	tests := []struct {
		name     string
		disabled Quirk
		want     []any
	}{
		{"quirk on", 0, []any{[]any{}, []any{[]any{}, []any{"CN", "x"}, []any{}}, []any{}}},
		{"quirk off", QuirkPhantomArrays, []any{[]any{[]any{"CN", "x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, Options{DisabledQuirks: tt.disabled})
			c := newClient(t, s)
			st, body, id := create(t, c, profileXML("pretty", wireForm(prettyPlist)))
			if st != http.StatusCreated {
				t.Fatalf("status %d body %s", st, body)
			}
			p, _ := s.Profile(id)
			got := decodeTree[map[string]any](t, p.Payloads)["Subject"]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Subject mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReserializeStrings(t *testing.T) {
	src := plistHeader + "<plist version=\"1.0\"><dict><key>A</key><string>  a\tb\nc \U0001F600 </string><key>PayloadDescription</key><string>old</string></dict></plist>"
	tests := []struct {
		name     string
		disabled Quirk
		wantA    string
		wantDesc string
	}{
		{"quirk on", 0, "abc ?", "from general"},
		{"quirk off", QuirkReserialize, "  a\tb\nc \U0001F600 ", "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, Options{DisabledQuirks: tt.disabled})
			c := newClient(t, s)
			st, body, id := create(t, c, "<os_x_configuration_profile><general><name>n</name><description>from general</description><payloads>"+wireForm(src)+"</payloads></general></os_x_configuration_profile>")
			if st != http.StatusCreated {
				t.Fatalf("status %d body %s", st, body)
			}
			p, _ := s.Profile(id)
			got := decodeTree[map[string]any](t, p.Payloads)
			if got["A"] != tt.wantA || got["PayloadDescription"] != tt.wantDesc {
				t.Errorf("A = %q, PayloadDescription = %q; want %q, %q", got["A"], got["PayloadDescription"], tt.wantA, tt.wantDesc)
			}
		})
	}
}

func TestRedeployOnUpdate(t *testing.T) {
	for _, writeOnly := range []bool{true, false} {
		t.Run(fmt.Sprintf("write-only=%v", writeOnly), func(t *testing.T) {
			var disabled Quirk
			if !writeOnly {
				disabled = QuirkRedeployWriteOnly
			}
			s := newTestServer(t, Options{DisabledQuirks: disabled})
			s.SeedFleet(30, 1)
			c := newClient(t, s)
			_, _, id := create(t, c, profileXML("r", ""))
			path := "JSSResource/osxconfigurationprofiles/id/" + strconv.Itoa(id)
			if st, b := c.do(http.MethodPut, path, "<os_x_configuration_profile><scope><all_computers>true</all_computers></scope></os_x_configuration_profile>"); st != 201 {
				t.Fatalf("scope PUT: %d %s", st, b)
			}
			if st, b := c.do(http.MethodPut, path, "<os_x_configuration_profile><general><redeploy_on_update>All</redeploy_on_update></general></os_x_configuration_profile>"); st != 201 {
				t.Fatalf("redeploy PUT: %d %s", st, b)
			}
			_, body := c.do(http.MethodGet, path, "")
			want := "<redeploy_on_update>All</redeploy_on_update>"
			if writeOnly {
				want = "<redeploy_on_update>Newly Assigned</redeploy_on_update>"
			}
			if !strings.Contains(body, want) {
				t.Errorf("GET lacks %s:\n%s", want, body)
			}
			if diff := cmp.Diff([]Redeploy{{ProfileID: id, Method: "PUT", Sent: "All", Reinstalled: 30}}, s.Redeploys()); diff != "" {
				t.Errorf("Redeploys mismatch (-want +got):\n%s", diff)
			}
			var cmds pageOf[jsonCommand]
			c.getJSON("api/v2/mdm/commands?filter=profileId=="+strconv.Itoa(id)+";status==PENDING", &cmds)
			if cmds.TotalCount != 30 {
				t.Errorf("pending install commands = %d, want 30", cmds.TotalCount)
			}
		})
	}
}

func TestLenientXML(t *testing.T) {
	body := "<os_x_configuration_profile><general><name>x</name><bogus>1</bogus>" +
		"<distribution_method>Sometimes</distribution_method><level>Planet</level><user_removable>maybe</user_removable>" +
		"</general><unknown_top/></os_x_configuration_profile>"
	t.Run("quirk on", func(t *testing.T) {
		s := newTestServer(t, Options{})
		c := newClient(t, s)
		st, b, id := create(t, c, body)
		if st != 201 {
			t.Fatalf("status %d %s", st, b)
		}
		p, _ := s.Profile(id)
		if p.DistributionMethod != DistributionAutomatic || p.Level != LevelComputer || p.UserRemovable {
			t.Errorf("bad enums not defaulted: %+v", p)
		}
	})
	t.Run("quirk off", func(t *testing.T) {
		s := newTestServer(t, Options{DisabledQuirks: QuirkLenientXML})
		c := newClient(t, s)
		st, b, _ := create(t, c, body)
		if st != 400 || !strings.Contains(b, "<p>Error: unknown element &lt;unknown_top&gt;") {
			t.Errorf("status %d body %s, want 400 naming the element", st, b)
		}
		st, b, _ = create(t, c, profileXML("y", "")[:len(profileXML("y", ""))-len("</general></os_x_configuration_profile>")]+"<level>Planet</level></general></os_x_configuration_profile>")
		if st != 400 || !strings.Contains(b, "level") {
			t.Errorf("bad enum: status %d body %s, want 400 naming level", st, b)
		}
	})
}

func TestPartialPut(t *testing.T) {
	for _, partial := range []bool{true, false} {
		t.Run(fmt.Sprintf("partial=%v", partial), func(t *testing.T) {
			var disabled Quirk
			if !partial {
				disabled = QuirkPartialPut
			}
			s := newTestServer(t, Options{DisabledQuirks: disabled})
			hq := s.AddBuilding("HQ")
			c := newClient(t, s)
			_, _, id := create(t, c, "<os_x_configuration_profile><general><name>p</name><description>d</description><payloads>"+wireForm(scepPlist)+
				"</payloads></general><scope><buildings><building><name>HQ</name></building></buildings></scope></os_x_configuration_profile>")
			before, _ := s.Profile(id)
			path := "JSSResource/osxconfigurationprofiles/id/" + strconv.Itoa(id)
			if st, b := c.do(http.MethodPut, path, "<os_x_configuration_profile><general><name>p2</name></general></os_x_configuration_profile>"); st != 201 {
				t.Fatalf("PUT: %d %s", st, b)
			}
			after, _ := s.Profile(id)
			if after.Description != "d" || after.UUID != before.UUID {
				t.Errorf("general fields not merged: %+v", after)
			}
			if got := decodeTree[scepTree](t, after.Payloads); got.PayloadDisplayName != "p2" || got.PayloadUUID != before.UUID {
				t.Errorf("payload after rename: display name %q uuid %q", got.PayloadDisplayName, got.PayloadUUID)
			}
			wantBuildings := []int{hq}
			if !partial {
				wantBuildings = nil
			}
			if diff := cmp.Diff(wantBuildings, after.Scope.Targets.Buildings); diff != "" {
				t.Errorf("scope after a general-only PUT (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNames(t *testing.T) {
	t.Run("duplicate POST refused", func(t *testing.T) {
		s := newTestServer(t, Options{})
		c := newClient(t, s)
		if st, b, _ := create(t, c, profileXML("Same", "")); st != 201 {
			t.Fatalf("first: %d %s", st, b)
		}
		st, b, _ := create(t, c, profileXML(" Same ", ""))
		if st != 409 || !strings.Contains(b, "<p>Error: Duplicate name</p>") {
			t.Errorf("second: status %d body %s, want 409 Duplicate name", st, b)
		}
	})
	t.Run("case-only duplicate POST refused", func(t *testing.T) {
		s := newTestServer(t, Options{})
		c := newClient(t, s)
		if st, b, _ := create(t, c, profileXML("okta device access scep", "")); st != 201 {
			t.Fatalf("first: %d %s", st, b)
		}
		st, b, _ := create(t, c, profileXML("Okta Device Access SCEP", ""))
		if st != 409 || !strings.Contains(b, "<p>Error: Duplicate name</p>") {
			t.Errorf("second: status %d body %s, want 409 Duplicate name", st, b)
		}
	})
	t.Run("case-only rename of itself accepted", func(t *testing.T) {
		s := newTestServer(t, Options{})
		c := newClient(t, s)
		_, _, id := create(t, c, profileXML("okta scep", ""))
		body := "<os_x_configuration_profile><general><name>Okta SCEP</name></general></os_x_configuration_profile>"
		if st, b := c.do(http.MethodPut, "JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(id), body); st != 201 {
			t.Fatalf("PUT: %d %s", st, b)
		}
		if got := s.Profiles()[0].Name; got != "Okta SCEP" {
			t.Errorf("name = %q, want Okta SCEP", got)
		}
	})
	t.Run("case-sensitive collation without the quirk", func(t *testing.T) {
		s := newTestServer(t, Options{DisabledQuirks: QuirkCaseInsensitiveNames})
		c := newClient(t, s)
		create(t, c, profileXML("okta scep", ""))
		if st, b, _ := create(t, c, profileXML("Okta SCEP", "")); st != 201 {
			t.Errorf("status %d body %s, want 201", st, b)
		}
	})
	t.Run("non-BMP characters stored as '?'", func(t *testing.T) {
		for _, tt := range []struct {
			disabled   Quirk
			name, desc string
		}{
			{0, "Okta SCEP ?", "certs ? here"},
			{QuirkNonBMPNames, "Okta SCEP 🔐", "certs 🔐 here"},
		} {
			s := newTestServer(t, Options{DisabledQuirks: tt.disabled})
			c := newClient(t, s)
			in := strings.Replace(profileXML("Okta SCEP 🔐", ""), "</name>", "</name><description>certs 🔐 here</description>", 1)
			if st, b, _ := create(t, c, in); st != 201 {
				t.Fatalf("create: %d %s", st, b)
			}
			got := s.Profiles()[0]
			if got.Name != tt.name || got.Description != tt.desc {
				t.Errorf("quirks off %v: stored name %q description %q, want %q %q", tt.disabled, got.Name, got.Description, tt.name, tt.desc)
			}
		}
	})
	t.Run("duplicates allowed without the quirk", func(t *testing.T) {
		s := newTestServer(t, Options{DisabledQuirks: QuirkNameConflict | QuirkTrimNames})
		c := newClient(t, s)
		create(t, c, profileXML("Same", ""))
		if st, b, _ := create(t, c, profileXML("Same", "")); st != 201 {
			t.Errorf("status %d body %s, want 201", st, b)
		}
		if st, b, _ := create(t, c, profileXML(" Same ", "")); st != 201 {
			t.Errorf("untrimmed: status %d body %s, want 201", st, b)
		}
		if got := s.Profiles()[2].Name; got != " Same " {
			t.Errorf("name = %q, want it untrimmed", got)
		}
	})
	t.Run("seeded duplicates", func(t *testing.T) {
		s := newTestServer(t, Options{})
		a := s.AddProfile(Profile{Name: "Dup"})
		s.AddProfile(Profile{Name: "Dup"})
		c := newClient(t, s)
		st, body := c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles", "")
		want := `<?xml version="1.0" encoding="UTF-8"?><os_x_configuration_profiles><size>2</size><os_x_configuration_profile><id>1</id><name>Dup</name></os_x_configuration_profile><os_x_configuration_profile><id>2</id><name>Dup</name></os_x_configuration_profile></os_x_configuration_profiles>`
		if st != 200 || body != want {
			t.Errorf("list: status %d\n got %s\nwant %s", st, body, want)
		}
		_, body = c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles/name/Dup", "")
		if !strings.Contains(body, "<id>"+strconv.Itoa(a)+"</id>") {
			t.Errorf("name lookup: %s", body)
		}
	})
}

func TestProfileCRUD(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	_, _, id := create(t, c, profileXML("Crud Me/Slash", ""))
	byName := "JSSResource/osxconfigurationprofiles/name/" + "Crud%20Me%2FSlash"
	if st, b := c.do(http.MethodGet, byName, ""); st != 200 || !strings.Contains(b, "<name>Crud Me/Slash</name>") {
		t.Fatalf("GET by name: %d %s", st, b)
	}
	if st, b := c.do(http.MethodPut, byName, profileXML("Renamed", "")); st != 201 {
		t.Fatalf("PUT by name: %d %s", st, b)
	}
	path := "JSSResource/osxconfigurationprofiles/id/" + strconv.Itoa(id)
	if st, b := c.do(http.MethodDelete, path, ""); st != 200 || !strings.Contains(b, "<id>"+strconv.Itoa(id)+"</id>") {
		t.Fatalf("DELETE: %d %s", st, b)
	}
	for _, p := range []string{path, "JSSResource/osxconfigurationprofiles/id/999", "JSSResource/osxconfigurationprofiles/id/abc"} {
		if st, b := c.do(http.MethodGet, p, ""); st != 404 || !strings.Contains(b, "<html>") {
			t.Errorf("GET %s after delete: %d %s", p, st, b)
		}
	}
	if st, _ := c.do(http.MethodPut, path, profileXML("x", "")); st != 404 {
		t.Errorf("PUT deleted: %d, want 404", st)
	}
	if st, b := c.do(http.MethodPost, "JSSResource/osxconfigurationprofiles/id/0", "<not xml"); st != 400 {
		t.Errorf("bad XML: %d %s, want 400", st, b)
	}
	if st, b := c.do(http.MethodPost, "JSSResource/osxconfigurationprofiles/id/0", "<os_x_configuration_profile><general><description>x</description></general></os_x_configuration_profile>"); st != 409 || !strings.Contains(b, "Name is required") {
		t.Errorf("no name: %d %s, want 409", st, b)
	}
}

func TestScope(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SeedFleet(100, 7)
	c := newClient(t, s)
	// Targets: the pilot group (Macs 1-10), building "Remote" (every 4th
	// from 2), computer 50; exclusions: computer 1 and department Sales.
	body := `<os_x_configuration_profile><general><name>scoped</name></general><scope>` +
		`<computer_groups><computer_group><name>` + FleetPilotGroup + `</name></computer_group></computer_groups>` +
		`<buildings><building><name>Remote</name></building></buildings>` +
		`<computers><computer><id>50</id></computer></computers>` +
		`<exclusions><computers><computer><id>1</id></computer></computers><departments><department><name>Sales</name></department></departments></exclusions>` +
		`</scope></os_x_configuration_profile>`
	st, b, id := create(t, c, body)
	if st != 201 {
		t.Fatalf("create: %d %s", st, b)
	}
	var want []int
	for i := 1; i <= 100; i++ {
		in := i <= 10 || i%4 == 2 || i == 50
		out := i == 1 || i%5 == 1 // Sales is department index 1
		if in && !out {
			want = append(want, i)
		}
	}
	if diff := cmp.Diff(want, s.ScopedComputers(id)); diff != "" {
		t.Errorf("ScopedComputers mismatch (-want +got):\n%s", diff)
	}
	_, got := c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(id)+"/subset/Scope", "")
	if strings.Contains(got, "<general>") || !strings.Contains(got, "<computer_group><id>1</id><name>"+FleetPilotGroup+"</name></computer_group>") {
		t.Errorf("scope subset:\n%s", got)
	}
	if st, b, _ := create(t, c, `<os_x_configuration_profile><general><name>bad</name></general><scope><buildings><building><name>Nowhere</name></building></buildings></scope></os_x_configuration_profile>`); st != 409 || !strings.Contains(b, "Problem with building in scope") {
		t.Errorf("unknown building: %d %s", st, b)
	}
}

func TestSubsetWrites(t *testing.T) {
	for _, gateway := range []bool{true, false} {
		t.Run(fmt.Sprintf("gateway=%v", gateway), func(t *testing.T) {
			var disabled Quirk
			if !gateway {
				disabled = QuirkGatewaySubset
			}
			s := newTestServer(t, Options{DisabledQuirks: disabled})
			s.AddBuilding("HQ")
			id := s.AddProfile(Profile{Name: "p"})
			c := newClient(t, s)
			st, _ := c.do(http.MethodPut, "JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(id)+"/subset/scope",
				"<os_x_configuration_profile><scope><buildings><building><id>1</id></building></buildings></scope></os_x_configuration_profile>")
			want := 201
			if gateway {
				want = 403
			}
			if st != want {
				t.Errorf("status %d, want %d", st, want)
			}
		})
	}
}

func TestReplicationLag(t *testing.T) {
	clock := newClock()
	s := newTestServer(t, Options{Now: clock.Now, ReplicationLag: 30 * time.Second})
	c := newClient(t, s)
	loose := c.noJar()

	_, _, id := create(t, loose, profileXML("lagged", "")) // lands on node 0
	path := "JSSResource/osxconfigurationprofiles/id/" + strconv.Itoa(id)
	if st, _ := loose.do(http.MethodGet, path, ""); st != 404 { // node 1
		t.Errorf("read on the other node before the lag: %d, want 404 (stale)", st)
	}
	clock.Add(30 * time.Second)
	if st, _ := loose.do(http.MethodGet, path, ""); st != 200 {
		t.Errorf("read after the lag: %d, want 200", st)
	}

	// With a cookie jar, a read after a write stays on the writing node.
	_, _, id2 := create(t, c, profileXML("sticky", ""))
	for range 3 {
		if st, _ := c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(id2), ""); st != 200 {
			t.Errorf("read with affinity: %d, want 200", st)
		}
	}
	reqs := s.Requests()
	if reqs[len(reqs)-1].Node != reqs[len(reqs)-4].Node {
		t.Errorf("affinity cookie not honored: %+v", reqs[len(reqs)-4:])
	}

	t.Run("quirk off", func(t *testing.T) {
		s := newTestServer(t, Options{Now: clock.Now, DisabledQuirks: QuirkReplicationLag})
		loose := newClient(t, s).noJar()
		_, _, id := create(t, loose, profileXML("x", ""))
		if st, _ := loose.do(http.MethodGet, "JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(id), ""); st != 200 {
			t.Errorf("single node read: %d, want 200", st)
		}
		_, _, h := loose.raw(http.MethodGet, "api/v1/jamf-pro-version", "", map[string]string{"Authorization": "Bearer " + loose.token})
		if h.Get("Set-Cookie") != "" {
			t.Errorf("cookie set without the quirk: %q", h.Get("Set-Cookie"))
		}
	})
}

func TestGoldenProfileGET(t *testing.T) {
	s := newTestServer(t, Options{})
	cid := s.AddComputer(Computer{Name: "MAC-0001", UDID: "00000000-0000-4000-8000-000000000001", Serial: "C02TEST00001", Building: "HQ"})
	gid := s.AddStaticGroup("Pilot", []int{cid})
	id := s.AddProfile(Profile{
		Name: "Okta & SCEP", Description: "<desc>", Payloads: scepPlist, UUID: "AAAAAAAA-0000-4000-8000-000000000001",
		Scope: Scope{Targets: Targets{Computers: []int{cid}, ComputerGroups: []int{gid}, Buildings: []int{1}}, Exclusions: Targets{Departments: nil}},
	})
	c := newClient(t, s)
	_, body := c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(id), "")
	golden.Assert(t, "profile_get.xml", []byte(body))
}

func TestGoldenReserialized(t *testing.T) {
	got, err := storePayload(wireForm(scepPlist)[len("<![CDATA["):len(wireForm(scepPlist))-len("]]>")], payloadRewrite{
		entityDecode: true, phantomArrays: true, reserialize: true,
		newTopID: "BBBBBBBB-0000-4000-8000-000000000002", displayName: "Okta SCEP", description: "Okta Device Access",
	})
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "reserialized.plist", []byte(got))
	if m := regexp.MustCompile(`<string>BBBBBBBB-0000-4000-8000-000000000002</string>`).FindAllString(got, -1); len(m) != 2 {
		t.Errorf("new top-level id appears %d times, want 2", len(m))
	}
}

func TestClassicWriteNeedsXMLContentType(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	st, _, _ := c.raw(http.MethodPost, "JSSResource/osxconfigurationprofiles/id/0", profileXML("x", ""),
		map[string]string{"Authorization": "Bearer " + c.token, "Content-Type": "application/json"})
	if st != http.StatusUnsupportedMediaType {
		t.Errorf("JSON content type: %d, want 415", st)
	}
	st, _, _ = c.raw(http.MethodPost, "JSSResource/osxconfigurationprofiles/id/0", profileXML("x", ""),
		map[string]string{"Authorization": "Bearer " + c.token, "Content-Type": "application/xml; charset=utf-8"})
	if st != http.StatusCreated {
		t.Errorf("application/xml: %d, want 201", st)
	}
}
