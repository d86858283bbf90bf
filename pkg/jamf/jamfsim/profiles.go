package jamfsim

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Enum values of a profile's general element (Classic API
// osxconfigurationprofiles schema).
const (
	DistributionAutomatic   = "Install Automatically"
	DistributionSelfService = "Make Available in Self Service"
	LevelComputer           = "System"
	LevelUser               = "User"
	RedeployNewlyAssigned   = "Newly Assigned"
	RedeployAll             = "All"
)

// Targets are the lists of a scope's targets or exclusions, by Jamf id.
type Targets struct {
	Computers      []int
	ComputerGroups []int
	Buildings      []int
	Departments    []int
}

// Scope is a profile's scope.
//
// Other holds the lists the simulator stores and answers but does not
// evaluate (they play no part in [Server.ScopedComputers]): the inner XML
// last sent for each, keyed by its path below <scope> (see [OtherLists]),
// such as "jss_users", "limitations/users" or "exclusions/jss_user_groups";
// "all_jss_users" holds "true" or "false". A missing key answers an empty
// list.
type Scope struct {
	AllComputers bool
	Targets      Targets
	Exclusions   Targets
	Other        map[string]string
}

// Profile is a macOS configuration profile as the server stores it.
type Profile struct {
	ID                 int
	Name               string
	Description        string
	SiteID             int
	SiteName           string
	CategoryID         int
	CategoryName       string
	DistributionMethod string
	UserRemovable      bool
	Level              string
	// UUID is general/uuid, equal to the top-level PayloadUUID.
	UUID string
	// RedeployOnUpdate is the last value a client sent (what GET would
	// answer without QuirkRedeployWriteOnly).
	RedeployOnUpdate string
	// Payloads is the stored plist text.
	Payloads string
	Scope    Scope
}

func (p *Profile) clone() *Profile {
	c := *p
	c.Scope.Targets = p.Scope.Targets.clone()
	c.Scope.Exclusions = p.Scope.Exclusions.clone()
	c.Scope.Other = maps.Clone(p.Scope.Other)
	return &c
}

func (t Targets) clone() Targets {
	return Targets{
		Computers: slices.Clone(t.Computers), ComputerGroups: slices.Clone(t.ComputerGroups),
		Buildings: slices.Clone(t.Buildings), Departments: slices.Clone(t.Departments),
	}
}

func newProfile() *Profile {
	return &Profile{
		SiteID: -1, SiteName: "None", CategoryID: -1, CategoryName: "No category assigned",
		DistributionMethod: DistributionAutomatic, Level: LevelComputer,
		RedeployOnUpdate: RedeployNewlyAssigned,
	}
}

// Redeploy records one write that carried redeploy_on_update, so tests can
// assert that no write asked every Mac to reinstall.
type Redeploy struct {
	ProfileID int
	Method    string
	// Sent is the value as sent (before any defaulting).
	Sent string
	// Reinstalled is how many Macs got the profile reinstalled: the size
	// of the effective scope for a PUT with "All", otherwise 0.
	Reinstalled int
}

// Redeploys returns every recorded redeploy_on_update write in order.
func (s *Server) Redeploys() []Redeploy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.redeploys)
}

// profileVersion is one committed state of a profile; p is nil for a
// deletion.
type profileVersion struct {
	at   time.Time
	node int
	p    *Profile
}

// AddProfile stores p as if created on every node long ago (no quirks
// applied, names may repeat) and returns its id. Empty enum fields get
// their defaults.
func (s *Server) AddProfile(p Profile) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	np := newProfile()
	id := s.nextProfileID
	s.nextProfileID++
	p.ID = id
	if p.SiteName == "" {
		p.SiteID, p.SiteName = np.SiteID, np.SiteName
	}
	if p.CategoryName == "" {
		p.CategoryID, p.CategoryName = np.CategoryID, np.CategoryName
	}
	if p.DistributionMethod == "" {
		p.DistributionMethod = np.DistributionMethod
	}
	if p.Level == "" {
		p.Level = np.Level
	}
	if p.RedeployOnUpdate == "" {
		p.RedeployOnUpdate = np.RedeployOnUpdate
	}
	if p.UUID == "" {
		p.UUID = topLevelString(p.Payloads, "PayloadUUID")
	}
	s.profiles[id] = []profileVersion{{node: -1, p: p.clone()}}
	return id
}

