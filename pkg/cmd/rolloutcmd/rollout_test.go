package rolloutcmd_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/cmd/rolloutcmd"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// rolloutConfig is issue 17's three rings on the rollout scenario: the
// pilot group (its step to HQ capped at 2 Macs), the HQ building, everyone.
const rolloutConfig = `version: 1
profile:
  name: Okta Device Access
  scep:
    url: https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1
    subject: "CN=$COMPUTERNAME ma $UDID"
    challenge:
      type: dynamic-microsoft-ca
      url: https://acme.okta.com/api/v1/certificateAuthorities/0123/registrationAuthorities/rac1/challenge
      username: okta-abc123
      password: env:OKTA_SCEP_PASSWORD
rollout:
  stages:
    - name: pilot
      scope: {computer_groups: [ODA Pilot]}
      gate: {min_coverage: 95, max_failed: 0, soak: 24h, max_new_macs: 2}
    - name: hq
      scope: {buildings: [HQ]}
      gate: {min_coverage: 90, max_failed: 0, soak: 2d}
    - name: everyone
      scope: {all_computers: true}
`

type fixture struct {
	t       *testing.T
	sim     *jamfsim.Server
	clock   *jamfsim.Clock
	profile int
	config  string
	// env is the environment; nil means the one tenant of JAMF_URL.
	env map[string]string
	// lastErr is the error text of the last run, "" for none.
	lastErr string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := jamfsim.NewClock(start)
	sim := jamfsimtest.New(t, jamfsim.Options{Now: clock.Now})
	id := sim.SeedRolloutScenario(clock.Now())
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	if err := os.WriteFile(path, []byte(rolloutConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, sim: sim, clock: clock, profile: id, config: path}
}

// run runs `rollout ARGS` and returns stdout and the exit code.
func (fx *fixture) run(args ...string) (string, int) {
	fx.t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	env := fx.env
	if env == nil {
		env = map[string]string{"JAMF_URL": fx.sim.URL(), "JAMF_CLIENT_ID": jamfsim.DefaultClientID, "JAMF_CLIENT_SECRET": jamfsim.DefaultClientSecret}
	}
	f := &cmdutil.Factory{
		IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputText, ConfigPath: fx.config},
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, Now: fx.clock.Now,
	}
	cmd := rolloutcmd.NewCmdRollout(f, nil)
	// -o is the root's persistent flag; mirror it here.
	cmd.PersistentFlags().StringVarP(&f.Globals.Output, "output", "o", cmdutil.OutputText, "")
	cmd.SilenceUsage, cmd.SilenceErrors = true, true // as the root does
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(fx.t.Context())
	fx.lastErr = ""
	if err != nil {
		fx.lastErr = err.Error()
	}
	fx.t.Logf("rollout %v: exit %d (%v)\n%s%s", args, cmdutil.ExitCode(err), err, stdout, stderr)
	return stdout.String(), cmdutil.ExitCode(err)
}

// deliver lets an hour pass, then plays one MDM round.
func (fx *fixture) deliver() {
	fx.clock.Advance(time.Hour)
	fx.sim.Deliver(jamfsim.Delivery{ProfileID: fx.profile, CN: jamfsim.RolloutCN})
}

// scope returns the profile's stored scope as "all|groups|buildings|computers".
func (fx *fixture) scope() string {
	fx.t.Helper()
	p, ok := fx.sim.Profile(fx.profile)
	if !ok {
		fx.t.Fatal("the profile is gone")
	}
	s := p.Scope
	ints := func(ids []int) string {
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = strconv.Itoa(id)
		}
		return strings.Join(parts, ",")
	}
	return strconv.FormatBool(s.AllComputers) + "|" + ints(s.Targets.ComputerGroups) + "|" + ints(s.Targets.Buildings) + "|" + ints(s.Targets.Computers)
}

