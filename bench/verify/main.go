// Command verify measures `jamf-scep verify` against the in-process Jamf
// Pro simulator seeded with a large fleet: requests by endpoint, wall time
// and the report's summary. Run it with bench/verify.sh or
//
//	go run ./bench/verify -computers 10000 -latency 20ms
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

func main() {
	n := flag.Int("computers", 10000, "computers to seed")
	latency := flag.Duration("latency", 0, "added latency per request (Jamf Cloud is ~20-100 ms)")
	flag.Parse()
	if err := run(*n, *latency); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(n int, latency time.Duration) error {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	sim := jamfsim.New(jamfsim.Options{})
	defer sim.Close()

	// One profile scoped to all computers, installed with a certificate on
	// nine Macs in ten; the rest have a pending install command.
	sc := sim.SeedVerifyScenario(now)
	sim.SeedFleet(n, 1)
	p, _ := sim.Profile(sc.ProfileID)
	p.Scope = jamfsim.Scope{AllComputers: true}
	id := sim.AddProfile(p)
	for cid := len(sc.Computers) + 1; cid <= len(sc.Computers)+n; cid++ {
		c, _ := sim.Computer(cid)
		if cid%10 == 0 {
			if _, err := sim.AddMDMCommand(jamfsim.MDMCommand{ComputerID: cid, ProfileID: id, Sent: now.Add(-time.Hour)}); err != nil {
				return err
			}
			continue
		}
		sim.InstallProfile(cid, id)
		sim.AddCertificate(cid, jamfsim.Certificate{
			CommonName: c.Name + " ma " + c.UDID, Identity: true, ExpirationDate: now.Add(200 * 24 * time.Hour),
		})
	}
	sim.SetLatency(latency)
	sim.ResetRequests()

	c, err := jamf.New(sim.URL(), jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret))
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := verify.Collect(ctx, c, verify.Query{ProfileID: id, Now: now, StaleAfter: 90 * 24 * time.Hour})
	if err != nil {
		return err
	}
	wall := time.Since(start)

	byPath := map[string]int{}
	total := 0
	for _, req := range sim.Requests() {
		key := req.Method + " " + req.Path
		if i := strings.LastIndex(key, "/id/"); i > 0 {
			key = key[:i+4] + "N"
		}
		byPath[key]++
		total++
	}
	keys := make([]string, 0, len(byPath))
	for k := range byPath {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("computers: %d (+%d scenario), latency per request: %v\n", n, len(sc.Computers), latency)
	fmt.Printf("requests: %d\n", total)
	for _, k := range keys {
		fmt.Printf("  %5d  %s\n", byPath[k], k)
	}
	fmt.Printf("wall time: %v\n", wall.Round(time.Millisecond))
	fmt.Printf("summary: %s\n", r.Summary)
	return nil
}
