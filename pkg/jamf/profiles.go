package jamf

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Classic API paths for macOS configuration profiles (there is no Jamf Pro
// API endpoint for them).
const (
	profilesPath = "JSSResource/osxconfigurationprofiles"
	xmlType      = "application/xml"
)

// Enumerations of general, as the Classic API spells them.
const (
	DistributionInstallAutomatically = "Install Automatically"
	DistributionSelfService          = "Make Available in Self Service"
	LevelComputer                    = "System" // "Computer Level" in the GUI
	LevelUser                        = "User"
	RedeployNewlyAssigned            = "Newly Assigned"
	// RedeployAll re-installs the profile on every Mac in scope; for a SCEP
	// payload that is a new certificate on every Mac. Send it only when a
	// user asked for it.
	RedeployAll = "All"
)

// Profile is a Classic API os_x_configuration_profile.
type Profile struct {
	XMLName xml.Name `xml:"os_x_configuration_profile"`
	General General  `xml:"general"`
	Scope   Scope    `xml:"scope"`
}

// Ref names a Jamf object by Classic id (an integer) and name. On writes
// Jamf matches by id when it is given, else by name; a zero ID is omitted.
type Ref struct {
	ID   int    `xml:"id,omitempty"`
	Name string `xml:"name,omitempty"`
}

// General is the <general> element of a profile.
//
// Payloads is the profile's plist as text: on a GET it is the stored plist
// (already re-serialized by the server: re-indented, PayloadEnabled added,
// display name and description copied from Name and Description, strings
// trimmed); on a write the client compacts it and sends it in the one wire
// form Jamf stores faithfully (see [EncodePayloads]). An empty Payloads is
// omitted from a write, which leaves the stored one alone.
//
// RedeployOnUpdate is write-only: a GET always reports "Newly Assigned".
// Unknown elements are dropped and bad enum values replaced by defaults,
// both with 201; only a read-back proves what was stored.
type General struct {
	ID                 int    `xml:"id,omitempty"`
	Name               string `xml:"name"`
	Description        string `xml:"description"`
	Site               *Ref   `xml:"site,omitempty"`     // id -1 is "None"
	Category           *Ref   `xml:"category,omitempty"` // id -1 is "No category assigned"
	DistributionMethod string `xml:"distribution_method,omitempty"`
	UserRemovable      bool   `xml:"user_removable"`
	Level              string `xml:"level,omitempty"`
	UUID               string `xml:"uuid,omitempty"` // top-level PayloadUUID, set by the server
	RedeployOnUpdate   string `xml:"redeploy_on_update,omitempty"`
	Payloads           string `xml:"payloads,omitempty"`
}

// generalWire is General as sent: Payloads goes in the CDATA wire form.
type generalWire struct {
	ID                 int           `xml:"id,omitempty"`
	Name               string        `xml:"name"`
	Description        string        `xml:"description"`
	Site               *Ref          `xml:"site,omitempty"`
	Category           *Ref          `xml:"category,omitempty"`
	DistributionMethod string        `xml:"distribution_method,omitempty"`
	UserRemovable      bool          `xml:"user_removable"`
	Level              string        `xml:"level,omitempty"`
	UUID               string        `xml:"uuid,omitempty"`
	RedeployOnUpdate   string        `xml:"redeploy_on_update,omitempty"`
	Payloads           *payloadsWire `xml:"payloads,omitempty"`
}

type payloadsWire struct {
	Text string `xml:",cdata"`
}

// MarshalXML writes g with Payloads compacted and in the wire form of
// [EncodePayloads]: one CDATA section.
func (g General) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	w := generalWire{
		ID: g.ID, Name: g.Name, Description: g.Description, Site: g.Site, Category: g.Category,
		DistributionMethod: g.DistributionMethod, UserRemovable: g.UserRemovable, Level: g.Level,
		UUID: g.UUID, RedeployOnUpdate: g.RedeployOnUpdate,
	}
	if g.Payloads != "" {
		compact, err := CompactPlist(g.Payloads)
		if err != nil {
			return fmt.Errorf("general.payloads: %w", err)
		}
		w.Payloads = &payloadsWire{Text: EncodePayloads(compact)}
	}
	return e.EncodeElement(w, start)
}

