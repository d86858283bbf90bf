package democmd

import (
	"context"
	"fmt"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// rolloutDays bounds the demo's simulated days.
const rolloutDays = 10

// runRollout runs the real `rollout advance --yes` (cmdutil.Rings) once a simulated day
// against a simulator whose Macs install the profile as days pass: the
// pilot's gate holds while one Mac is offline, the step to HQ is capped
// at two Macs, and the rollout ends at everyone. Nothing leaves the
// machine and nothing is written to disk.
func runRollout(ctx context.Context, f *cmdutil.Factory) error {
	say := func(format string, args ...any) { fmt.Fprintf(f.IOStreams.ErrOut, "==> "+format+"\n", args...) }
	began := time.Now()
	clock := jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	sim := jamfsim.New(jamfsim.Options{Now: clock.Now, DisabledQuirks: jamfsim.QuirkReplicationLag})
	defer sim.Close()
	id := sim.SeedRolloutScenario(clock.Now())
	sim.SetDevice(3, jamfsim.DeviceOffline)
	say("Started a simulated Jamf Pro with 8 Macs and the profile %q, scoped to nothing yet. MAC-03 is offline.", jamfsim.VerifyProfileName)
	say("The rings: pilot (group %q; gate 95%% coverage, 0 failed, 1 day's soak, 2 Macs per step), hq (building %q; gate 90%%, 2 days), everyone.",
		jamfsim.RolloutPilotGroup, jamfsim.RolloutBuilding)

	// The commands run on the demo's config and the simulator's clock.
	df := *f
	df.Now = clock.Now
	env := map[string]string{envClientSecret: jamfsim.DefaultClientSecret}
	df.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	df.UseConfig(rolloutSampleConfig(sim.URL()))

	for day := 1; day <= rolloutDays; day++ {
		if day == 3 {
			sim.SetDevice(3, jamfsim.DeviceOnline)
			say("MAC-03 is back online.")
		}
		d := sim.Deliver(jamfsim.Delivery{ProfileID: id, CN: jamfsim.RolloutCN})
		say("Day %d, %s: Jamf sent %d install command(s); %d Mac(s) installed the profile and got a certificate. `jamf-scep rollout advance --yes`:",
			day, clock.Now().Format("Mon 2 Jan 15:04"), d.Sent, d.Installed)
		err := cmdutil.Rings(ctx, &df, &cmdutil.RingsOptions{Advance: true, Yes: true, StaleAfterDays: cmdutil.DefaultStaleAfterDays})
		switch cmdutil.ExitCode(err) {
		case cmdutil.ExitOK:
		case cmdutil.ExitGateNotMet:
			say("Exit 8: the gate holds; nothing was widened today.")
		case cmdutil.ExitNothingLeft:
			say("Exit 9: nothing left; every Mac is in scope. Done in %s.", time.Since(began).Round(time.Millisecond))
			say("Next: add a rollout section to your config (README, \"Roll out safely\") and run `jamf-scep rollout status`.")
			return nil
		default:
			return err
		}
		fmt.Fprintln(f.IOStreams.Out)
		clock.Advance(24 * time.Hour)
	}
	return fmt.Errorf("demo: the rollout did not finish in %d simulated days", rolloutDays)
}

// rolloutSampleConfig is the demo rollout's config: the simulator's profile
// and three rings, on one tenant at url.
func rolloutSampleConfig(url string) *config.Config {
	cfg := sampleConfig(url)
	cfg.Profile.Name = jamfsim.VerifyProfileName
	cfg.Scope = config.Scope{}
	cfg.Rollout = &config.Rollout{Stages: []config.Stage{
		{
			Name:  "pilot",
			Scope: config.Scope{ComputerGroups: []string{jamfsim.RolloutPilotGroup}},
			Gate:  config.Gate{MinCoverage: 95, Soak: "24h", MaxNewMacs: 2},
		},
		{
			Name:  "hq",
			Scope: config.Scope{Buildings: []string{jamfsim.RolloutBuilding}},
			Gate:  config.Gate{MinCoverage: 90, Soak: "48h"},
		},
		{Name: "everyone", Scope: config.Scope{AllComputers: new(true)}},
	}}
	cfg.Tenants[0].Auth.ClientSecret = secret.EnvRef(envClientSecret)
	return cfg
}
