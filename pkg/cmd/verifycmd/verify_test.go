package verifycmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/verify"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil/cmdtest"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

var scenarioNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func TestNewCmdVerifyFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    Options
		wantErr string
	}{
		{"", Options{StaleAfterDays: 7}, ""},
		{"--profile Okta --fail-under 95.5 --only problems --stale-after 14", Options{ProfileName: "Okta", FailUnder: new(95.5), Only: "problems", StaleAfterDays: 14}, ""},
		{"--profile-id 42 --tenant a,b", Options{ProfileID: 42, StaleAfterDays: 7, Tenants: []string{"a", "b"}}, ""},
		{"--all --now 2026-03-01T09:00:00Z", Options{All: true, StaleAfterDays: 7, Now: scenarioNow}, ""},
		{"--profile a --profile-id 1", Options{}, "none of the others can be"},
		{"--all --tenant a", Options{}, "none of the others can be"},
		{"--now yesterday", Options{}, `invalid value "yesterday" for flag --now`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			f, _ := cmdtest.Factory(nil)
			got, err := cmdtest.ParseArgs(func(runF func(context.Context, *Options) error) *cobra.Command {
				return NewCmdVerify(f, runF)
			}, strings.Fields(tt.args))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.F = nil
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		o    Options
		want string
	}{
		{Options{FailUnder: new(101.0), StaleAfterDays: 7}, `invalid value "101" for flag --fail-under`},
		{Options{FailUnder: new(-5.0), StaleAfterDays: 7}, `invalid value "-5" for flag --fail-under; options are a percent from 0 to 100`},
		{Options{Only: "expired", StaleAfterDays: 7}, `invalid value "expired" for flag --only; options are problems`},
		{Options{StaleAfterDays: 0}, `invalid value "0" for flag --stale-after`},
		{Options{ProfileID: -3, StaleAfterDays: 7}, `invalid value "-3" for flag --profile-id`},
	} {
		err := tt.o.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("Validate(%+v) = %v, want a usage error containing %q", tt.o, err, tt.want)
		}
	}
}

// env maps names to values for Factory.LookupEnv.
type env map[string]string

func (e env) lookup(k string) (string, bool) { v, ok := e[k]; return v, ok }

func simEnv(sim *jamfsim.Server) env {
	return env{"JAMF_URL": sim.URL(), "JAMF_CLIENT_ID": jamfsim.DefaultClientID, "JAMF_CLIENT_SECRET": jamfsim.DefaultClientSecret}
}

type runResult struct {
	stdout, stderr string
	err            error
}

func runVerify(t *testing.T, e env, args ...string) runResult {
	t.Helper()
	return runVerifyOn(t, e, 0, args...)
}

// runVerifyOn runs verify with stdout a terminal cols wide (cols > 0), or
// piped (0).
func runVerifyOn(t *testing.T, e env, cols int, args ...string) runResult {
	t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	if cols > 0 {
		ios.SetTTY(false, true, false)
		ios.SetTerminalWidth(cols)
	}
	f := &cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputText}, LookupEnv: e.lookup, Now: func() time.Time { return scenarioNow }}
	cmd := NewCmdVerify(f, nil)
	// -o and --config are the root's persistent flags; mirror them here.
	cmd.Flags().StringVarP(&f.Globals.Output, "output", "o", cmdutil.OutputText, "")
	cmd.Flags().StringVar(&f.Globals.ConfigPath, "config", "", "")
	cmd.SetArgs(append([]string{}, args...)) // never os.Args
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(t.Context())
	return runResult{stdout.String(), stderr.String(), err}
}

func scenario(t *testing.T) (*jamfsim.Server, env) {
	t.Helper()
	return scenarioAt(t, jamfsim.Version11_30)
}

// scenarioAt is the verify scenario on a simulator playing Jamf Pro
// version, every exchange checked against that version's schema.
func scenarioAt(t *testing.T, version string) (*jamfsim.Server, env) {
	t.Helper()
	sim := jamfsimtest.New(t, jamfsim.Options{Version: version, Observe: jamfschema.Observer(t, version)})
	sim.SeedVerifyScenario(scenarioNow)
	return sim, simEnv(sim)
}

