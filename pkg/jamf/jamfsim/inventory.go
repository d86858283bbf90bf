package jamfsim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Computer is a managed Mac in the simulator's inventory. Building and
// Department are names; seeding one that does not exist yet creates it.
type Computer struct {
	// ID is the Jamf Pro id; AddComputer assigns it.
	ID   int
	Name string
	// UDID is the hardware UUID (36 characters); empty means a fresh one.
	UDID string
	// Serial is the hardware serial number.
	Serial string
	// ManagementID is the MDM client management id; empty means a fresh
	// UUID.
	ManagementID  string
	Building      string
	Department    string
	Username      string
	Email         string
	LastInventory time.Time
	// InstalledProfiles is the CONFIGURATION_PROFILES inventory section.
	InstalledProfiles []InstalledProfile
	// Certificates is the CERTIFICATES inventory section.
	Certificates []Certificate
}

// InstalledProfile is one entry of a computer's CONFIGURATION_PROFILES
// section (Jamf Pro schema ComputerConfigurationProfile).
type InstalledProfile struct {
	// ID is the Jamf Pro id of the profile.
	ID          int
	DisplayName string
	// ProfileIdentifier is the installed profile's top-level
	// PayloadIdentifier.
	ProfileIdentifier string
	Username          string
	LastInstalled     time.Time
	Removable         bool
}

// Certificate is one entry of a computer's CERTIFICATES section (Jamf Pro
// schema ComputerCertificate; it has no issuer field).
type Certificate struct {
	CommonName      string
	SubjectName     string
	SerialNumber    string
	SHA1Fingerprint string
	IssuedDate      time.Time
	ExpirationDate  time.Time
	// Identity is true when the keychain holds the private key as well.
	Identity bool
	Username string
	// LifecycleStatus is ACTIVE or INACTIVE; CertificateStatus is ISSUED,
	// EXPIRING, EXPIRED, REVOKED or PENDING_REVOKE. Empty means ACTIVE and
	// ISSUED.
	LifecycleStatus   string
	CertificateStatus string
}

type computer struct {
	Computer
	buildingID, departmentID int
	sortName                 string // lower-case Name, the default sort key
}

type namedItem struct {
	id   int
	name string
}

type group struct {
	id      int
	name    string
	smart   bool
	members []int               // static groups: computer ids
	match   func(Computer) bool // smart groups
}

// AddComputer adds c to the inventory and returns its id.
func (s *Server) AddComputer(c Computer) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComputer(c)
}

func (s *Server) addComputer(c Computer) int {
	c.ID = len(s.computers) + 1
	if c.UDID == "" {
		c.UDID = newUUID(nil)
	}
	if c.ManagementID == "" {
		c.ManagementID = strings.ToLower(newUUID(nil))
	}
	c.InstalledProfiles = slices.Clone(c.InstalledProfiles)
	c.Certificates = slices.Clone(c.Certificates)
	cc := &computer{Computer: c, sortName: strings.ToLower(c.Name)}
	if c.Building != "" {
		cc.buildingID = addNamed(&s.buildings, c.Building)
	}
	if c.Department != "" {
		cc.departmentID = addNamed(&s.departments, c.Department)
	}
	s.computers = append(s.computers, cc)
	return c.ID
}

// addNamed returns the id of the item called name, adding it if missing.
func addNamed(items *[]namedItem, name string) int {
	for _, it := range *items {
		if it.name == name {
			return it.id
		}
	}
	id := len(*items) + 1
	*items = append(*items, namedItem{id: id, name: name})
	return id
}

// AddBuilding adds a building (or finds one with that name) and returns
// its id.
func (s *Server) AddBuilding(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return addNamed(&s.buildings, name)
}

// AddCategory adds a category (or finds one with that name) and returns
// its id.
func (s *Server) AddCategory(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return addNamed(&s.categories, name)
}

// AddSite adds a site (or finds one with that name) and returns its id.
func (s *Server) AddSite(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return addNamed(&s.sites, name)
}

// AddDepartment adds a department (or finds one with that name) and
// returns its id.
func (s *Server) AddDepartment(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return addNamed(&s.departments, name)
}

// AddStaticGroup adds a static computer group with the given computer ids
// as members and returns its id. Group names may repeat, as in Jamf.
func (s *Server) AddStaticGroup(name string, members []int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := len(s.groups) + 1
	s.groups = append(s.groups, &group{id: id, name: name, members: slices.Clone(members)})
	return id
}

// AddSmartGroup adds a smart computer group whose members are the
// computers for which match returns true (evaluated when needed) and
// returns its id. match must not call the Server.
func (s *Server) AddSmartGroup(name string, match func(Computer) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := len(s.groups) + 1
	s.groups = append(s.groups, &group{id: id, name: name, smart: true, match: match})
	return id
}

// groupMembers returns the ids of g's members in ascending order. s.mu
// must be held.
func (s *Server) groupMembers(g *group) []int {
	if !g.smart {
		out := slices.Clone(g.members)
		slices.Sort(out)
		return slices.Compact(out)
	}
	var out []int
	for _, c := range s.computers {
		if g.match(c.Computer) {
			out = append(out, c.ID)
		}
	}
	return out
}

