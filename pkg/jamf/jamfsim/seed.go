package jamfsim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Fleet names SeedFleet uses, so tests and demos can refer to them.
const (
	// FleetUmlautName is the one computer name with non-ASCII letters.
	FleetUmlautName = "Büro-MacBook-Pro-Jürgen"
	// FleetPilotGroup is a static group of the first (up to) 10 Macs.
	FleetPilotGroup = "Okta Device Access Pilot"
	// FleetLongName is the one 49-character computer name, to exercise
	// Subject length checks.
	FleetLongName = "MAC-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"
)

var (
	fleetBuildings   = []string{"HQ", "Berlin Office", "Remote", "Warehouse & Logistics"}
	fleetDepartments = []string{"Engineering", "Sales", "Finance", "IT", "R&D"}
	fleetEpoch       = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// SeedFleet adds n computers, deterministically for a given seed, with
// the buildings, departments and groups a realistic tenant has:
//
//   - computers MAC-0001 .. MAC-nnnn, except the second, named
//     FleetUmlautName, and the third, named FleetLongName (49 characters);
//     serials like C02XXXXXXXXX, random but reproducible UDIDs, users
//     user0001 with e-mail user0001@example.com, last inventory within 30
//     days before 2026-01-01;
//   - buildings HQ, Berlin Office, Remote, "Warehouse & Logistics" and
//     departments Engineering, Sales, Finance, IT, R&D, spread round-robin;
//   - the static group FleetPilotGroup (the first 10 Macs), max(3, n/20)
//     static groups "Group-001".. of 20 consecutive Macs each, and one smart
//     group per department named "Smart: <department>".
//
// Seeding 10,000 computers takes about 20 ms (BenchmarkSeedFleet).
func (s *Server) SeedFleet(n int, seed int64) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6a616d66))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range fleetBuildings {
		addNamed(&s.buildings, b)
	}
	for _, d := range fleetDepartments {
		addNamed(&s.departments, d)
	}
	first := len(s.computers) + 1
	const serialChars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("MAC-%04d", i)
		switch i {
		case 2:
			name = FleetUmlautName
		case 3:
			name = FleetLongName
		}
		var serial [12]byte
		copy(serial[:], "C02")
		for j := 3; j < len(serial); j++ {
			serial[j] = serialChars[rng.IntN(len(serialChars))]
		}
		user := fmt.Sprintf("user%04d", i)
		s.addComputer(Computer{
			Name:          name,
			UDID:          newUUID(rng),
			ManagementID:  strings.ToLower(newUUID(rng)),
			Serial:        string(serial[:]),
			Building:      fleetBuildings[i%len(fleetBuildings)],
			Department:    fleetDepartments[i%len(fleetDepartments)],
			Username:      user,
			Email:         user + "@example.com",
			LastInventory: fleetEpoch.Add(-time.Duration(rng.IntN(30*24*3600)) * time.Second),
		})
	}
	last := len(s.computers)
	addGroup := func(name string, members []int) {
		s.groups = append(s.groups, &group{id: len(s.groups) + 1, name: name, members: members})
	}
	var pilot []int
	for id := first; id <= min(first+9, last); id++ {
		pilot = append(pilot, id)
	}
	addGroup(FleetPilotGroup, pilot)
	for g := range max(3, n/20) {
		var members []int
		for id := first + g*20; id < first+(g+1)*20 && id <= last; id++ {
			members = append(members, id)
		}
		addGroup(fmt.Sprintf("Group-%03d", g+1), members)
	}
	for _, d := range fleetDepartments {
		s.groups = append(s.groups, &group{
			id: len(s.groups) + 1, name: "Smart: " + d, smart: true,
			match: func(c Computer) bool { return c.Department == d },
		})
	}
}