// TestRolloutToTheEnd runs the three rings to the end on the simulator:
// the pilot's gate fails on an offline Mac, then passes; the capped step to
// HQ is taken in two; a failed install holds the second step back until
// the Mac recovers; the last advance has nothing left. Each advance writes
// the scope only: the stored payload never changes and no redeploy is sent.
func TestRolloutToTheEnd(t *testing.T) {
	fx := newFixture(t)
	before, _ := fx.sim.Profile(fx.profile)
	type step struct {
		name   string
		setup  func()
		wait   time.Duration
		code   int
		scope  string // after the advance: all|groups|buildings|computers
		status string // a line the status shows before the advance
	}
	steps := []step{
		{name: "start the pilot", code: 0, scope: "false|1||", status: "not started"},
		{
			name:  "an offline pilot Mac holds the gate",
			setup: func() { fx.sim.SetDevice(3, jamfsim.DeviceOffline); fx.deliver() },
			wait:  25 * time.Hour, code: cmdutil.ExitGateNotMet, scope: "false|1||",
			status: "  advance: blocked, the gate of stage pilot is not met",
		},
		{
			name:  "it comes back: the capped step adds MAC-04 and MAC-05",
			setup: func() { fx.sim.SetDevice(3, jamfsim.DeviceOnline); fx.deliver() },
			code:  0, scope: "false|1||4,5", status: "  next: hq adds 2 Mac(s), 2 remain after this step",
		},
		{
			name:  "MAC-05 fails its install",
			setup: func() { fx.sim.SetDevice(5, jamfsim.DeviceFailing); fx.deliver() },
			wait:  25 * time.Hour, code: cmdutil.ExitGateNotMet, scope: "false|1||4,5",
			status: "pilot (partial)",
		},
		{
			name:  "MAC-05 installs on retry: the rest of HQ, by HQ's own scope",
			setup: func() { fx.sim.SetDevice(5, jamfsim.DeviceOnline); fx.deliver() },
			code:  0, scope: "false|1|1|", status: "  next: hq adds 2 Mac(s)",
		},
		{
			name:  "HQ soaks two days: everyone",
			setup: func() { fx.deliver() },
			wait:  49 * time.Hour, code: 0, scope: "true|1|1|", status: "stage hq (at-stage)",
		},
		{
			name:  "nothing left",
			setup: func() { fx.deliver() },
			code:  cmdutil.ExitNothingLeft, scope: "true|1|1|", status: "  advance: nothing left, the last stage is reached",
		},
	}
	for _, s := range steps {
		if s.setup != nil {
			s.setup()
		}
		fx.clock.Advance(s.wait)
		out, code := fx.run("status")
		if code != 0 {
			t.Fatalf("%s: status exited %d", s.name, code)
		}
		if !strings.Contains(out, s.status) {
			t.Errorf("%s: status does not show %q:\n%s", s.name, s.status, out)
		}
		if _, code := fx.run("advance", "--yes"); code != s.code {
			t.Errorf("%s: advance exited %d, want %d", s.name, code, s.code)
		}
		if got := fx.scope(); got != s.scope {
			t.Errorf("%s: scope after advance = %s, want %s", s.name, got, s.scope)
		}
	}
	after, _ := fx.sim.Profile(fx.profile)
	if after.Payloads != before.Payloads {
		t.Errorf("advance changed the stored payload")
	}
	if r := fx.sim.Redeploys(); len(r) != 0 {
		t.Errorf("advance sent redeploys %+v, want none (scope-only writes)", r)
	}
	for id := 1; id <= 8; id++ {
		c, _ := fx.sim.Computer(id)
		if len(c.Certificates) != 1 {
			t.Errorf("MAC-%02d holds %d certificates at the end, want 1", id, len(c.Certificates))
		}
	}
}

