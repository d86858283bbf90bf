package initcmd

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zalando/go-keyring"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

const (
	scepURL      = "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d"
	challengeURL = "https://acme.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/rac1a2b3c4d/challenge"
	oktaPassword = "okta-pass-Zq81"
)

// memKeychain is an in-memory secret.KeychainStore.
type memKeychain map[string]string

func (m memKeychain) Get(service, account string) (string, error) {
	v, ok := m[service+"/"+account]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (m memKeychain) Set(service, account, secret string) error {
	m[service+"/"+account] = secret
	return nil
}

type result struct {
	stdout, stderr string
	err            error
	keychain       memKeychain
	executed       []string
}

// runWizard runs init in accessible mode with the answers as lines of
// input, against a config path in a temporary directory.
func runWizard(t *testing.T, path string, answers ...string) result {
	t.Helper()
	return runWizardWith(t, path, nil, answers...)
}

// runWizardWith is runWizard with the keychain ks (nil: an in-memory one).
func runWizardWith(t *testing.T, path string, ks secret.KeychainStore, answers ...string) result {
	t.Helper()
	ios, stdin, stdout, stderr := iostreams.Test()
	ios.SetTTY(true, true, true)
	ios.SetAccessible(true)
	stdin.WriteString(strings.Join(answers, "\n") + "\n")
	res := result{keychain: memKeychain{}}
	f := &cmdutil.Factory{
		IOStreams: ios,
		Globals:   &cmdutil.Globals{ConfigPath: path},
		LookupEnv: func(string) (string, bool) { return "", false },
	}
	var keychain secret.KeychainStore = res.keychain
	if ks != nil {
		keychain = ks
	}
	opts := &Options{F: f, Keychain: keychain, SecretDir: filepath.Join(filepath.Dir(path), "secrets"), ClientOptions: []jamf.Option{jamf.WithRetryPolicy(jamf.RetryPolicy{})}, DraftPath: filepath.Join(filepath.Dir(path), "draft", "init-draft.yaml")}
	opts.runNext = func(_ context.Context, choice, path string) error {
		res.executed = append(res.executed, choice+" --config "+path)
		return nil
	}
	res.err = run(t.Context(), opts)
	res.stdout, res.stderr = stdout.String(), stderr.String()
	return res
}

func newSim(t *testing.T) *jamfsim.Server {
	t.Helper()
	sim := jamfsimtest.New(t, jamfsim.Options{Observe: jamfschema.Observer(t, "")})
	sim.SeedFleet(25, 1)
	return sim
}

// oktaAnswers are step 1 for dynamic SCEP.
func oktaAnswers() []string {
	return []string{"1", scepURL, challengeURL, "okta-123456", oktaPassword}
}

// restAnswers are steps 3 to 6: profile defaults, scope HQ minus Finance,
// keychain, default path, run doctor, then nothing.
func restAnswers() []string {
	return []string{
		"", "Okta Device Access for Macs", "Okta Device Access CA", "", "",
		"n", "0", "1", "0", "0", "y", "0", "0", "3", "0",
		"1", "", "1", "4",
	}
}

func jamfAnswers(url, id, secret string) []string {
	return []string{url, "", "1", id, secret}
}

func TestHappyPath(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	res := runWizard(t, path, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The simulator's port changes per run.
	golden.Assert(t, "happy.golden.yaml", []byte(strings.ReplaceAll(string(got), sim.URL(), "http://127.0.0.1:PORT/jamf/")))
	for _, s := range []string{oktaPassword, jamfsim.DefaultClientSecret} {
		if strings.Contains(string(got), s) || strings.Contains(res.stdout, s) || strings.Contains(res.stderr, s) {
			t.Errorf("a secret (%d characters) appears in the config or the output", len(s))
		}
	}
	want := memKeychain{
		"jamf-scep/okta-scep-password":         oktaPassword,
		"jamf-scep/default/jamf-client-secret": jamfsim.DefaultClientSecret,
	}
	if len(res.keychain) != len(want) || res.keychain["jamf-scep/okta-scep-password"] != oktaPassword ||
		res.keychain["jamf-scep/default/jamf-client-secret"] != jamfsim.DefaultClientSecret {
		t.Errorf("keychain items differ from the typed secrets (keys %v)", keys(res.keychain))
	}
	if diff := cmp.Diff([]string{"doctor --config " + path}, res.executed); diff != "" {
		t.Errorf("runs offered next (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("config mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if !strings.Contains(res.stderr, "+ create profile") || !strings.Contains(res.stderr, "Macs in scope:") {
		t.Errorf("the review does not show the plan:\n%s", redact(res.stderr))
	}
	if strings.Contains(res.stdout, "create profile") {
		t.Errorf("the plan went to stdout, which is kept for the final commands:\n%s", res.stdout)
	}
	// Item 2 of issue 16: only the categories chosen are written, and
	// the review says which ones the config owns.
	if !strings.Contains(res.stderr, "owns these scope categories (apply makes Jamf Pro match them): all_computers, buildings, exclusions.departments.") {
		t.Errorf("the review does not name the owned scope categories:\n%s", redact(res.stderr))
	}
	if !strings.Contains(res.stderr, "This scope covers") {
		t.Errorf("stderr lacks the Mac count:\n%s", res.stderr)
	}
	if !strings.Contains(res.stdout, "jamf-scep apply --config "+path) {
		t.Errorf("stdout lacks the equivalent commands:\n%s", res.stdout)
	}
}

func TestInvalidURLReasked(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := []string{"1", "http://acme.okta.com/pki/x", scepURL, challengeURL, "okta-123456", oktaPassword}
	answers = append(answers, jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	res := runWizard(t, path, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	if !strings.Contains(res.stderr, "https") || strings.Count(res.stderr, "SCEP URL") < 2 {
		t.Errorf("the SCEP URL was not re-asked with the https finding:\n%s", redact(res.stderr))
	}
}

// TestWrongURLPathReasked: a Jamf Pro URL whose path leads nowhere (the
// token request answers 404) is re-asked with the advice to check it.
func TestWrongURLPathReasked(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL()+"wrong/", jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	answers = append(answers, jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	res := runWizard(t, path, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	if want := "404 Not Found: NOT_FOUND; no Jamf Pro API answers there; check the tenant's url"; !strings.Contains(res.stderr, want) {
		t.Errorf("the wrong URL was not reported with %q:\n%s", want, redact(res.stderr))
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("config not written after correcting the URL: %v", err)
	}
}

func TestCredentialsRejectedThenCorrected(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, "wrong-secret")...)
	answers = append(answers, jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)
	res := runWizard(t, path, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	if !strings.Contains(res.stderr, "credentials were rejected") {
		t.Errorf("no rejection shown:\n%s", redact(res.stderr))
	}
	if strings.Contains(res.stderr, "wrong-secret") {
		t.Error("the rejected secret appears in the output")
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("config not written after correcting the credentials: %v", err)
	}
}

func TestCancelWritesNothing(t *testing.T) {
	sim := newSim(t)
	tests := []struct {
		name    string
		answers []string
	}{
		{"during Okta", []string{"1", scepURL}},
		{"during Jamf", append(oktaAnswers(), sim.URL())},
		{"at the save prompt", append(append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...), restAnswers()[:16]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
			res := runWizard(t, path, tt.answers...)
			if !errors.Is(res.err, cmdutil.ErrCancel) {
				t.Fatalf("run error = %v, want ErrCancel", res.err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("config written on cancel (stat: %v)", err)
			}
			if len(res.keychain) != 0 {
				t.Errorf("keychain written on cancel: %v", keys(res.keychain))
			}
		})
	}
}

func TestRerunOffersExistingValues(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	if res := runWizard(t, path, append(answers, restAnswers()...)...); res.err != nil {
		t.Fatalf("first run: %v", res.err)
	}
	first, _ := os.ReadFile(path)
	// Second run: accept every default, keep the stored secret references
	// (the keychain is a new, empty one, so the Jamf secret is retyped),
	// confirm the overwrite.
	answers = []string{
		"", "", "", "", "", // Okta: every value kept, the password reference too
		"", "", "", "", jamfsim.DefaultClientSecret, // Jamf
		"", "", "", "", "", // profile
		"", "0", "0", "0", "", "0", "0", "0", // scope: the stored choices stay selected
		"1", "", "y", "4", // keychain, same path, overwrite, nothing next
	}
	res := runWizard(t, path, answers...)
	if res.err != nil {
		t.Fatalf("second run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	// Accessible mode reads the hint on a secret field with a stored
	// reference (item 4 of issue 16).
	if want := "Leave empty to keep keychain:jamf-scep/okta-scep-password.\nPassword"; !strings.Contains(res.stderr, want) {
		t.Errorf("accessible mode does not read %q:\n%s", want, redact(res.stderr))
	}
	second, _ := os.ReadFile(path)
	if diff := cmp.Diff(string(first), string(second)); diff != "" {
		t.Errorf("re-run with defaults changed the config (-first +second):\n%s", diff)
	}
}

func TestNoTerminalRefuses(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.Globals{}}
	err := run(t.Context(), &Options{F: f})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "plan --config FILE") {
		t.Errorf("run without a terminal = %v (exit %d), want a usage error pointing to plan --config", err, cmdutil.ExitCode(err))
	}
}

func keys(m memKeychain) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// redact hides the test secrets from failure messages.
func redact(s string) string {
	return strings.NewReplacer(oktaPassword, "(okta password)", jamfsim.DefaultClientSecret, "(client secret)").Replace(s)
}

// TestRunNextPlan pins what "What next? Run plan" runs: the plan of
// pkg/engine on the saved config, with the defaults of `jamf-scep plan
// --config PATH` (text output whatever the wizard's own -o), nothing
// written.
func TestRunNextPlan(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	cfg := &config.Config{
		Version: config.Version,
		Profile: config.Profile{
			Name: "Okta Device Access SCEP",
			SCEP: config.SCEP{
				URL: scepURL, Subject: "CN=$SERIALNUMBER",
				Challenge: config.Challenge{URL: challengeURL, Username: "okta-123456", Password: secret.EnvRef("OKTA")},
			},
		},
		Scope:   config.Scope{ComputerGroups: []string{jamfsim.FleetPilotGroup}},
		Tenants: []config.Tenant{{Name: "sim", URL: sim.URL(), Auth: config.Auth{ClientID: jamfsim.DefaultClientID, ClientSecret: secret.EnvRef("SECRET")}}},
	}
	if err := config.Save(path, cfg, false); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OKTA": oktaPassword, "SECRET": jamfsim.DefaultClientSecret}
	ios, _, stdout, stderr := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Globals:   &cmdutil.Globals{Output: cmdutil.OutputJSON},
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
	}
	if err := runNext(f)(t.Context(), choicePlan, path); err != nil {
		t.Fatalf("plan: %v\nstderr:\n%s", err, redact(stderr.String()))
	}
	if !strings.Contains(stdout.String(), "+ create profile") {
		t.Errorf("stdout does not show the plan as text:\n%s", stdout)
	}
	if n := len(sim.Profiles()); n != 0 {
		t.Errorf("plan wrote %d profile(s)", n)
	}
}

// TestRejectionNamesTheRealStatus pins the wizard part of item 13 of issue
// 16: Jamf Pro refusing the client credentials with 400 invalid_client is
// reported as such, not as a 401 that never happened.
func TestRejectionNamesTheRealStatus(t *testing.T) {
	sim := newSim(t)
	sim.InjectFault(jamfsim.Fault{PathPrefix: "/api/v1/oauth/token", Status: http.StatusBadRequest, ContentType: "application/json", Body: `{"error":"invalid_client"}`})
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	answers = append(answers, jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)
	res := runWizard(t, path, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	if !strings.Contains(res.stderr, "rejected by Jamf Pro (400 invalid_client)") {
		t.Errorf("the rejection does not name 400 invalid_client:\n%s", redact(res.stderr))
	}
	if strings.Contains(res.stderr, "(401)") {
		t.Errorf("the rejection claims a 401:\n%s", redact(res.stderr))
	}
}

// TestLeavingKeepsADraft pins the draft of item 1 of issue 16: leaving
// after some answers writes no config but a 0600 draft without the typed
// secret, the next init offers it, and its answers become the defaults.
func TestLeavingKeepsADraft(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	draft := filepath.Join(filepath.Dir(path), "draft", "init-draft.yaml")
	res := runWizard(t, path, append(oktaAnswers(), sim.URL())...) // leaves during Jamf
	if !errors.Is(res.err, cmdutil.ErrCancel) {
		t.Fatalf("run error = %v, want ErrCancel", res.err)
	}
	fi, err := os.Stat(draft)
	if err != nil {
		t.Fatalf("no draft kept: %v\nstderr:\n%s", err, redact(res.stderr))
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("draft mode %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(draft)
	if !strings.Contains(string(data), scepURL) || !strings.Contains(string(data), "username: okta-123456") {
		t.Errorf("the draft lacks the answers:\n%s", data)
	}
	if strings.Contains(string(data), oktaPassword) {
		t.Error("the draft holds the typed Okta password")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("config written on leaving (stat: %v)", err)
	}

	// Resume: Okta's answers are the defaults (empty lines keep them);
	// the password, never in the draft, is typed again.
	answers := []string{"y", "", "", "", "", oktaPassword}
	answers = append(answers, jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	res = runWizard(t, path, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("resumed run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	if !strings.Contains(res.stderr, "Resume the answers") {
		t.Errorf("the draft was not offered:\n%s", redact(res.stderr))
	}
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), scepURL) {
		t.Errorf("the resumed config lacks the draft's SCEP URL:\n%s", got)
	}
	if _, err := os.Stat(draft); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the draft outlived the saved config (stat: %v)", err)
	}
}

// noKeychain is a keychain that is not there (no Secret Service).
type noKeychain struct{}

func (noKeychain) Get(string, string) (string, error) { return "", errors.New("no Secret Service") }
func (noKeychain) Set(string, string, string) error   { return errors.New("no Secret Service") }

// TestNoKeychainKeepsSecretsInFiles pins item 3 of issue 16: without a
// keychain the typed secrets go to 0600 files and the config holds file:
// references to them (never env: ones that nothing exports), and the
// review shows the references of the chosen store.
func TestNoKeychainKeepsSecretsInFiles(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	res := runWizardWith(t, path, noKeychain{}, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	dir := filepath.Join(filepath.Dir(path), "secrets")
	got, _ := os.ReadFile(path)
	for file, want := range map[string]string{"okta-scep-password": oktaPassword, "default-jamf-client-secret": jamfsim.DefaultClientSecret} {
		p := filepath.Join(dir, file)
		if !strings.Contains(string(got), "file:"+p) {
			t.Errorf("the config does not point at %s:\n%s", p, got)
		}
		data, err := os.ReadFile(p)
		if err != nil || string(data) != want {
			t.Errorf("%s does not hold the typed secret (err %v)", file, err)
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, %v; want 0600", file, fi.Mode().Perm(), err)
		}
	}
	if strings.Contains(string(got), "env:") {
		t.Errorf("the config falls back to env references:\n%s", got)
	}
	// The review shows the references written: file:, never keychain: or
	// env: ones, and the keychain is not offered.
	review, _, _ := strings.Cut(res.stderr, "Save the config as")
	if !strings.Contains(review, "file:"+filepath.Join(dir, "okta-scep-password")) || strings.Contains(review, "keychain:") || strings.Contains(review, "password: env:") {
		t.Errorf("the review does not show the file references written:\n%s", redact(res.stderr))
	}
	if strings.Contains(res.stderr, "OS keychain (service") {
		t.Errorf("the wizard offers a keychain that does not answer:\n%s", redact(res.stderr))
	}
}

// TestEndOfInputLeavesAtOnce pins item 4 of issue 16: in accessible mode
// Ctrl-D (end of input) leaves at once, without going on to the page's
// next prompts.
func TestEndOfInputLeavesAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	res := runWizard(t, path, "1") // then end of input at the SCEP URL
	if !errors.Is(res.err, cmdutil.ErrCancel) {
		t.Fatalf("run error = %v, want ErrCancel", res.err)
	}
	if strings.Contains(res.stderr, "Username") {
		t.Errorf("the wizard went on past end of input:\n%s", res.stderr)
	}
}

// TestSubjectNamesLongMacs pins item 5 of issue 16: with a Mac in scope
// whose CN would exceed 64 characters under the chosen Subject, the wizard
// names that Mac and asks for the Subject again; the config it writes
// holds a Subject every Mac in scope fits.
func TestSubjectNamesLongMacs(t *testing.T) {
	sim := newSim(t)
	long := "Conference-Room-Display-Mac-Studio-Building-HQ-Floor-3"
	sim.AddComputer(jamfsim.Computer{Name: long, Serial: "C02LONGNAME1", Building: "HQ", Department: "Sales"})
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	rest := restAnswers()
	rest = append(rest[:15:15], append([]string{"CN=$SERIALNUMBER ma $UDID"}, rest[15:]...)...)
	res := runWizard(t, path, append(answers, rest...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	if !strings.Contains(res.stderr, "exceed 64 characters on 1 Mac(s) in scope: "+long) {
		t.Errorf("the long Mac is not named:\n%s", redact(res.stderr))
	}
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), "subject: CN=$SERIALNUMBER ma $UDID") {
		t.Errorf("the config does not hold the shorter Subject:\n%s", got)
	}
}

// TestAccessibleReadsDescriptionsAndDefaults pins item 4 of issue 16: in
// accessible mode each field's description and default are read before
// its prompt, and a typed secret is never read back.
func TestAccessibleReadsDescriptionsAndDefaults(t *testing.T) {
	sim := newSim(t)
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	answers := append(oktaAnswers(), jamfAnswers(sim.URL(), jamfsim.DefaultClientID, jamfsim.DefaultClientSecret)...)
	res := runWizard(t, path, append(answers, restAnswers()...)...)
	if res.err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", res.err, redact(res.stderr))
	}
	for _, want := range []string{
		"The name in Jamf Pro; apply finds the profile by it.\nDefault: Okta Device Access SCEP (press Enter to keep it)\nProfile name",
		"Jamf redistributes the profile this many days",
		"Default: CN=$COMPUTERNAME ma $UDID (press Enter to keep it)\nSubject",
		"A short name for this server in the config (lowercase letters, digits, -).\nDefault: default (press Enter to keep it)\nTenant name",
		"Default: API client (OAuth client credentials; recommended) (press Enter to keep it)\nAuthentication",
		// Every input says what it asks for, the secrets included.
		scepURLHelp + "\nSCEP URL", challengeURLHelp + "\nChallenge URL", oktaUserHelp + "\nUsername",
		oktaPasswordHelp + "\nPassword", jamfURLHelp + "\nJamf Pro URL", clientIDHelp + "\nAPI client ID",
		clientSecretHelp + "\nAPI client secret", descriptionHelp + "\nDescription",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("accessible mode does not read %q:\n%s", want, redact(res.stderr))
		}
	}
	// A select's default is read by its label, never its key.
	for _, key := range []string{"Default: dynamic", "Default: client", "Default: keychain"} {
		if strings.Contains(res.stderr, key) {
			t.Errorf("accessible mode reads a select's key (%q):\n%s", key, redact(res.stderr))
		}
	}
}