// Profile returns the newest stored state of profile id, as every node
// will see it once replicated.
func (s *Server) Profile(id int) (Profile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.latestProfile(id)
	if p == nil {
		return Profile{}, false
	}
	return *p.clone(), true
}

// Profiles returns the newest state of every profile, by id.
func (s *Server) Profiles() []Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Profile
	for _, id := range s.profileIDs() {
		if p := s.latestProfile(id); p != nil {
			out = append(out, *p.clone())
		}
	}
	return out
}

func (s *Server) profileIDs() []int {
	ids := make([]int, 0, len(s.profiles))
	for id := range s.profiles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (s *Server) latestProfile(id int) *Profile {
	vs := s.profiles[id]
	if len(vs) == 0 {
		return nil
	}
	return vs[len(vs)-1].p
}

// visibleProfile is profile id as node sees it: its own writes at once,
// other nodes' writes after the replication lag. s.mu must be held.
func (s *Server) visibleProfile(node, id int) *Profile {
	vs := s.profiles[id]
	if !s.has(QuirkReplicationLag) {
		if len(vs) == 0 {
			return nil
		}
		return vs[len(vs)-1].p
	}
	now := s.now()
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		if v.node == node || v.node < 0 || !now.Before(v.at.Add(s.opts.ReplicationLag)) {
			return v.p
		}
	}
	return nil
}

