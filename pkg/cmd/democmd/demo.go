// Package democmd implements `jamf-scep demo`: the real plan and apply, run
// against an in-process Jamf Pro simulator seeded with a sample tenant, so a
// newcomer can watch the whole job with no Jamf Pro at hand.
package democmd

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Sample tenant of the demo.
const (
	demoFleetSize = 25
	demoSeed      = 1
	tenantName    = "demo"
	// Names of the environment variables the demo's secret references
	// use; they resolve only inside the demo, never from the process
	// environment.
	envClientSecret = "JAMF_SCEP_DEMO_CLIENT_SECRET"
	envOktaPassword = "JAMF_SCEP_DEMO_OKTA_PASSWORD"
)

// Options are the inputs of `demo`.
type Options struct {
	F *cmdutil.Factory
	// Rollout shows `rollout advance` over simulated days instead
	// (--rollout; rollout.go).
	Rollout bool
}

// NewCmdDemo returns the `demo` command. runF replaces run in tests of
// flag parsing.
func NewCmdDemo(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Watch plan and apply run against a simulated Jamf Pro",
		Long: `Start an in-process Jamf Pro simulator seeded with a sample tenant (25 Macs,
buildings, departments, groups), then run the real plan and apply against it,
through the same code as the plan and apply commands: a fresh create, then a
second run that finds nothing to change. What a user would see goes to
stdout; a short narration goes to stderr.

Nothing leaves the machine and nothing is written to disk. The Okta values
are examples; the simulator's credentials are well-known test values.`,
		Example: `  $ jamf-scep demo`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Rollout, "rollout", false, "show a ring rollout with verify gates over simulated days instead")
	return cmd
}

// run starts the simulator, applies the sample config twice and narrates.
func run(ctx context.Context, opts *Options) error {
	f := opts.F
	if f.Globals.JSON() {
		// Two runs would print two JSON documents; the demo is for people.
		return cmdutil.UsageErrorf("demo prints text only; for JSON, run plan or apply with -o json against a tenant")
	}
	// The demo is read by people: its lines, the engine's warnings
	// included, wrap to the terminal (at most maxWidth), also when piped.
	streams := f.IOStreams
	ww := newWrapWriter(streams.ErrOut, streams.TerminalWidth())
	ios := *streams
	ios.ErrOut = ww
	ios.SetTerminalWidth(streams.TerminalWidth())
	demoF := *f
	demoF.IOStreams = &ios
	defer func() { _ = ww.Flush() }()
	f = &demoF
	if opts.Rollout {
		return runRollout(ctx, f)
	}
	say := func(format string, args ...any) {
		if !f.Globals.JSON() {
			fmt.Fprintf(f.IOStreams.ErrOut, "==> "+format+"\n", args...)
		}
	}
	start := time.Now()
	// One node: the demo's two runs are two clients, and on a multi-node
	// Jamf Cloud tenant the second could be served stale data for up to a
	// minute; that is a real behavior, but not what the demo is about.
	sim := jamfsim.New(jamfsim.Options{DisabledQuirks: jamfsim.QuirkReplicationLag})
	defer sim.Close()
	sim.SeedFleet(demoFleetSize, demoSeed)
	say("Started a simulated Jamf Pro at %s with %d Macs, and the pilot group %q.", sim.URL(), demoFleetSize, jamfsim.FleetPilotGroup)

	cfg := sampleConfig(sim.URL())
	env := map[string]string{
		envClientSecret: jamfsim.DefaultClientSecret,
		envOktaPassword: "demo-okta-password",
	}
	res := &secret.Resolver{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	runOnce := func() error {
		return cmdutil.PlanApply(ctx, f, &cmdutil.PlanApplyOptions{
			Apply:    true,
			Yes:      true,
			Parallel: 1,
			Redeploy: cmdutil.RedeployNewlyAssigned,
			// The sample fleet names two pilot Macs so that the Subject is
			// too long for them, to show the check (one is in the excluded
			// Remote building); the demo accepts them, as an admin would
			// with --accept-long-subject.
			AcceptLongSubject: true,
			Config:            func() (*config.Config, error) { return cfg, nil },
			Resolver:          res,
			// The simulator is local: fail fast rather than back off.
			ClientOptions: []jamf.Option{jamf.WithRetryPolicy(jamf.RetryPolicy{MaxAttempts: 2, BaseDelay: 10 * time.Millisecond})},
		})
	}

	say("Run 1: `jamf-scep apply --yes --accept-long-subject` on a tenant that has no Okta Device Access profile yet (two pilot Macs have names too long for the Subject; the plan lists the one still in scope, as the other is in the excluded Remote building).")
	if err := runOnce(); err != nil {
		return err
	}
	first := writes(sim)
	say("The simulator reads the password under the inferred key, so the warning is moot here; on a real tenant, do as it says.")
	say("Jamf Pro now holds the profile, scoped to %d Macs; %d requests, %d write(s).", len(sim.ScopedComputers(1)), len(sim.Requests()), first)

	sim.ResetRequests()
	if !f.Globals.JSON() {
		fmt.Fprintln(f.IOStreams.Out)
	}
	say("Run 2: the same command again. The tenant already matches, so nothing is written.")
	if err := runOnce(); err != nil {
		return err
	}
	say("%d requests, %d write(s). Done in %s.", len(sim.Requests()), writes(sim), time.Since(start).Round(time.Millisecond))
	say("Next: run `jamf-scep init` to configure your own tenant and Okta.")
	return nil
}

// writes counts the requests in sim's log that change something.
func writes(sim *jamfsim.Server) int {
	n := 0
	for _, r := range sim.Requests() {
		if (r.Method == "POST" || r.Method == "PUT" || r.Method == "DELETE") && r.Path != "/api/v1/oauth/token" {
			n++
		}
	}
	return n
}

// sampleConfig is the demo's config: the Okta Device Access profile with
// example Okta values, scoped to the simulator's pilot group minus the
// Remote building, on one tenant at url.
func sampleConfig(url string) *config.Config {
	return &config.Config{
		Version: config.Version,
		Profile: config.Profile{
			Name:        "Okta Device Access SCEP",
			Description: "Client certificate for Okta Device Access",
			Identifier:  "com.example.okta-device-access",
			SCEP: config.SCEP{
				URL:     "https://example.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d5e6f7g8h9",
				Subject: "CN=$COMPUTERNAME ma $UDID",
				Challenge: config.Challenge{
					Type:     config.ChallengeDynamic,
					URL:      "https://example.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/rac1a2b3c4d5e6f7g8h9/challenge",
					Username: "okta-demo01",
					Password: secret.EnvRef(envOktaPassword),
				},
			},
		},
		Scope: config.Scope{
			ComputerGroups: []string{jamfsim.FleetPilotGroup},
			Exclusions:     config.Exclusions{Buildings: []string{"Remote"}},
		},
		Tenants: []config.Tenant{{
			Name: tenantName,
			URL:  url,
			Auth: config.Auth{ClientID: jamfsim.DefaultClientID, ClientSecret: secret.EnvRef(envClientSecret)},
		}},
	}
}
