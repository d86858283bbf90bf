package plancmd

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil/cmdtest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

func testFactory(t *testing.T) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	return &cmdutil.Factory{
		IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputText}, Now: time.Now,
		LookupEnv: func(string) (string, bool) { return "", false },
	}, in, out, errOut
}

func TestNewCmdPlanFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    Options
		wantErr string
	}{
		{args: "", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{Parallel: 4, Redeploy: cmdutil.RedeployNewlyAssigned}}},
		{args: "--all --parallel 8 --detailed-exitcode", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{All: true, Parallel: 8, Redeploy: cmdutil.RedeployNewlyAssigned, DetailedExitcode: true}}},
		{args: "--tenant a,b --tenant c --replace-scope", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{Tenants: []string{"a", "b", "c"}, Parallel: 4, Redeploy: cmdutil.RedeployNewlyAssigned, ReplaceScope: true}}},
		{args: "--profile-id 42 --redeploy all --jamf-dialect d.yaml", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{ProfileID: 42, Parallel: 4, Redeploy: cmdutil.RedeployAll, JamfDialect: "d.yaml"}}},
		{args: "--all --shard 2/4", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{All: true, Shard: "2/4", Parallel: 4, Redeploy: cmdutil.RedeployNewlyAssigned}}},
		{args: "--all --tenant a", wantErr: "none of the others can be"},
		{args: "extra", wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			f, _, _, _ := testFactory(t)
			got, err := cmdtest.ParseArgs(func(runF func(context.Context, *Options) error) *cobra.Command {
				return NewCmdPlan(f, runF)
			}, strings.Fields(tt.args))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(Options{}, "F")); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// simOptions returns apply options for one tenant on sim, with the config
// and secrets in memory.
func simOptions(t *testing.T, f *cmdutil.Factory, sim *jamfsim.Server) *Options {
	t.Helper()
	env := map[string]string{"SECRET": jamfsim.DefaultClientSecret, "OKTA": "okta-password-in-test"}
	cfg := &config.Config{
		Version: config.Version,
		Profile: config.Profile{
			Name: "Okta Device Access SCEP",
			SCEP: config.SCEP{
				URL: "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d5e6f7g8h9",
				// Fits every Mac of the seeded fleet (TestApplyLongSubject
				// uses one that does not).
				Subject: "CN=$SERIALNUMBER",
				Challenge: config.Challenge{
					URL:      "https://acme.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/rac1a2b3c4d5e6f7g8h9/challenge",
					Username: "okta-abc123",
					Password: secret.EnvRef("OKTA"),
				},
			},
		},
		Scope:   config.Scope{ComputerGroups: []string{jamfsim.FleetPilotGroup}},
		Tenants: []config.Tenant{{Name: "sim", URL: sim.URL(), Auth: config.Auth{ClientID: jamfsim.DefaultClientID, ClientSecret: secret.EnvRef("SECRET")}}},
	}
	return &Options{F: f, PlanApplyOptions: cmdutil.PlanApplyOptions{
		Apply: true, Parallel: 1, Redeploy: cmdutil.RedeployNewlyAssigned,
		Config:        func() (*config.Config, error) { return cfg, nil },
		Resolver:      &secret.Resolver{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }},
		ClientOptions: []jamf.Option{jamf.WithRetryPolicy(jamf.RetryPolicy{MaxAttempts: 1})},
	}}
}

func TestApplyConfirmation(t *testing.T) {
	tests := []struct {
		name     string
		tty      bool
		yes      bool
		answer   string
		wantCode int
		created  bool
	}{
		{name: "no terminal, no --yes: usage error before any request", wantCode: cmdutil.ExitUsage},
		{name: "no terminal with --yes applies", yes: true, created: true},
		{name: "terminal, answer yes applies", tty: true, answer: "yes\n", created: true},
		{name: "terminal, answer no cancels", tty: true, answer: "no\n", wantCode: cmdutil.ExitCancelled},
		{name: "terminal, empty answer cancels", tty: true, answer: "\n", wantCode: cmdutil.ExitCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, jamfsim.Options{Observe: jamfschema.Observer(t, "")})
			sim.SeedFleet(12, 1)
			f, in, out, errOut := testFactory(t)
			f.IOStreams.SetTTY(tt.tty, tt.tty, false)
			f.IOStreams.SetAccessible(true) // huh line by line: the answers are lines of stdin
			in.WriteString(tt.answer)
			opts := simOptions(t, f, sim)
			opts.Yes = tt.yes
			err := run(t.Context(), opts)
			if got := cmdutil.ExitCode(err); got != tt.wantCode {
				t.Fatalf("exit code %d (%v), want %d\nstderr:\n%s", got, err, tt.wantCode, errOut)
			}
			if got := len(sim.Profiles()) == 1; got != tt.created {
				t.Errorf("profile created = %v, want %v", got, tt.created)
			}
			if tt.wantCode == cmdutil.ExitUsage && len(sim.Requests()) != 0 {
				t.Errorf("%d requests sent before the usage error, want 0", len(sim.Requests()))
			}
			if tt.tty && !strings.Contains(errOut.String(), "Apply these changes to 1 tenant(s)?") {
				t.Errorf("no confirmation prompt on stderr:\n%s", errOut)
			}
			if strings.Contains(out.String()+errOut.String(), "okta-password-in-test") {
				t.Error("a secret value reached the output")
			}
		})
	}
}