// Scope is the <scope> element of a profile. On a write every list here is
// sent, empty ones as empty elements, so the stored lists become exactly
// these; lists this type does not model (jss_users and the like) are
// omitted and so left alone by the server's partial merge.
type Scope struct {
	AllComputers   bool
	Computers      []Ref
	ComputerGroups []Ref
	Buildings      []Ref
	Departments    []Ref
	Limitations    Limitations
	Exclusions     Exclusions
}

// Limitations narrow a scope.
type Limitations struct {
	Users           []Ref
	UserGroups      []Ref
	NetworkSegments []Ref
	IBeacons        []Ref
}

// Exclusions remove targets from a scope.
type Exclusions struct {
	Computers       []Ref
	ComputerGroups  []Ref
	Buildings       []Ref
	Departments     []Ref
	Users           []Ref
	UserGroups      []Ref
	NetworkSegments []Ref
	IBeacons        []Ref
}

// The wire shapes: Classic lists are <computers><computer>..</computer></computers>,
// sometimes with a leading <size>. Decoding uses these; encoding writes
// every list explicitly (see listsXML).
type scopeWire struct {
	AllComputers   bool            `xml:"all_computers"`
	Computers      []Ref           `xml:"computers>computer"`
	ComputerGroups []Ref           `xml:"computer_groups>computer_group"`
	Buildings      []Ref           `xml:"buildings>building"`
	Departments    []Ref           `xml:"departments>department"`
	Limitations    limitationsWire `xml:"limitations"`
	Exclusions     exclusionsWire  `xml:"exclusions"`
}

type limitationsWire struct {
	Users           []Ref `xml:"users>user"`
	UserGroups      []Ref `xml:"user_groups>user_group"`
	NetworkSegments []Ref `xml:"network_segments>network_segment"`
	IBeacons        []Ref `xml:"ibeacons>ibeacon"`
}

type exclusionsWire struct {
	Computers       []Ref `xml:"computers>computer"`
	ComputerGroups  []Ref `xml:"computer_groups>computer_group"`
	Buildings       []Ref `xml:"buildings>building"`
	Departments     []Ref `xml:"departments>department"`
	Users           []Ref `xml:"users>user"`
	UserGroups      []Ref `xml:"user_groups>user_group"`
	NetworkSegments []Ref `xml:"network_segments>network_segment"`
	IBeacons        []Ref `xml:"ibeacons>ibeacon"`
}

// UnmarshalXML reads a Classic <scope>.
func (s *Scope) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var w scopeWire
	if err := d.DecodeElement(&w, &start); err != nil {
		return err
	}
	*s = Scope{
		AllComputers: w.AllComputers, Computers: w.Computers, ComputerGroups: w.ComputerGroups,
		Buildings: w.Buildings, Departments: w.Departments,
		Limitations: Limitations(w.Limitations),
		Exclusions:  Exclusions(w.Exclusions),
	}
	return nil
}