// computerByID returns the computer with id or nil. s.mu must be held.
func (s *Server) computerByID(id int) *computer {
	if id < 1 || id > len(s.computers) {
		return nil
	}
	return s.computers[id-1]
}

// InstallProfile records profile profileID as installed on computer
// computerID (CONFIGURATION_PROFILES section) with an acknowledged
// INSTALL_PROFILE command, as after a successful MDM install. It reports
// false if either id is unknown.
func (s *Server) InstallProfile(computerID, profileID int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.computerByID(computerID)
	p := s.latestProfile(profileID)
	if c == nil || p == nil {
		return false
	}
	now := s.now()
	ident := topLevelString(p.Payloads, "PayloadIdentifier")
	c.InstalledProfiles = slices.DeleteFunc(c.InstalledProfiles, func(ip InstalledProfile) bool { return ip.ID == profileID })
	c.InstalledProfiles = append(c.InstalledProfiles, InstalledProfile{
		ID: profileID, DisplayName: p.Name, ProfileIdentifier: ident,
		Username: c.Username, LastInstalled: now, Removable: p.UserRemovable,
	})
	s.addCommand(MDMCommand{
		ComputerID: computerID, ProfileID: profileID, Type: "INSTALL_PROFILE",
		State: CommandAcknowledged, Sent: now, Completed: now,
	})
	return true
}

// MDM command states the v2 mdm/commands endpoint reports (schema
// MdmCommandState; CommandFormatError from Jamf Pro 11.30).
const (
	CommandPending      = "PENDING"
	CommandAcknowledged = "ACKNOWLEDGED"
	CommandNotNow       = "NOT_NOW"
	CommandError        = "ERROR"
	CommandFormatError  = "COMMAND_FORMAT_ERROR"
)

// MDMCommand is an MDM command sent to a computer.
type MDMCommand struct {
	// UUID is the command UUID; empty means a fresh one.
	UUID string
	// ComputerID is the target computer.
	ComputerID int
	// ProfileID is the Jamf id of the profile an INSTALL_PROFILE or
	// REMOVE_PROFILE command carries, or 0.
	ProfileID int
	// Type is the command type, such as INSTALL_PROFILE; empty means
	// INSTALL_PROFILE.
	Type string
	// State is one of CommandPending, CommandAcknowledged, CommandNotNow
	// or CommandError; empty means CommandPending.
	State string
	// ErrorText is the device's error description for CommandError, served
	// (from Jamf Pro 11.29) as commandError's English and localized
	// description; ErrorDomain and ErrorCode are its errorDomain and
	// errorCode.
	ErrorText   string
	ErrorDomain string
	ErrorCode   int
	Sent        time.Time
	Completed   time.Time
}

type mdmCommand struct {
	MDMCommand
	managementID string
}

// AddMDMCommand records cmd and returns its UUID. It reports an error if
// cmd.ComputerID is unknown.
func (s *Server) AddMDMCommand(cmd MDMCommand) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.computerByID(cmd.ComputerID) == nil {
		return "", fmt.Errorf("jamfsim: AddMDMCommand: no computer with id %d", cmd.ComputerID)
	}
	return s.addCommand(cmd), nil
}

func (s *Server) addCommand(cmd MDMCommand) string {
	if cmd.UUID == "" {
		cmd.UUID = newUUID(nil)
	}
	if cmd.Type == "" {
		cmd.Type = "INSTALL_PROFILE"
	}
	if cmd.State == "" {
		cmd.State = CommandPending
	}
	if cmd.Sent.IsZero() {
		cmd.Sent = s.now()
	}
	c := s.computerByID(cmd.ComputerID)
	s.commands = append(s.commands, &mdmCommand{MDMCommand: cmd, managementID: c.ManagementID})
	return cmd.UUID
}

// newUUID returns an upper-case RFC 4122 version 4 UUID, drawn from rng or
// crypto/rand when rng is nil.
func newUUID(rng *rand.Rand) string {
	var b [16]byte
	if rng == nil {
		copy(b[:], mustRandom(16))
	} else {
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Computer returns the computer with id, with its installed profiles and
// certificates as recorded now.
func (s *Server) Computer(id int) (Computer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.computerByID(id)
	if c == nil {
		return Computer{}, false
	}
	out := c.Computer
	out.InstalledProfiles = slices.Clone(c.InstalledProfiles)
	out.Certificates = slices.Clone(c.Certificates)
	return out, true
}

// ComputerID returns the id of the first computer named name.
func (s *Server) ComputerID(name string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.computers {
		if c.Name == name {
			return c.ID, true
		}
	}
	return 0, false
}

// AddCertificate appends cert to computer id's CERTIFICATES section and
// reports false if id is unknown.
func (s *Server) AddCertificate(id int, cert Certificate) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.computerByID(id)
	if c == nil {
		return false
	}
	c.Certificates = append(c.Certificates, cert)
	return true
}