// TestSameReportOnEveryVersion: the same fleet gives the same counts on
// every Jamf Pro version jamf-scep knows (on 11.30 it reads inventory v4,
// whose last-contact field has another name), and every failed install
// carries Jamf's reason where the version's schema has one.
func TestSameReportOnEveryVersion(t *testing.T) {
	type outcome struct {
		Summary verify.Summary
		Reasons []string
	}
	results := map[string]outcome{}
	for _, version := range jamfsim.Versions() {
		_, e := scenarioAt(t, version)
		r := runVerify(t, e, "--profile", jamfsim.VerifyProfileName, "-o", "json")
		if r.err != nil {
			t.Fatalf("%s: %v\n%s", version, r.err, r.stderr)
		}
		var rep verify.Report // one tenant: the report itself
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%s: %v\n%s", version, err, r.stdout)
		}
		o := outcome{Summary: rep.Summary}
		for _, m := range rep.Macs {
			if m.Command != nil && m.Command.Error != "" {
				o.Reasons = append(o.Reasons, m.Command.Error)
			}
		}
		results[version] = o
	}
	want := outcome{Summary: results[jamfsim.Version11_29].Summary, Reasons: []string{jamfsim.VerifyErrorText}}
	for _, v := range []string{jamfsim.Version11_29, jamfsim.Version11_30} {
		if diff := cmp.Diff(want, results[v]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", v, diff)
		}
	}
	if s := results[jamfsim.Version11_30].Summary; s.InScope != 9 || s.WithCertificate != 3 || s.Stale != 1 || s.Failed != 1 {
		t.Errorf("11.30 summary = %+v, want 9 in scope, 3 with certificate, 1 stale, 1 failed", s)
	}
	old := results[jamfsim.Version11_23]
	if diff := cmp.Diff(want.Summary, old.Summary); diff != "" || len(old.Reasons) != 0 {
		t.Errorf("11.23: summary (-want +got):\n%s\nreasons %q, want none (its schema has no commandError)", diff, old.Reasons)
	}
}

func TestRunGolden(t *testing.T) {
	tests := []struct {
		golden   string
		args     []string
		wantCode int
	}{
		{"table.txt", []string{"--profile", jamfsim.VerifyProfileName}, 0},
		{"problems.txt", []string{"--profile", jamfsim.VerifyProfileName, "--only", "problems"}, 0},
		{"report.json", []string{"--profile", jamfsim.VerifyProfileName, "-o", "json"}, 0},
		{"report.csv", []string{"--profile-id", "1", "-o", "csv"}, 0},
		{"fail-under.txt", []string{"--profile", jamfsim.VerifyProfileName, "--fail-under", "50"}, cmdutil.ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			_, e := scenario(t)
			r := runVerify(t, e, tt.args...)
			if got := cmdutil.ExitCode(r.err); got != tt.wantCode {
				t.Fatalf("exit code = %d (%v), want %d; stderr:\n%s", got, r.err, tt.wantCode, r.stderr)
			}
			golden.Assert(t, tt.golden, []byte(r.stdout))
		})
	}
}

// TestTableFitsTerminal pins the table on a terminal (issue 16, item 9):
// at 80 and 120 columns every row fits on one line, cells cut with "…"
// and the less useful columns dropped; piped, it stays TSV (table.txt).
func TestTableFitsTerminal(t *testing.T) {
	for _, cols := range []int{80, 120} {
		t.Run(strconv.Itoa(cols), func(t *testing.T) {
			_, e := scenario(t)
			r := runVerifyOn(t, e, cols, "--profile", jamfsim.VerifyProfileName)
			if r.err != nil {
				t.Fatalf("verify: %v\n%s", r.err, r.stderr)
			}
			for _, l := range strings.Split(r.stdout, "\n") {
				if w := ansi.StringWidth(l); w > cols {
					t.Errorf("line is %d cells at %d columns: %q", w, cols, l)
				}
				if strings.Contains(l, "\t") {
					t.Errorf("tab in the terminal form: %q", l)
				}
			}
			golden.Assert(t, fmt.Sprintf("table-%d.txt", cols), []byte(r.stdout))
		})
	}
}