// MarshalXML writes a Classic <scope> with every modelled list present.
func (s Scope) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeElement(s.AllComputers, xml.StartElement{Name: xml.Name{Local: "all_computers"}}); err != nil {
		return err
	}
	lists := []struct {
		outer, inner string
		refs         []Ref
	}{
		{"computers", "computer", s.Computers},
		{"computer_groups", "computer_group", s.ComputerGroups},
		{"buildings", "building", s.Buildings},
		{"departments", "department", s.Departments},
	}
	for _, l := range lists {
		if err := encodeList(e, l.outer, l.inner, l.refs); err != nil {
			return err
		}
	}
	if err := encodeGroup(e, "limitations", []listXML{
		{"users", "user", s.Limitations.Users},
		{"user_groups", "user_group", s.Limitations.UserGroups},
		{"network_segments", "network_segment", s.Limitations.NetworkSegments},
		{"ibeacons", "ibeacon", s.Limitations.IBeacons},
	}); err != nil {
		return err
	}
	x := s.Exclusions
	if err := encodeGroup(e, "exclusions", []listXML{
		{"computers", "computer", x.Computers},
		{"computer_groups", "computer_group", x.ComputerGroups},
		{"buildings", "building", x.Buildings},
		{"departments", "department", x.Departments},
		{"users", "user", x.Users},
		{"user_groups", "user_group", x.UserGroups},
		{"network_segments", "network_segment", x.NetworkSegments},
		{"ibeacons", "ibeacon", x.IBeacons},
	}); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

type listXML struct {
	outer, inner string
	refs         []Ref
}