func (s *Server) visibleProfiles(node int) []*Profile {
	var out []*Profile
	for _, id := range s.profileIDs() {
		if p := s.visibleProfile(node, id); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) commit(node, id int, p *Profile) {
	s.profiles[id] = append(s.profiles[id], profileVersion{at: s.now(), node: node, p: p})
}

// ScopedComputers returns the ids of the computers in profile id's
// effective scope (newest state): all computers, or the union of the
// targeted computers, group members, buildings and departments, less the
// union of the exclusions; ascending.
func (s *Server) ScopedComputers(id int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.latestProfile(id)
	if p == nil {
		return nil
	}
	return s.effectiveScope(p.Scope)
}

func (s *Server) effectiveScope(sc Scope) []int {
	in := s.targetSet(sc.Targets)
	if sc.AllComputers {
		for _, c := range s.computers {
			in[c.ID] = true
		}
	}
	out := s.targetSet(sc.Exclusions)
	ids := make([]int, 0, len(in))
	for id := range in {
		if !out[id] {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (s *Server) targetSet(t Targets) map[int]bool {
	set := make(map[int]bool)
	for _, id := range t.Computers {
		if s.computerByID(id) != nil {
			set[id] = true
		}
	}
	for _, gid := range t.ComputerGroups {
		if gid >= 1 && gid <= len(s.groups) {
			for _, id := range s.groupMembers(s.groups[gid-1]) {
				set[id] = true
			}
		}
	}
	if len(t.Buildings) > 0 || len(t.Departments) > 0 {
		for _, c := range s.computers {
			if (c.buildingID != 0 && slices.Contains(t.Buildings, c.buildingID)) ||
				(c.departmentID != 0 && slices.Contains(t.Departments, c.departmentID)) {
				set[c.ID] = true
			}
		}
	}
	return set
}

// ---- Classic API wire types (inbound: pointers mark omitted elements) ----

type anyElem struct {
	XMLName xml.Name
	Inner   string `xml:",innerxml"`
}

type inProfile struct {
	XMLName     xml.Name   `xml:"os_x_configuration_profile"`
	General     *inGeneral `xml:"general"`
	Scope       *inScope   `xml:"scope"`
	SelfService *anyElem   `xml:"self_service"`
	Unknown     []anyElem  `xml:",any"`
}

type inGeneral struct {
	ID                 *string   `xml:"id"`
	Name               *string   `xml:"name"`
	Description        *string   `xml:"description"`
	Site               *inRef    `xml:"site"`
	Category           *inRef    `xml:"category"`
	DistributionMethod *string   `xml:"distribution_method"`
	UserRemovable      *string   `xml:"user_removable"`
	Level              *string   `xml:"level"`
	UUID               *string   `xml:"uuid"`
	RedeployOnUpdate   *string   `xml:"redeploy_on_update"`
	Payloads           *string   `xml:"payloads"`
	Unknown            []anyElem `xml:",any"`
}

type inRef struct {
	ID      *string   `xml:"id"`
	Name    *string   `xml:"name"`
	Unknown []anyElem `xml:",any"`
}

type inRefList struct {
	Items []struct {
		XMLName xml.Name
		inRef
	} `xml:",any"`
}

type inTargets struct {
	Computers      *inRefList `xml:"computers"`
	ComputerGroups *inRefList `xml:"computer_groups"`
	Buildings      *inRefList `xml:"buildings"`
	Departments    *inRefList `xml:"departments"`
}

type inScope struct {
	AllComputers  *string  `xml:"all_computers"`
	AllJSSUsers   *string  `xml:"all_jss_users"`
	JSSUsers      *anyElem `xml:"jss_users"`
	JSSUserGroups *anyElem `xml:"jss_user_groups"`
	inTargets
	Limitations *struct {
		Users           *anyElem  `xml:"users"`
		UserGroups      *anyElem  `xml:"user_groups"`
		NetworkSegments *anyElem  `xml:"network_segments"`
		IBeacons        *anyElem  `xml:"ibeacons"`
		Other           []anyElem `xml:",any"`
	} `xml:"limitations"`
	Exclusions *struct {
		inTargets
		Users           *anyElem  `xml:"users"`
		UserGroups      *anyElem  `xml:"user_groups"`
		NetworkSegments *anyElem  `xml:"network_segments"`
		IBeacons        *anyElem  `xml:"ibeacons"`
		JSSUsers        *anyElem  `xml:"jss_users"`
		JSSUserGroups   *anyElem  `xml:"jss_user_groups"`
		Other           []anyElem `xml:",any"`
	} `xml:"exclusions"`
	Other []anyElem `xml:",any"`
}

// otherLists pairs each unmodelled list of sc with its key in
// [Scope.Other], in [OtherLists] order; an omitted list is nil.
func (sc *inScope) otherLists() []*anyElem {
	out := []*anyElem{sc.JSSUsers, sc.JSSUserGroups}
	if l := sc.Limitations; l != nil {
		out = append(out, l.Users, l.UserGroups, l.NetworkSegments, l.IBeacons)
	} else {
		out = append(out, nil, nil, nil, nil)
	}
	if x := sc.Exclusions; x != nil {
		out = append(out, x.Users, x.UserGroups, x.NetworkSegments, x.IBeacons, x.JSSUsers, x.JSSUserGroups)
	} else {
		out = append(out, nil, nil, nil, nil, nil, nil)
	}
	return out
}

// ---- Classic API wire types (outbound) ----

type outRef struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
}

type outComputer struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
	UDID string `xml:"udid"`
}

type outGeneral struct {
	ID                 int    `xml:"id"`
	Name               string `xml:"name"`
	Description        string `xml:"description"`
	Site               outRef `xml:"site"`
	Category           outRef `xml:"category"`
	DistributionMethod string `xml:"distribution_method"`
	UserRemovable      bool   `xml:"user_removable"`
	Level              string `xml:"level"`
	UUID               string `xml:"uuid"`
	RedeployOnUpdate   string `xml:"redeploy_on_update"`
	// Payloads holds the stored plist escaped as Jamf escapes it: only
	// '&', '<' and '>'.
	Payloads rawXML `xml:"payloads"`
}

type outTargets struct {
	Computers struct {
		Items []outComputer `xml:"computer"`
	} `xml:"computers"`
	Buildings struct {
		Items []outRef `xml:"building"`
	} `xml:"buildings"`
	Departments struct {
		Items []outRef `xml:"department"`
	} `xml:"departments"`
	ComputerGroups struct {
		Items []outRef `xml:"computer_group"`
	} `xml:"computer_groups"`
}

type rawXML struct {
	Inner string `xml:",innerxml"`
}

type outScope struct {
	AllComputers bool `xml:"all_computers"`
	AllJSSUsers  bool `xml:"all_jss_users"`
	outTargets
	JSSUsers      rawXML `xml:"jss_users"`
	JSSUserGroups rawXML `xml:"jss_user_groups"`
	Limitations   struct {
		Users           rawXML `xml:"users"`
		UserGroups      rawXML `xml:"user_groups"`
		NetworkSegments rawXML `xml:"network_segments"`
		IBeacons        rawXML `xml:"ibeacons"`
	} `xml:"limitations"`
	Exclusions struct {
		outTargets
		Users           rawXML `xml:"users"`
		UserGroups      rawXML `xml:"user_groups"`
		NetworkSegments rawXML `xml:"network_segments"`
		IBeacons        rawXML `xml:"ibeacons"`
		JSSUsers        rawXML `xml:"jss_users"`
		JSSUserGroups   rawXML `xml:"jss_user_groups"`
	} `xml:"exclusions"`
}

type outSelfService struct {
	InstallButtonText           string `xml:"install_button_text"`
	SelfServiceDescription      string `xml:"self_service_description"`
	ForceUsersToViewDescription bool   `xml:"force_users_to_view_description"`
	FeatureOnMainPage           bool   `xml:"feature_on_main_page"`
}

type outProfile struct {
	XMLName     xml.Name        `xml:"os_x_configuration_profile"`
	General     *outGeneral     `xml:"general,omitempty"`
	Scope       *outScope       `xml:"scope,omitempty"`
	SelfService *outSelfService `xml:"self_service,omitempty"`
}

type outListItem struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
}

type outList struct {
	XMLName xml.Name      `xml:"os_x_configuration_profiles"`
	Size    int           `xml:"size"`
	Items   []outListItem `xml:"os_x_configuration_profile"`
}

type outID struct {
	XMLName xml.Name `xml:"os_x_configuration_profile"`
	ID      int      `xml:"id"`
}

func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		writeClassicError(w, http.StatusInternalServerError, "jamfsim: encoding XML: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header[:len(xml.Header)-1])
	_, _ = w.Write(b)
}

// ---- handlers ----

const profilesPath = "/JSSResource/osxconfigurationprofiles"

func (s *Server) handleProfileList(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivReadProfiles) {
		return
	}
	s.mu.Lock()
	ps := s.visibleProfiles(info(r).node)
	out := outList{Size: len(ps), Items: make([]outListItem, 0, len(ps))}
	for _, p := range ps {
		out.Items = append(out.Items, outListItem{ID: p.ID, Name: p.Name})
	}
	s.mu.Unlock()
	writeXML(w, http.StatusOK, out)
}

