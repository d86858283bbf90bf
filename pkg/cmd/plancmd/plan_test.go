package plancmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamftest"
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
		{args: "", want: Options{Parallel: 4, Redeploy: RedeployNewlyAssigned}},
		{args: "--all --parallel 8 --detailed-exitcode", want: Options{All: true, Parallel: 8, Redeploy: RedeployNewlyAssigned, DetailedExitcode: true}},
		{args: "--tenant a,b --tenant c --replace-scope", want: Options{Tenants: []string{"a", "b", "c"}, Parallel: 4, Redeploy: RedeployNewlyAssigned, ReplaceScope: true}},
		{args: "--profile-id 42 --redeploy all --jamf-dialect d.yaml", want: Options{ProfileID: 42, Parallel: 4, Redeploy: RedeployAll, JamfDialect: "d.yaml"}},
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

func TestValidate(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{Parallel: 1, Redeploy: "everything"}, `invalid value "everything" for flag --redeploy; options are newly-assigned, all`},
		{Options{Parallel: 0, Redeploy: RedeployAll}, `invalid value "0" for flag --parallel`},
		{Options{Parallel: 1, Redeploy: RedeployAll, ProfileID: -1}, `invalid value "-1" for flag --profile-id`},
	}
	for _, tt := range tests {
		err := validate(&tt.opts)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("validate(%+v) = %v, want %q", tt.opts, err, tt.want)
		}
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("exit code %d, want %d", cmdutil.ExitCode(err), cmdutil.ExitUsage)
		}
	}
}

// simOptions returns apply options for one tenant on sim, with the config
// and secrets in memory.
func simOptions(t *testing.T, f *cmdutil.Factory, sim *jamftest.Server) *Options {
	t.Helper()
	env := map[string]string{"SECRET": jamftest.DefaultClientSecret, "OKTA": "okta-password-in-test"}
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
		Scope:   config.Scope{ComputerGroups: []string{jamftest.FleetPilotGroup}},
		Tenants: []config.Tenant{{Name: "sim", URL: sim.URL(), Auth: config.Auth{ClientID: jamftest.DefaultClientID, ClientSecret: secret.EnvRef("SECRET")}}},
	}
	return &Options{
		F: f, Apply: true, Parallel: 1, Redeploy: RedeployNewlyAssigned,
		Config:        func() (*config.Config, error) { return cfg, nil },
		Resolver:      &secret.Resolver{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }},
		ClientOptions: []jamf.Option{jamf.WithRetryPolicy(jamf.RetryPolicy{MaxAttempts: 1})},
	}
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
			sim := jamftest.NewTest(t, jamftest.Options{Observe: jamfschema.Observer(t, "")})
			sim.SeedFleet(12, 1)
			f, in, out, errOut := testFactory(t)
			f.IOStreams.SetTTY(tt.tty, tt.tty, false)
			in.WriteString(tt.answer)
			opts := simOptions(t, f, sim)
			opts.Yes = tt.yes
			err := Run(t.Context(), opts)
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
	sim := jamftest.NewTest(t, jamftest.Options{DisabledQuirks: jamftest.QuirkReplicationLag, Observe: jamfschema.Observer(t, "")})
	sim.SeedFleet(12, 1)
	f, _, _, errOut := testFactory(t)
	opts := simOptions(t, f, sim)
	opts.Yes = true
	if err := Run(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	cfg, _ := opts.Config()
	cfg.Profile.SCEP.Subject = "CN=$SERIALNUMBER ma"
	opts.Redeploy = RedeployAll
	errOut.Reset()
	if err := Run(t.Context(), opts); err != nil {
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
			sim := jamftest.NewTest(t, jamftest.Options{})
			sim.SeedFleet(12, 1) // the pilot group holds FleetLongName and FleetUmlautName
			f, _, out, errOut := testFactory(t)
			f.Globals.Output = cmdutil.OutputJSON
			opts := simOptions(t, f, sim)
			cfg, _ := opts.Config()
			cfg.Profile.SCEP.Subject = "CN=$COMPUTERNAME ma $UDID"
			opts.Apply, opts.Yes, opts.AcceptLongSubject = tt.apply, true, tt.accept
			err := Run(t.Context(), opts)
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

func TestEvents(t *testing.T) {
	tests := []struct {
		name    string
		stderr  bool
		tenants []string
		want    string
	}{
		{
			name: "plain lines when stderr is not a terminal", tenants: []string{"a", "b"},
			want: "a: find profile...\nb: find profile...\na: boom\na: write...\n",
		},
		{
			name: "plain lines for one tenant on a terminal", stderr: true, tenants: []string{"a"},
			want: "a: find profile...\na: boom\na: write...\n",
		},
		{
			name: "live block for several tenants on a terminal", stderr: true, tenants: []string{"a", "b"},
			want: "\x1b[Ja: find profile...\nb: waiting\n" +
				"\x1b[2A\x1b[Ja: find profile...\nb: find profile...\n" +
				"\x1b[2A\x1b[Ja: boom\na: find profile...\nb: find profile...\n" +
				"\x1b[2A\x1b[Ja: write...\nb: find profile...\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _, errOut := testFactory(t)
			f.IOStreams.SetTTY(false, false, tt.stderr)
			ev := newEvents(f, tt.tenants)
			ev.step("a", "find profile")
			if len(tt.tenants) > 1 {
				ev.step("b", "find profile")
			}
			ev.warn("a", "boom")
			ev.step("a", "write")
			if diff := cmp.Diff(tt.want, errOut.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExitStatusPartial(t *testing.T) {
	ok := &tenantRun{name: "a"}
	bad := &tenantRun{name: "b", err: errors.New("down")}
	err := exitStatus(&Options{}, []*tenantRun{ok, bad})
	if got := cmdutil.ExitCode(err); got != cmdutil.ExitPartial {
		t.Errorf("exit code %d, want %d", got, cmdutil.ExitPartial)
	}
	err = exitStatus(&Options{}, []*tenantRun{{name: "a", err: errors.New("x")}, bad})
	if got := cmdutil.ExitCode(err); got != cmdutil.ExitError {
		t.Errorf("all failed: exit code %d, want %d", got, cmdutil.ExitError)
	}
}