func encodeGroup(e *xml.Encoder, name string, lists []listXML) error {
	start := xml.StartElement{Name: xml.Name{Local: name}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, l := range lists {
		if err := encodeList(e, l.outer, l.inner, l.refs); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

func encodeList(e *xml.Encoder, outer, inner string, refs []Ref) error {
	start := xml.StartElement{Name: xml.Name{Local: outer}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, r := range refs {
		if err := e.EncodeElement(r, xml.StartElement{Name: xml.Name{Local: inner}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// ProfileSummary is one entry of the profile list.
type ProfileSummary struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
}

// ListProfiles returns every macOS configuration profile's id and name
// (GET /JSSResource/osxconfigurationprofiles), in server order.
func (c *Client) ListProfiles(ctx context.Context) ([]ProfileSummary, error) {
	var v struct {
		Size     int              `xml:"size"`
		Profiles []ProfileSummary `xml:"os_x_configuration_profile"`
	}
	if err := c.getXML(ctx, profilesPath, &v); err != nil {
		return nil, err
	}
	return v.Profiles, nil
}

// GetProfile returns profile id (GET .../id/{id}). A missing profile is an
// *Error matching ErrNotFound.
func (c *Client) GetProfile(ctx context.Context, id int) (*Profile, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	var p Profile
	if err := c.getXML(ctx, profileIDPath(id), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// FindProfileByName returns the one profile named name, matched as Jamf
// compares names (see names.go): trimmed, an exact match winning over
// names that differ only in case. It lists profiles and matches there
// rather than use GET .../name/{name}, which silently picks one of several
// profiles with that name. No match gives an error matching ErrNotFound;
// two or more exact matches, or no exact match and two or more case
// variants, give an *AmbiguousNameError with every id. A case variant found
// alone is returned: its stored name differs from name, which a plan shows
// as a rename.
func (c *Client) FindProfileByName(ctx context.Context, name string) (*Profile, error) {
	list, err := c.ListProfiles(ctx)
	if err != nil {
		return nil, err
	}
	want := strings.TrimSpace(name)
	idx := newNameIndex(len(list))
	for i, p := range list {
		idx.add(p.Name, i)
	}
	hits, folded := idx.lookup(want)
	switch len(hits) {
	case 0:
		return nil, fmt.Errorf("jamf: no macOS configuration profile is named %q: %w", want, ErrNotFound)
	case 1:
		return c.GetProfile(ctx, list[hits[0]].ID)
	}
	strIDs := make([]string, len(hits))
	for i, h := range hits {
		strIDs[i] = strconv.Itoa(list[h].ID)
	}
	sortIDs(strIDs)
	return nil, &AmbiguousNameError{Kind: "macOS configuration profile", Name: want, IDs: strIDs, IgnoringCase: folded}
}

// CreateProfile creates p (POST .../id/0) and returns the new id from the
// 201 answer. It is never retried: a create that may have reached the
// server would meet its own name (409). A name already in use answers 409
// (ErrConflict). The server replaces the top-level PayloadUUID and
// PayloadIdentifier; read the profile back to learn them.
func (c *Client) CreateProfile(ctx context.Context, p *Profile) (int, error) {
	if strings.TrimSpace(p.General.Name) == "" {
		return 0, fmt.Errorf("jamf: general.name is empty; a profile needs a name")
	}
	body, err := marshalXML(p)
	if err != nil {
		return 0, err
	}
	raw, err := c.do(ctx, request{method: http.MethodPost, path: profileIDPath(0), body: body, contentType: xmlType, accept: xmlType})
	if err != nil {
		return 0, err
	}
	return parseWriteID(raw, "POST", profileIDPath(0))
}

// ProfileUpdate is what [Client.UpdateProfile] sends: general only, scope
// only, or both. A nil part is omitted, and Jamf's partial merge leaves the
// stored one alone.
type ProfileUpdate struct {
	General *General
	Scope   *Scope
}

type updateWire struct {
	XMLName xml.Name `xml:"os_x_configuration_profile"`
	General *General `xml:"general,omitempty"`
	Scope   *Scope   `xml:"scope,omitempty"`
}

// UpdateProfile changes profile id with one top-level PUT .../id/{id}. It
// never uses the /subset/ paths, which the Jamf Platform gateway refuses
// with 403. To avoid "ghost profiles" on Macs, a General carrying Payloads
// must keep the stored top-level PayloadUUID and PayloadIdentifier.
func (c *Client) UpdateProfile(ctx context.Context, id int, u ProfileUpdate) error {
	if err := checkID(id); err != nil {
		return err
	}
	if u.General == nil && u.Scope == nil {
		return fmt.Errorf("jamf: update of profile %d has neither general nor scope; nothing to send", id)
	}
	if u.General != nil && strings.TrimSpace(u.General.Name) == "" {
		return fmt.Errorf("jamf: general.name is empty; send the profile's name with general")
	}
	body, err := marshalXML(updateWire{General: u.General, Scope: u.Scope})
	if err != nil {
		return err
	}
	raw, err := c.do(ctx, request{method: http.MethodPut, path: profileIDPath(id), body: body, contentType: xmlType, accept: xmlType})
	if err != nil {
		return err
	}
	_, err = parseWriteID(raw, "PUT", profileIDPath(id))
	return err
}

// DeleteProfile deletes profile id (DELETE .../id/{id}). Deleting removes
// the profile, and its certificates, from every Mac in scope.
func (c *Client) DeleteProfile(ctx context.Context, id int) error {
	if err := checkID(id); err != nil {
		return err
	}
	_, err := c.do(ctx, request{method: http.MethodDelete, path: profileIDPath(id), accept: xmlType})
	return err
}

func profileIDPath(id int) string { return profilesPath + "/id/" + strconv.Itoa(id) }

func checkID(id int) error {
	if id <= 0 {
		return fmt.Errorf("jamf: profile id %d is not valid; ids are positive integers", id)
	}
	return nil
}

func (c *Client) getXML(ctx context.Context, path string, out any) error {
	raw, err := c.do(ctx, request{method: http.MethodGet, path: path, accept: xmlType})
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("jamf: GET %s: answer is not the expected XML: %w", path, err)
	}
	return nil
}

func marshalXML(v any) ([]byte, error) {
	b, err := xml.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("jamf: encode profile XML: %w", err)
	}
	return append([]byte(xml.Header), b...), nil
}

// parseWriteID reads the id from a Classic write answer:
// <os_x_configuration_profile><id>N</id></os_x_configuration_profile>.
func parseWriteID(raw []byte, method, path string) (int, error) {
	var v struct {
		ID int `xml:"id"`
	}
	if err := xml.Unmarshal(raw, &v); err != nil || v.ID <= 0 {
		return 0, fmt.Errorf("jamf: %s %s: answer has no profile id", method, path)
	}
	return v.ID, nil
}