// lookupProfile finds the profile named by the {id} or {name} path value
// as the request's node sees it. s.mu must be held.
func (s *Server) lookupProfile(r *http.Request) *Profile {
	node := info(r).node
	if v := r.PathValue("id"); v != "" {
		id, err := strconv.Atoi(v)
		if err != nil {
			return nil
		}
		return s.visibleProfile(node, id)
	}
	name := r.PathValue("name")
	for _, p := range s.visibleProfiles(node) {
		if p.Name == name {
			return p // the lowest id among equal names
		}
	}
	return nil
}

func (s *Server) handleProfileGet(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivReadProfiles) {
		return
	}
	s.mu.Lock()
	p := s.lookupProfile(r)
	if p == nil {
		s.mu.Unlock()
		writeClassicError(w, http.StatusNotFound, "")
		return
	}
	out := s.render(p)
	s.mu.Unlock()
	if sub := r.PathValue("subset"); sub != "" {
		keep := strings.ToLower(sub)
		if !strings.Contains(keep, "general") {
			out.General = nil
		}
		if !strings.Contains(keep, "scope") {
			out.Scope = nil
		}
		if !strings.Contains(keep, "selfservice") && !strings.Contains(keep, "self_service") {
			out.SelfService = nil
		}
	}
	writeXML(w, http.StatusOK, out)
}

