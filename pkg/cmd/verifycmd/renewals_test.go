package verifycmd

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/rollout"
)

// TestRenewalForecastMatchesTheSimulator ages a fleet's certificates by a
// year on the simulator, one MDM round a day, and checks the forecast made
// inside the redistribution window against what then happens: the Macs it
// lists at risk are exactly those whose certificate expires, and the week
// it counts their expiry is the week they expire in. The three ways to
// miss a renewal are all there: a Mac gone silent, a failing install, and
// a Mac renamed so that its Subject is over 64 characters (the CA refuses
// it).
func TestRenewalForecastMatchesTheSimulator(t *testing.T) {
	day := 24 * time.Hour
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := jamfsim.NewClock(start)
	sim := jamfsimtest.New(t, jamfsim.Options{Now: clock.Now})
	id := sim.SeedRolloutScenario(start)
	sim.SetScope(id, jamfsim.Scope{AllComputers: true})
	round := func() { sim.Deliver(jamfsim.Delivery{ProfileID: id, CN: jamfsim.RolloutCN}) }

	round() // every Mac installs and gets a certificate for 365 days
	for d := 1; d <= 340; d++ {
		clock.Advance(day)
		switch d {
		case 100:
			sim.SetDevice(2, jamfsim.DeviceOffline) // leaves the company's network
		case 300:
			// Its user renames it: "NAME ma UDID" is now 71 characters.
			sim.RenameComputer(7, "Jürgens MacBook Pro (Büro 3)")
		case 330:
			sim.SetDevice(6, jamfsim.DeviceFailing) // its renewal will fail
		}
		round()
	}
	// Day 340: the window (30 days) opened on day 335; online Macs renewed.
	now := clock.Now()
	r := runVerify(t, simEnv(sim), "--renewals", "--profile-id", strconv.Itoa(id), "-o", "json", "--now", now.Format(time.RFC3339))
	if r.err != nil {
		t.Fatalf("verify --renewals: %v\n%s", r.err, r.stderr)
	}
	var fc rollout.Forecast
	if err := json.Unmarshal([]byte(r.stdout), &fc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, r.stdout)
	}
	var atRisk []string
	for _, x := range fc.AtRisk {
		atRisk = append(atRisk, x.Name+": "+strings.Join(x.Reasons, "; "))
	}
	// The renamed Mac first: verify no longer matches its old certificate
	// to its new name, so its expiry is unknown (sorted first).
	want := []string{
		"Jürgens MacBook Pro (Büro 3): the latest install command failed (ERROR); its Subject would now be 70 characters, over the 64 limit (renamed?): the renewal would fail",
		"MAC-02: certificate expires 2027-03-02 and the Mac last contacted Jamf Pro 241d ago; the latest install command is PENDING since 2027-01-31",
		"MAC-06: the latest install command failed (ERROR)",
	}
	if diff := cmp.Diff(want, atRisk); diff != "" {
		t.Errorf("at risk (-want +got):\n%s", diff)
	}
	// The forecast's weeks up to day 400, where the simulation below stops
	// (the renewed certificates expire in 2028).
	end := start.Add(400 * day)
	expiringWeek := map[time.Time]int{}
	for _, w := range fc.Weeks {
		if w.Expiring > 0 && w.Start.Before(end) {
			expiringWeek[w.Start] = w.Expiring
		}
	}

	// What the simulator does: a year after the first install, the Macs
	// not renewed lose their certificate.
	var expired []string
	expiredWeek := map[time.Time]int{}
	for range 400 - 340 {
		clock.Advance(day)
		round()
		for cid := 1; cid <= 8; cid++ {
			c, _ := sim.Computer(cid)
			for _, cert := range c.Certificates {
				if !cert.ExpirationDate.After(clock.Now()) && !slices.Contains(expired, c.Name) && cert.ExpirationDate.After(clock.Now().Add(-day)) {
					expired = append(expired, c.Name)
					if cid == 7 {
						continue // the forecast cannot date it (above)
					}
					week := cert.ExpirationDate.Sub(now) / (7 * day)
					expiredWeek[now.Add(week*7*day)]++
				}
			}
		}
	}
	slices.Sort(expired)
	if diff := cmp.Diff([]string{"Jürgens MacBook Pro (Büro 3)", "MAC-02", "MAC-06"}, expired); diff != "" {
		t.Errorf("Macs whose certificate expired on the simulator (-forecast +simulated):\n%s", diff)
	}
	if diff := cmp.Diff(expiringWeek, expiredWeek); diff != "" {
		t.Errorf("certificates expiring per week (-forecast +simulated):\n%s", diff)
	}

	// --fail-at-risk 0 fails a CI job while any Mac is at risk (all three
	// now expired); 3 lets it pass.
	later := clock.Now().Format(time.RFC3339)
	pid := strconv.Itoa(id)
	if r := runVerify(t, simEnv(sim), "--renewals", "--profile-id", pid, "--fail-at-risk", "3", "--now", later); r.err != nil {
		t.Errorf("--fail-at-risk 3 with 3 at risk: %v", r.err)
	}
	r = runVerify(t, simEnv(sim), "--renewals", "--profile-id", pid, "--fail-at-risk", "0", "--now", later)
	if code := cmdutil.ExitCode(r.err); code != cmdutil.ExitError || !strings.Contains(r.err.Error(), "at-risk Macs over --fail-at-risk 0: default 3") {
		t.Errorf("--fail-at-risk 0: exit %d, %v; want 1 naming the tenant and count", code, r.err)
	}
}