// TestAdvanceAllTenantsIndependently: with --all each tenant takes its own
// step; one tenant held back by its gate neither stops the other nor hides
// from the exit code (8), and -o json says what happened where.
func TestAdvanceAllTenantsIndependently(t *testing.T) {
	a, b := newFixture(t), newFixture(t)
	b.clock = a.clock // one timeline for both tenants
	b.sim.Close()
	b.sim = jamfsimtest.New(t, jamfsim.Options{Now: a.clock.Now})
	b.profile = b.sim.SeedRolloutScenario(a.clock.Now())
	tenants := "tenants:\n" +
		"  - {name: a, url: " + a.sim.URL() + ", auth: {client_id: " + jamfsim.DefaultClientID + ", client_secret: env:JAMF_CLIENT_SECRET}}\n" +
		"  - {name: b, url: " + b.sim.URL() + ", auth: {client_id: " + jamfsim.DefaultClientID + ", client_secret: env:JAMF_CLIENT_SECRET}}\n"
	if err := os.WriteFile(a.config, []byte(rolloutConfig+tenants), 0o600); err != nil {
		t.Fatal(err)
	}
	a.env = map[string]string{"JAMF_CLIENT_SECRET": jamfsim.DefaultClientSecret}
	if _, code := a.run("advance", "--all", "--yes"); code != 0 {
		t.Fatalf("first advance: exit %d", code)
	}
	a.sim.SetDevice(3, jamfsim.DeviceOffline)
	a.deliver()
	b.sim.Deliver(jamfsim.Delivery{ProfileID: b.profile, CN: jamfsim.RolloutCN})
	a.clock.Advance(25 * time.Hour)

	out, code := a.run("advance", "--all", "--yes", "-o", "json")
	if code != cmdutil.ExitGateNotMet {
		t.Errorf("advance --all: exit %d, want %d (a's gate is not met)", code, cmdutil.ExitGateNotMet)
	}
	if got, want := a.scope(), "false|1||"; got != want {
		t.Errorf("tenant a's scope = %s, want %s (held back)", got, want)
	}
	if got, want := b.scope(), "false|1||4,5"; got != want {
		t.Errorf("tenant b's scope = %s, want %s (advanced)", got, want)
	}
	var rep struct {
		Tenants []struct{ Tenant, Outcome string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	want := []struct{ Tenant, Outcome string }{{"a", "gate-not-met"}, {"b", "advanced"}}
	if diff := cmp.Diff(want, rep.Tenants); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}

// TestAdvanceWritesOnlyTheScope: advance never carries another change.
// Settings an admin added to the payload in Jamf Pro's GUI survive a step
// untouched (the write is the scope alone); a general field jamf-scep
// would set differently is refused before any write, with the way out.
func TestAdvanceWritesOnlyTheScope(t *testing.T) {
	tests := []struct {
		name string
		edit func(*jamfsim.Profile)
		// refused is the error advance gives; "" means it advances.
		refused string
	}{
		{
			name: "a payload key jamf-scep does not write survives",
			edit: func(p *jamfsim.Profile) {
				p.Payloads = strings.Replace(p.Payloads, "<dict>", "<dict><key>ConsentText</key><dict><key>default</key><string>Hi</string></dict>", 1)
			},
		},
		{
			name:    "user removable switched on in the GUI is refused",
			edit:    func(p *jamfsim.Profile) { p.UserRemovable = true },
			refused: "the stored profile would change too (general.user_removable); run jamf-scep apply, then advance",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.sim.EditProfile(fx.profile, tt.edit)
			before, _ := fx.sim.Profile(fx.profile)
			fx.sim.ResetRequests()
			_, code := fx.run("advance", "--yes")
			after, _ := fx.sim.Profile(fx.profile)
			if after.Payloads != before.Payloads || after.UserRemovable != before.UserRemovable {
				t.Errorf("advance changed the stored profile beyond its scope")
			}
			puts := fx.sim.Count("PUT", "/JSSResource/osxconfigurationprofiles/id/"+strconv.Itoa(fx.profile))
			if tt.refused == "" {
				if code != 0 || fx.scope() != "false|1||" || puts != 1 {
					t.Errorf("advance: exit %d, scope %s, %d PUT(s); want 0, the pilot group, one PUT", code, fx.scope(), puts)
				}
				return
			}
			if code == 0 || puts != 0 || fx.scope() != "false|||" {
				t.Errorf("advance: exit %d, scope %s, %d PUT(s); want an error and nothing written", code, fx.scope(), puts)
			}
			if !strings.Contains(fx.lastErr, tt.refused) {
				t.Errorf("error %q does not contain %q", fx.lastErr, tt.refused)
			}
		})
	}
}

// TestTenantSelection: rollout picks tenants as plan and apply do
// (pkg/engine SelectTenants): several tenants need --tenant or --all, an
// unknown name is named, and bad input writes nothing.
func TestTenantSelection(t *testing.T) {
	fx := newFixture(t)
	tenants := "tenants:\n" +
		"  - {name: a, url: " + fx.sim.URL() + ", auth: {client_id: " + jamfsim.DefaultClientID + ", client_secret: env:JAMF_CLIENT_SECRET}}\n" +
		"  - {name: b, url: " + fx.sim.URL() + ", auth: {client_id: " + jamfsim.DefaultClientID + ", client_secret: env:JAMF_CLIENT_SECRET}}\n"
	if err := os.WriteFile(fx.config, []byte(rolloutConfig+tenants), 0o600); err != nil {
		t.Fatal(err)
	}
	fx.env = map[string]string{"JAMF_CLIENT_SECRET": jamfsim.DefaultClientSecret}
	tests := []struct {
		args    []string
		code    int
		wantErr string
	}{
		{args: []string{"status"}, code: cmdutil.ExitUsage, wantErr: "pass --tenant NAME or --all"},
		{args: []string{"advance", "--yes"}, code: cmdutil.ExitUsage, wantErr: "pass --tenant NAME or --all"},
		{args: []string{"status", "--tenant", "nope"}, code: cmdutil.ExitUsage, wantErr: `"nope"`},
		{args: []string{"status", "--tenant", "a"}, code: cmdutil.ExitOK},
		{args: []string{"status", "--all"}, code: cmdutil.ExitOK},
	}
	for _, tt := range tests {
		if _, code := fx.run(tt.args...); code != tt.code || !strings.Contains(fx.lastErr, tt.wantErr) {
			t.Errorf("rollout %v: exit %d, error %q; want exit %d, error containing %q", tt.args, code, fx.lastErr, tt.code, tt.wantErr)
		}
	}
	if got, want := fx.scope(), "false|||"; got != want {
		t.Errorf("scope = %s after bad input, want %s (untouched)", got, want)
	}
}