// render builds the GET document for p. s.mu must be held.
func (s *Server) render(p *Profile) outProfile {
	g := &outGeneral{
		ID: p.ID, Name: p.Name, Description: p.Description,
		Site:               outRef{ID: p.SiteID, Name: p.SiteName},
		Category:           outRef{ID: p.CategoryID, Name: p.CategoryName},
		DistributionMethod: p.DistributionMethod, UserRemovable: p.UserRemovable,
		Level: p.Level, UUID: p.UUID, RedeployOnUpdate: p.RedeployOnUpdate,
		Payloads: rawXML{escapeJamf(p.Payloads)},
	}
	if s.has(QuirkRedeployWriteOnly) {
		g.RedeployOnUpdate = RedeployNewlyAssigned
	}
	sc := &outScope{AllComputers: p.Scope.AllComputers, AllJSSUsers: p.Scope.Other[keyAllJSSUsers] == "true"}
	sc.outTargets = s.renderTargets(p.Scope.Targets)
	sc.Exclusions.outTargets = s.renderTargets(p.Scope.Exclusions)
	l, x := &sc.Limitations, &sc.Exclusions
	for i, dst := range []*rawXML{
		&sc.JSSUsers, &sc.JSSUserGroups,
		&l.Users, &l.UserGroups, &l.NetworkSegments, &l.IBeacons,
		&x.Users, &x.UserGroups, &x.NetworkSegments, &x.IBeacons, &x.JSSUsers, &x.JSSUserGroups,
	} {
		dst.Inner = p.Scope.Other[OtherLists[i]]
	}
	return outProfile{General: g, Scope: sc, SelfService: &outSelfService{InstallButtonText: "Install"}}
}

func (s *Server) renderTargets(t Targets) outTargets {
	var o outTargets
	for _, id := range t.Computers {
		if c := s.computerByID(id); c != nil {
			o.Computers.Items = append(o.Computers.Items, outComputer{ID: id, Name: c.Name, UDID: c.UDID})
		}
	}
	for _, id := range t.ComputerGroups {
		if id >= 1 && id <= len(s.groups) {
			o.ComputerGroups.Items = append(o.ComputerGroups.Items, outRef{ID: id, Name: s.groups[id-1].name})
		}
	}
	for _, id := range t.Buildings {
		if id >= 1 && id <= len(s.buildings) {
			o.Buildings.Items = append(o.Buildings.Items, outRef{ID: id, Name: s.buildings[id-1].name})
		}
	}
	for _, id := range t.Departments {
		if id >= 1 && id <= len(s.departments) {
			o.Departments.Items = append(o.Departments.Items, outRef{ID: id, Name: s.departments[id-1].name})
		}
	}
	return o
}

// classicError is a failed write: a status and the message for
// <p>Error: ...</p>.
type classicError struct {
	status int
	msg    string
}

func (e *classicError) Error() string { return e.msg }

func badRequest(format string, args ...any) *classicError {
	return &classicError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *classicError {
	return &classicError{http.StatusConflict, fmt.Sprintf(format, args...)}
}

const maxBody = 16 << 20

// readProfileBody decodes a Classic write. Like Jamf, it refuses a body
// that is not declared as XML with 415.
func readProfileBody(r *http.Request) (*inProfile, *classicError) {
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "text/xml") && !strings.HasPrefix(ct, "application/xml") {
		return nil, &classicError{http.StatusUnsupportedMediaType, "send the body as text/xml or application/xml"}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, badRequest("reading the request body: %v", err)
	}
	var in inProfile
	if err := xml.Unmarshal(body, &in); err != nil {
		return nil, badRequest("Problem with XML: %v", err)
	}
	return &in, nil
}

func (s *Server) handleProfileCreate(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivCreateProfiles) {
		return
	}
	in, cerr := readProfileBody(r)
	if cerr == nil {
		s.mu.Lock()
		var id int
		id, cerr = s.create(info(r).node, in)
		s.mu.Unlock()
		if cerr == nil {
			writeXML(w, http.StatusCreated, outID{ID: id})
			return
		}
	}
	writeClassicError(w, cerr.status, cerr.msg)
}

func (s *Server) handleProfileUpdate(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivUpdateProfiles) {
		return
	}
	if r.PathValue("subset") != "" && s.has(QuirkGatewaySubset) {
		writeClassicError(w, http.StatusForbidden, "")
		return
	}
	in, cerr := readProfileBody(r)
	if cerr == nil {
		s.mu.Lock()
		cur := s.lookupProfile(r)
		if cur == nil {
			s.mu.Unlock()
			writeClassicError(w, http.StatusNotFound, "")
			return
		}
		cerr = s.update(info(r).node, cur, in)
		id := cur.ID
		s.mu.Unlock()
		if cerr == nil {
			writeXML(w, http.StatusCreated, outID{ID: id})
			return
		}
	}
	writeClassicError(w, cerr.status, cerr.msg)
}