func TestApplyRedeployAllWarns(t *testing.T) {
	// One node: the two runs are two clients (see the demo).
	sim := jamfsimtest.New(t, jamfsim.Options{DisabledQuirks: jamfsim.QuirkReplicationLag, Observe: jamfschema.Observer(t, "")})
	sim.SeedFleet(12, 1)
	f, _, _, errOut := testFactory(t)
	opts := simOptions(t, f, sim)
	opts.Yes = true
	if err := run(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	cfg, _ := opts.Config()
	cfg.Profile.SCEP.Subject = "CN=$SERIALNUMBER ma"
	opts.Redeploy = cmdutil.RedeployAll
	errOut.Reset()
	if err := run(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "--redeploy all: 10 Mac(s) will reinstall the profile") {
		t.Errorf("no redeploy warning with the Mac count:\n%s", errOut)
	}
	rs := sim.Redeploys()
	if last := rs[len(rs)-1]; last.Sent != jamf.RedeployAll || last.Reinstalled != 10 {
		t.Errorf("last redeploy = %+v, want All reinstalling 10", last)
	}
}

// TestApplyLongSubject pins the one policy for a Subject over RFC 5280's
// limits on some Macs in scope: plan shows the verdict, apply refuses and
// writes nothing, --accept-long-subject lets it write.
func TestApplyLongSubject(t *testing.T) {
	tests := []struct {
		name        string
		apply       bool
		accept      bool
		wantCode    int
		wantVerdict string
		created     bool
	}{
		{name: "plan shows the refusal", wantVerdict: plan.VerdictRefused},
		{name: "apply refuses, nothing written", apply: true, wantCode: cmdutil.ExitError, wantVerdict: plan.VerdictRefused},
		{name: "apply with --accept-long-subject writes", apply: true, accept: true, wantVerdict: plan.VerdictAccepted, created: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, jamfsim.Options{})
			sim.SeedFleet(12, 1) // the pilot group holds FleetLongName and FleetUmlautName
			f, _, out, errOut := testFactory(t)
			f.Globals.Output = cmdutil.OutputJSON
			opts := simOptions(t, f, sim)
			cfg, _ := opts.Config()
			cfg.Profile.SCEP.Subject = "CN=$COMPUTERNAME ma $UDID"
			opts.Apply, opts.Yes, opts.AcceptLongSubject = tt.apply, true, tt.accept
			err := run(t.Context(), opts)
			if got := cmdutil.ExitCode(err); got != tt.wantCode {
				t.Fatalf("exit code %d (%v), want %d\nstderr:\n%s", got, err, tt.wantCode, errOut)
			}
			if tt.wantCode != 0 && !strings.Contains(err.Error(), "nothing was written") || err != nil && !strings.Contains(err.Error(), "--accept-long-subject") {
				t.Errorf("error %v does not say nothing was written and name --accept-long-subject", err)
			}
			if got := len(sim.Profiles()) == 1; got != tt.created {
				t.Errorf("profile created = %v, want %v", got, tt.created)
			}
			var rep plan.Report
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("JSON report: %v\n%s", err, out)
			}
			p := rep.Tenants[0].Plan
			if p.SubjectVerdict != tt.wantVerdict || len(p.SubjectViolations) != 2 {
				t.Errorf("verdict %q with %d violations, want %q with 2", p.SubjectVerdict, len(p.SubjectViolations), tt.wantVerdict)
			}
			if want := `Jamf id (up to 6 digits) appended to the last CN after " "`; p.ProfileIdentifier != want {
				t.Errorf("profileIdentifier = %q, want %q", p.ProfileIdentifier, want)
			}
		})
	}
}
