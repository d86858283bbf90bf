package jamfsim

import (
	"fmt"
	"strings"
	"time"
)

// Names SeedRolloutScenario uses.
const (
	// RolloutPilotGroup is the static group of the pilot ring: MAC-01 to
	// MAC-03.
	RolloutPilotGroup = "ODA Pilot"
	// RolloutBuilding is the building of the second ring: MAC-04 to
	// MAC-07.
	RolloutBuilding = "HQ"
)

// SeedRolloutScenario adds eight Macs, MAC-01 to MAC-08 (ids 1 to 8 on an
// empty simulator), the static group RolloutPilotGroup (MAC-01 to 03), the
// building RolloutBuilding (MAC-04 to 07; MAC-08 has none), and the
// profile VerifyProfileName (Subject "CN=$COMPUTERNAME ma $UDID",
// redistribution 30 days) with an empty scope, nothing installed. Every
// inventory time is now; UDIDs, serials and management ids are fixed. It
// returns the profile id. Drive the Macs with SetDevice and Deliver (CN:
// RolloutCN).
func (s *Server) SeedRolloutScenario(now time.Time) int {
	profileID := s.AddProfile(Profile{Name: VerifyProfileName, Payloads: verifyPlist})
	var pilot []int
	for n := 1; n <= 8; n++ {
		c := Computer{
			Name:          fmt.Sprintf("MAC-%02d", n),
			UDID:          fmt.Sprintf("5E1F0000-0000-4000-9000-%012d", n),
			Serial:        fmt.Sprintf("C02ROLL%05d", n),
			ManagementID:  fmt.Sprintf("b0000000-0000-4000-8000-%012d", n),
			LastInventory: now,
		}
		if n >= 4 && n <= 7 {
			c.Building = RolloutBuilding
		}
		id := s.AddComputer(c)
		if n <= 3 {
			pilot = append(pilot, id)
		}
	}
	s.AddStaticGroup(RolloutPilotGroup, pilot)
	return profileID
}

// RolloutCN is the certificate common name the scenario's Subject gives a
// Mac: "NAME ma UDID".
func RolloutCN(c Computer) string { return c.Name + " ma " + c.UDID }

// SetScope replaces profile id's scope, as an admin would in Jamf Pro's
// GUI; it reports false if id is unknown.
func (s *Server) SetScope(id int, sc Scope) bool {
	return s.EditProfile(id, func(p *Profile) { p.Scope = sc })
}

// EditProfile changes profile id as an admin would in Jamf Pro's GUI: edit
// gets a copy of the stored profile, and the result is stored as a new
// version visible to every node at once. It reports false if id is
// unknown.
func (s *Server) EditProfile(id int, edit func(*Profile)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.latestProfile(id)
	if p == nil {
		return false
	}
	cp := p.clone()
	edit(cp)
	s.commit(-1, id, cp)
	return true
}

// RenameComputer renames computer id, as a user renaming their Mac does
// once inventory reports it; it reports false if id is unknown.
func (s *Server) RenameComputer(id int, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.computerByID(id)
	if c == nil {
		return false
	}
	c.Name, c.sortName = name, strings.ToLower(name)
	return true
}