func (s *Server) handleProfileDelete(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivDeleteProfiles) {
		return
	}
	s.mu.Lock()
	p := s.lookupProfile(r)
	if p == nil {
		s.mu.Unlock()
		writeClassicError(w, http.StatusNotFound, "")
		return
	}
	s.commit(info(r).node, p.ID, nil)
	s.mu.Unlock()
	writeXML(w, http.StatusOK, outID{ID: p.ID})
}

// create stores a new profile from in. s.mu must be held.
func (s *Server) create(node int, in *inProfile) (int, *classicError) {
	if err := s.checkStrict(in); err != nil {
		return 0, err
	}
	p := newProfile()
	if in.General == nil || in.General.Name == nil {
		return 0, conflict("Name is required")
	}
	redeploy, err := s.applyGeneral(p, in.General)
	if err != nil {
		return 0, err
	}
	if p.Name == "" {
		return 0, conflict("Name is required")
	}
	if err := s.checkName(node, 0, p.Name); err != nil {
		return 0, err
	}
	if in.Scope != nil {
		if err := s.applyScope(p, in.Scope, true); err != nil {
			return 0, err
		}
	}
	newID := ""
	if s.has(QuirkReplaceTopLevelIDs) {
		newID = newUUID(nil)
	}
	if in.General.Payloads != nil {
		text, err := storePayload(*in.General.Payloads, s.rewrite(p, newID))
		if err != nil {
			return 0, conflict(msgDatabase)
		}
		p.Payloads = text
	}
	p.UUID = topLevelString(p.Payloads, "PayloadUUID")
	if p.UUID == "" {
		p.UUID = newUUID(nil)
	}
	p.ID = s.nextProfileID
	s.nextProfileID++
	if redeploy != nil {
		s.redeploys = append(s.redeploys, Redeploy{ProfileID: p.ID, Method: http.MethodPost, Sent: *redeploy})
	}
	s.commit(node, p.ID, p)
	return p.ID, nil
}

// update merges in into a copy of cur and stores it. s.mu must be held.
func (s *Server) update(node int, cur *Profile, in *inProfile) *classicError {
	if err := s.checkStrict(in); err != nil {
		return err
	}
	p := cur.clone()
	var redeploy *string
	if in.General != nil {
		var err *classicError
		if redeploy, err = s.applyGeneral(p, in.General); err != nil {
			return err
		}
		if p.Name == "" {
			return conflict("Name is required")
		}
		if p.Name != cur.Name {
			if err := s.checkName(node, p.ID, p.Name); err != nil {
				return err
			}
		}
		switch {
		case in.General.Payloads != nil:
			text, err := storePayload(*in.General.Payloads, s.rewrite(p, ""))
			if err != nil {
				return conflict(msgDatabase)
			}
			p.Payloads = text
			if u := topLevelString(p.Payloads, "PayloadUUID"); u != "" {
				p.UUID = u
			}
		case s.has(QuirkReserialize) && p.Payloads != "":
			// Jamf rewrites the stored plist with the new name and
			// description.
			if tree, err := parsePlist(p.Payloads); err == nil {
				if text, err := reserialize(tree.(map[string]any), p.Name, p.Description); err == nil {
					p.Payloads = text
				}
			}
		}
	}
	switch {
	case in.Scope != nil:
		replace := !s.has(QuirkPartialPut) || s.opts.ScopeWrite == ScopeWriteReplace
		if err := s.applyScope(p, in.Scope, replace); err != nil {
			return err
		}
	case !s.has(QuirkPartialPut):
		p.Scope = Scope{}
	}
	if redeploy != nil {
		rd := Redeploy{ProfileID: p.ID, Method: http.MethodPut, Sent: *redeploy}
		if p.RedeployOnUpdate == RedeployAll {
			scoped := s.effectiveScope(p.Scope)
			rd.Reinstalled = len(scoped)
			for _, cid := range scoped {
				s.addCommand(MDMCommand{ComputerID: cid, ProfileID: p.ID, Type: "INSTALL_PROFILE"})
			}
		}
		s.redeploys = append(s.redeploys, rd)
	}
	s.commit(node, p.ID, p)
	return nil
}

