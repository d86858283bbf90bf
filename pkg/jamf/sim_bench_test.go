package jamf_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// reportRequests adds the simulator's requests per operation to the
// benchmark's figures.
func reportRequests(b *testing.B, sim *jamfsim.Server) {
	b.Helper()
	b.ReportMetric(float64(len(sim.Requests()))/float64(b.N), "requests/op")
}

// BenchmarkSimProfileRoundTrip is one read and one full update (general
// with the tricky plist, and scope) of a SCEP profile against the
// simulator with every quirk on: the server decodes, parses and
// re-serializes the plist on each PUT.
func BenchmarkSimProfileRoundTrip(b *testing.B) {
	sim := jamfsimtest.New(b, simOptions(0))
	sim.SeedFleet(25, 1)
	c := newSimClient(b, sim.URL())
	ctx := b.Context()
	plistText, err := readTestdata("sim", "tricky-scep.plist")
	if err != nil {
		b.Fatal(err)
	}
	p := newProfile("Okta SCEP", plistText)
	p.Scope = jamf.Scope{ComputerGroups: []jamf.Ref{{ID: 1}}, Exclusions: jamf.Exclusions{Computers: []jamf.Ref{{ID: 3}}}}
	id, err := c.CreateProfile(ctx, p)
	if err != nil {
		b.Fatal(err)
	}
	sim.ResetRequests()
	b.ReportAllocs()
	for b.Loop() {
		got, err := c.GetProfile(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.UpdateProfile(ctx, id, jamf.ProfileUpdate{General: &got.General, Scope: &got.Scope}); err != nil {
			b.Fatal(err)
		}
	}
	reportRequests(b, sim)
}

// BenchmarkSimResolve resolves 100 computer names (by name, serial number
// and UDID) and 50 group names against a simulated tenant of 5,000
// computers and 500 groups: one full directory load (3 inventory pages of
// 2,000 and one groups call) and the matching, per operation.
func BenchmarkSimResolve(b *testing.B) {
	sim := jamfsimtest.New(b, simOptions(0))
	sim.SeedFleet(5000, 1) // 256 groups
	for i := 257; i <= 500; i++ {
		sim.AddStaticGroup(fmt.Sprintf("Extra-%03d", i), []int{i})
	}
	var names jamf.Names
	for i := 1; len(names.Computers) < 100; i += 50 {
		mac, _ := sim.Computer(i)
		switch i % 3 {
		case 0:
			names.Computers = append(names.Computers, mac.Name)
		case 1:
			names.Computers = append(names.Computers, mac.Serial)
		default:
			names.Computers = append(names.Computers, strings.ToLower(mac.UDID))
		}
	}
	for i := 1; len(names.ComputerGroups) < 50; i += 5 { // Group-001 .. Group-246
		names.ComputerGroups = append(names.ComputerGroups, fmt.Sprintf("Group-%03d", i))
	}
	c := newSimClient(b, sim.URL())
	ctx := b.Context()
	if _, err := c.Resolve(ctx, names); err != nil { // token and version, once
		b.Fatal(err)
	}
	sim.ResetRequests()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Resolve(ctx, names); err != nil {
			b.Fatal(err)
		}
	}
	reportRequests(b, sim)
}
