package jamfsim

import (
	"maps"
	"slices"
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