func (s *Server) rewrite(p *Profile, newID string) payloadRewrite {
	return payloadRewrite{
		entityDecode:  s.has(QuirkEntityDecode),
		phantomArrays: s.has(QuirkPhantomArrays),
		reserialize:   s.has(QuirkReserialize),
		newTopID:      newID,
		displayName:   p.Name,
		description:   p.Description,
	}
}

func (s *Server) checkName(node, selfID int, name string) *classicError {
	if !s.has(QuirkNameConflict) {
		return nil
	}
	for _, o := range s.visibleProfiles(node) {
		same := o.Name == name || s.has(QuirkCaseInsensitiveNames) && strings.EqualFold(o.Name, name)
		if o.ID != selfID && same {
			return conflict("Duplicate name")
		}
	}
	return nil
}

// checkStrict refuses unknown elements when QuirkLenientXML is off.
func (s *Server) checkStrict(in *inProfile) *classicError {
	if s.has(QuirkLenientXML) {
		return nil
	}
	unknown := func(where string, els []anyElem) *classicError {
		if len(els) > 0 {
			return badRequest("unknown element <%s> in %s", els[0].XMLName.Local, where)
		}
		return nil
	}
	if err := unknown("os_x_configuration_profile", in.Unknown); err != nil {
		return err
	}
	if in.General != nil {
		if err := unknown("general", in.General.Unknown); err != nil {
			return err
		}
	}
	if in.Scope != nil {
		if err := unknown("scope", in.Scope.Other); err != nil {
			return err
		}
		if in.Scope.Limitations != nil {
			if err := unknown("limitations", in.Scope.Limitations.Other); err != nil {
				return err
			}
		}
		if in.Scope.Exclusions != nil {
			if err := unknown("exclusions", in.Scope.Exclusions.Other); err != nil {
				return err
			}
		}
	}
	return nil
}

// enum returns v if it is one of allowed; otherwise the default (lenient)
// or a 400 naming the field.
func (s *Server) enum(field, v string, allowed ...string) (string, *classicError) {
	if slices.Contains(allowed, v) {
		return v, nil
	}
	if s.has(QuirkLenientXML) {
		return allowed[0], nil
	}
	return "", badRequest("invalid value %q for %s; options are %s", v, field, strings.Join(allowed, ", "))
}

func (s *Server) boolean(field, v string) (bool, *classicError) {
	switch strings.TrimSpace(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	if s.has(QuirkLenientXML) {
		return false, nil
	}
	return false, badRequest("invalid value %q for %s; options are true, false", v, field)
}

// applyGeneral merges g into p field by field and returns the
// redeploy_on_update value as sent, if any.
func (s *Server) applyGeneral(p *Profile, g *inGeneral) (*string, *classicError) {
	var err *classicError
	if g.Name != nil {
		p.Name = *g.Name
		if s.has(QuirkTrimNames) {
			p.Name = strings.TrimSpace(p.Name)
		}
		if s.has(QuirkNonBMPNames) {
			p.Name = replaceNonBMP(p.Name)
		}
	}
	if g.Description != nil {
		p.Description = *g.Description
		if s.has(QuirkNonBMPNames) {
			p.Description = replaceNonBMP(p.Description)
		}
	}
	if g.Site != nil {
		p.SiteID, p.SiteName = refValues(g.Site, -1, "None")
	}
	if g.Category != nil {
		p.CategoryID, p.CategoryName = refValues(g.Category, -1, "No category assigned")
	}
	if g.DistributionMethod != nil {
		if p.DistributionMethod, err = s.enum("distribution_method", *g.DistributionMethod, DistributionAutomatic, DistributionSelfService); err != nil {
			return nil, err
		}
	}
	if g.Level != nil {
		if p.Level, err = s.enum("level", *g.Level, LevelComputer, LevelUser); err != nil {
			return nil, err
		}
	}
	if g.UserRemovable != nil {
		if p.UserRemovable, err = s.boolean("user_removable", *g.UserRemovable); err != nil {
			return nil, err
		}
	}
	if g.RedeployOnUpdate != nil {
		if p.RedeployOnUpdate, err = s.enum("redeploy_on_update", *g.RedeployOnUpdate, RedeployNewlyAssigned, RedeployAll); err != nil {
			return nil, err
		}
	}
	return g.RedeployOnUpdate, nil
}

func refValues(r *inRef, defID int, defName string) (int, string) {
	id, name := defID, defName
	if r.ID != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(*r.ID)); err == nil {
			id = n
		}
	}
	if r.Name != nil && *r.Name != "" {
		name = *r.Name
	}
	return id, name
}

