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

// ProfileSummary is one entry of the profile list.
type ProfileSummary struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
}

// ListProfiles returns every macOS configuration profile's id and name
// (GET /JSSResource/osxconfigurationprofiles), in server order. An answer
// that is not an <os_x_configuration_profiles> list, whose <size>
// disagrees with its entries, or with an id that is not a positive integer
// or appears twice, is an error matching ErrWrongDocument: it is never read
// as "no profiles".
func (c *Client) ListProfiles(ctx context.Context) ([]ProfileSummary, error) {
	raw, err := c.do(ctx, request{method: http.MethodGet, path: profilesPath, accept: xmlType})
	if err != nil {
		return nil, err
	}
	return decodeProfileList(raw)
}

// decodeProfileList reads and checks a profile list answer.
func decodeProfileList(raw []byte) ([]ProfileSummary, error) {
	var v struct {
		Size     *string          `xml:"size"`
		Profiles []ProfileSummary `xml:"os_x_configuration_profile"`
	}
	if err := decodeXML(raw, http.MethodGet, profilesPath, "os_x_configuration_profiles", &v); err != nil {
		return nil, err
	}
	if err := checkSize(http.MethodGet, profilesPath, v.Size, len(v.Profiles)); err != nil {
		return nil, err
	}
	seen := make(map[int]bool, len(v.Profiles))
	for _, p := range v.Profiles {
		if p.ID <= 0 || seen[p.ID] {
			return nil, wrongDoc(http.MethodGet, profilesPath, "list holds profile id %d, which is not a positive integer or appears twice", p.ID)
		}
		if strings.TrimSpace(p.Name) == "" {
			// Jamf requires a name: an entry without one is not Jamf's
			// list, and matching names against it would lead to a create.
			return nil, wrongDoc(http.MethodGet, profilesPath, "list holds profile id %d without a name", p.ID)
		}
		seen[p.ID] = true
	}
	return v.Profiles, nil
}

// GetProfile returns profile id (GET .../id/{id}). A missing profile is an
// *Error matching ErrNotFound.
func (c *Client) GetProfile(ctx context.Context, id int) (*Profile, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	raw, err := c.do(ctx, request{method: http.MethodGet, path: profileIDPath(id), accept: xmlType})
	if err != nil {
		return nil, err
	}
	return decodeProfile(raw, id)
}

// decodeProfile reads profile id from a GET answer: the root must be
// <os_x_configuration_profile> and general/id must be id, so that another
// object's record is never taken for it.
func decodeProfile(raw []byte, id int) (*Profile, error) {
	var p Profile
	if err := decodeXML(raw, http.MethodGet, profileIDPath(id), "os_x_configuration_profile", &p); err != nil {
		return nil, err
	}
	if p.General.ID != id {
		return nil, wrongDoc(http.MethodGet, profileIDPath(id), "answer is profile id %d, want %d", p.General.ID, id)
	}
	return &p, nil
}

// ProfileNotFoundError is a profile name that no macOS configuration
// profile has, with up to three stored names close to it (nearest first).
// It matches [ErrNotFound] through [errors.Is].
type ProfileNotFoundError struct {
	Name        string
	Suggestions []string
}

// Error returns `jamf: no macOS configuration profile is named "x" (did
// you mean "y"?)`.
func (e *ProfileNotFoundError) Error() string {
	return "jamf: no macOS configuration profile is named " + strconv.Quote(e.Name) + e.DidYouMean()
}

// DidYouMean is ` (did you mean "y" or "z"?)`, or "" without suggestions.
func (e *ProfileNotFoundError) DidYouMean() string {
	if len(e.Suggestions) == 0 {
		return ""
	}
	q := make([]string, len(e.Suggestions))
	for i, s := range e.Suggestions {
		q[i] = strconv.Quote(s)
	}
	return " (did you mean " + strings.Join(q, " or ") + "?)"
}

// Is reports whether target is ErrNotFound.
func (e *ProfileNotFoundError) Is(target error) bool { return target == ErrNotFound }

// FindProfileByName returns the one profile named name, matched as Jamf
// compares names (see names.go): trimmed, an exact match winning over
// names that differ only in case. It lists profiles and matches there
// rather than use GET .../name/{name}, which silently picks one of several
// profiles with that name. No match gives a *[ProfileNotFoundError] (it
// matches ErrNotFound) with the close names;
// two or more exact matches, or no exact match and two or more case
// variants, give an *AmbiguousNameError with every id. A case variant found
// alone is returned: its stored name differs from name, which a plan shows
// as a rename.
func (c *Client) FindProfileByName(ctx context.Context, name string) (*Profile, error) {
	id, err := c.ProfileIDByName(ctx, name)
	if err != nil {
		return nil, err
	}
	return c.GetProfile(ctx, id)
}

// ProfileIDByName is FindProfileByName without the read: the id of the
// one profile named name, from the profile list alone, with the same
// errors. A caller that reads other things by the id (verify's MDM
// commands) starts them together with the read.
func (c *Client) ProfileIDByName(ctx context.Context, name string) (int, error) {
	list, err := c.ListProfiles(ctx)
	if err != nil {
		return 0, err
	}
	want := strings.TrimSpace(name)
	idx := newNameIndex(len(list))
	for i, p := range list {
		idx.add(p.Name, i)
	}
	hits, folded := idx.lookup(want)
	switch len(hits) {
	case 0:
		cands := make([]candidate, len(list))
		for i, p := range list {
			cands[i] = candidate{name: p.Name}
		}
		return 0, &ProfileNotFoundError{Name: want, Suggestions: closeMatches(want, cands, 3)}
	case 1:
		return list[hits[0]].ID, nil
	}
	strIDs := make([]string, len(hits))
	for i, h := range hits {
		strIDs[i] = strconv.Itoa(list[h].ID)
	}
	sortIDs(strIDs)
	return 0, &AmbiguousNameError{Kind: "macOS configuration profile", Name: want, IDs: strIDs, IgnoringCase: folded}
}

// CreateProfile creates p (POST .../id/0) and returns the new id from the
// 201 answer. It is never retried: a create that may have reached the
// server would meet its own name (409). A name already in use answers 409
// (ErrConflict). An error matching ErrMayHaveApplied (a 5xx, a lost
// answer, an answer without the id) means the profile may exist: list
// profiles to find out. The server replaces the top-level PayloadUUID and
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
	id, err := parseWriteID(raw, "POST", profileIDPath(0))
	return id, writeOutcome(err, true)
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
	return writeOutcome(err, true)
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

func marshalXML(v any) ([]byte, error) {
	b, err := xml.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("jamf: encode profile XML: %w", err)
	}
	return append([]byte(xml.Header), b...), nil
}

// parseWriteID reads the id from a Classic write answer:
// <os_x_configuration_profile><id>N</id></os_x_configuration_profile>.
// Any other answer is an error matching ErrWrongDocument; the write it
// answers was made, but its id is unknown.
func parseWriteID(raw []byte, method, path string) (int, error) {
	var v struct {
		ID int `xml:"id"`
	}
	if err := decodeXML(raw, method, path, "os_x_configuration_profile", &v); err != nil {
		return 0, err
	}
	if v.ID <= 0 {
		return 0, wrongDoc(method, path, "answer has no profile id")
	}
	return v.ID, nil
}