func TestRunSummaryAndRequests(t *testing.T) {
	sim, e := scenario(t)
	r := runVerify(t, e, "--profile", jamfsim.VerifyProfileName, "-o", "json", "--fail-under", "20")
	if r.err != nil {
		t.Fatalf("verify: %v\n%s", r.err, r.stderr)
	}
	for _, want := range []string{
		`"inScope": 9`, `"withCertificate": 3`, `"pending": 2`, `"failed": 1`, `"expired": 1`,
		`"expiring": 1`, `"stale": 1`, `"outOfScopeHolders": 1`, `"coveragePercent": 33.3`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	// One inventory listing, one command listing, one group read: never a
	// request per Mac.
	for path, want := range map[string]int{
		"/api/v4/computers-inventory":                1,
		"/api/v2/mdm/commands":                       1,
		"/JSSResource/computergroups/id/1":           1,
		"/JSSResource/osxconfigurationprofiles/id/1": 1,
	} {
		if got := sim.Count("GET", path); got != want {
			t.Errorf("GET %s: %d requests, want %d", path, got, want)
		}
	}
}

func TestRunErrors(t *testing.T) {
	_, e := scenario(t)
	tests := []struct {
		name string
		e    env
		args []string
		code int
		msg  string
	}{
		{"unknown profile", e, []string{"--profile", "Nope"}, cmdutil.ExitNotFound, `no macOS configuration profile is named "Nope"`},
		{"no profile named anywhere", e, nil, cmdutil.ExitUsage, "--profile or --profile-id required"},
		{
			"bad secret",
			env{"JAMF_URL": e["JAMF_URL"], "JAMF_CLIENT_ID": jamfsim.DefaultClientID, "JAMF_CLIENT_SECRET": "wrong-secret"},
			[]string{"--profile", "x"},
			cmdutil.ExitAuth, "check the tenant's API client id and secret",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runVerify(t, tt.e, tt.args...)
			if got := cmdutil.ExitCode(r.err); got != tt.code {
				t.Fatalf("exit code = %d (%v), want %d", got, r.err, tt.code)
			}
			if !strings.Contains(r.err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q", r.err, tt.msg)
			}
			if strings.Contains(r.err.Error()+r.stderr, "wrong-secret") {
				t.Errorf("the client secret leaked into the output")
			}
		})
	}
}

func TestRunMissingCommandPrivilege(t *testing.T) {
	var privs []string
	for _, p := range jamfsim.AllPrivileges() {
		if p != jamfsim.PrivViewMDMCommands {
			privs = append(privs, p)
		}
	}
	sim := jamfsimtest.New(t, jamfsim.Options{APIClients: []jamfsim.APIClient{{ID: jamfsim.DefaultClientID, Secret: jamfsim.DefaultClientSecret, Privileges: privs}}})
	sim.SeedVerifyScenario(scenarioNow)
	r := runVerify(t, simEnv(sim), "--profile", jamfsim.VerifyProfileName, "-o", "json")
	if r.err != nil {
		t.Fatalf("verify: %v", r.err)
	}
	if !strings.Contains(r.stderr, `lacks "View MDM command information in Jamf Pro API"`) {
		t.Errorf("stderr lacks the privilege warning:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, `"pending": 0`) {
		t.Errorf("without command history nothing can be pending")
	}
}

func TestRunTenants(t *testing.T) {
	a := jamfsimtest.New(t, jamfsim.Options{})
	a.SeedVerifyScenario(scenarioNow)
	b := jamfsimtest.New(t, jamfsim.Options{})
	b.SeedVerifyScenario(scenarioNow)
	cfg := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	body := `version: 1
profile:
  name: "Okta Device Access"
tenants:
  - name: a
    url: ` + a.URL() + `
    auth: {client_id: ` + jamfsim.DefaultClientID + `, client_secret: "env:SECRET_A"}
  - name: b
    url: ` + b.URL() + `
    auth: {client_id: ` + jamfsim.DefaultClientID + `, client_secret: "env:SECRET_B"}
`
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	e := env{"SECRET_A": jamfsim.DefaultClientSecret, "SECRET_B": jamfsim.DefaultClientSecret}

	r := runVerify(t, e, "--config", cfg, "--all", "--only", "problems")
	if r.err != nil {
		t.Fatalf("verify --all: %v\n%s", r.err, r.stderr)
	}
	golden.Assert(t, "tenants.txt", []byte(r.stdout))

	r = runVerify(t, e, "--config", cfg)
	if cmdutil.ExitCode(r.err) != cmdutil.ExitUsage || !strings.Contains(r.err.Error(), "pass --tenant NAME or --all") {
		t.Errorf("two tenants without --all: %v, want a usage error", r.err)
	}

	e["SECRET_B"] = "revoked-secret"
	r = runVerify(t, e, "--config", cfg, "--tenant", "a,b", "-o", "json")
	if got := cmdutil.ExitCode(r.err); got != cmdutil.ExitPartial {
		t.Fatalf("one tenant down: exit %d (%v), want %d", got, r.err, cmdutil.ExitPartial)
	}
	if !strings.Contains(r.stdout, `"tenant": "b",`) || !strings.Contains(r.stdout, `"error": `) {
		t.Errorf("JSON lacks tenant b's error:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr+r.err.Error(), "revoked-secret") {
		t.Errorf("the client secret leaked into the output")
	}
}