// applyScope sets p's scope from sc. With replace, omitted lists are
// emptied, the unmodelled ones too; otherwise each omitted list is left
// alone (see [ScopeWrite]).
func (s *Server) applyScope(p *Profile, sc *inScope, replace bool) *classicError {
	if replace {
		p.Scope = Scope{}
	}
	if sc.AllComputers != nil {
		v, err := s.boolean("all_computers", *sc.AllComputers)
		if err != nil {
			return err
		}
		p.Scope.AllComputers = v
	}
	if err := s.applyTargets(&p.Scope.Targets, &sc.inTargets, "scope"); err != nil {
		return err
	}
	if sc.Exclusions != nil {
		if err := s.applyTargets(&p.Scope.Exclusions, &sc.Exclusions.inTargets, "exclusions"); err != nil {
			return err
		}
	}
	if sc.AllJSSUsers != nil {
		v, err := s.boolean("all_jss_users", *sc.AllJSSUsers)
		if err != nil {
			return err
		}
		p.Scope.setOther(keyAllJSSUsers, strconv.FormatBool(v))
	}
	for i, el := range sc.otherLists() {
		if el != nil {
			p.Scope.setOther(OtherLists[i], el.Inner)
		}
	}
	return nil
}

func (s *Server) applyTargets(t *Targets, in *inTargets, where string) *classicError {
	lists := []struct {
		list  *inRefList
		dst   *[]int
		child string
		find  func(id int, name string) int
	}{
		{in.Computers, &t.Computers, "computer", s.findComputer},
		{in.ComputerGroups, &t.ComputerGroups, "computer_group", s.findGroup},
		{in.Buildings, &t.Buildings, "building", func(id int, name string) int { return findNamed(s.buildings, id, name) }},
		{in.Departments, &t.Departments, "department", func(id int, name string) int { return findNamed(s.departments, id, name) }},
	}
	for _, l := range lists {
		if l.list == nil {
			continue
		}
		ids := []int{}
		for _, it := range l.list.Items {
			if it.XMLName.Local != l.child {
				if s.has(QuirkLenientXML) {
					continue
				}
				return badRequest("unknown element <%s> in %s; expected <%s>", it.XMLName.Local, where, l.child)
			}
			id := 0
			if it.ID != nil {
				id, _ = strconv.Atoi(strings.TrimSpace(*it.ID))
			}
			name := ""
			if it.Name != nil {
				name = *it.Name
			}
			found := l.find(id, name)
			if found == 0 {
				return conflict("Problem with %s in %s", strings.ReplaceAll(l.child, "_", " "), where)
			}
			if !slices.Contains(ids, found) {
				ids = append(ids, found)
			}
		}
		*l.dst = ids
	}
	return nil
}

func (s *Server) findComputer(id int, name string) int {
	if id > 0 {
		if s.computerByID(id) != nil {
			return id
		}
		return 0
	}
	for _, c := range s.computers {
		if name != "" && c.Name == name {
			return c.ID
		}
	}
	return 0
}

func (s *Server) findGroup(id int, name string) int {
	if id > 0 {
		if id <= len(s.groups) {
			return id
		}
		return 0
	}
	for _, g := range s.groups {
		if name != "" && g.name == name {
			return g.id
		}
	}
	return 0
}

func findNamed(items []namedItem, id int, name string) int {
	if id > 0 {
		if id <= len(items) {
			return id
		}
		return 0
	}
	for _, it := range items {
		if name != "" && it.name == name {
			return it.id
		}
	}
	return 0
}

// escapeJamf escapes character data the way Jamf's Classic API does:
// '&', '<' and '>' only; quotes and line breaks stay literal.
func escapeJamf(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// replaceNonBMP stores each character outside the Basic Multilingual Plane
// as '?', as Jamf's database does.
func replaceNonBMP(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '?'
		}
		return r
	}, s)
}
