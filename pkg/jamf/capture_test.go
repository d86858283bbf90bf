package jamf_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// TestCaptureSanitizes runs a client with a user account (password and
// bearer tokens) and an extra redacted secret against the simulator and
// checks what the capture holds: no secret, no real Mac name, serial or
// UDID, the same pseudonym for the same Mac in every file, and a refused
// second capture into the same directory.
func TestCaptureSanitizes(t *testing.T) {
	const oktaPassword = "okta-SECRET-pass-9c1d" //nolint:gosec // test value
	sim := jamfsimtest.New(t, simOptions(0))
	sim.SeedFleet(5, 1)
	id := sim.AddProfile(jamfsim.Profile{Name: "Okta Device Access SCEP", Payloads: strings.Replace(trickyPlist(t), "</dict>", "<key>Password</key><string>"+oktaPassword+"</string></dict>", 1)})
	dir := filepath.Join(t.TempDir(), "capture")
	cp, err := jamf.NewCapture(dir, testMasker)
	if err != nil {
		t.Fatal(err)
	}
	c := newSimClientCreds(t, sim.URL(), jamf.UserAccount(simUser, simPassword), jamf.WithCapture(cp))
	c.Redact(oktaPassword)
	ctx := t.Context()
	inv, err := c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: []jamf.Section{jamf.SectionGeneral, jamf.SectionHardware}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProfile(ctx, id); err != nil {
		t.Fatal(err)
	}
	// The same inventory again: its pseudonyms must not change.
	if _, err := c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: []jamf.Section{jamf.SectionGeneral, jamf.SectionHardware}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}

	forbidden := []string{simPassword, oktaPassword}
	for _, m := range inv {
		forbidden = append(forbidden, m.General.Name, m.Hardware.SerialNumber, m.UDID, m.General.ManagementID)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) < 4 {
		t.Fatalf("capture files = %v (%v), want a token, two inventory listings and a profile", files, err)
	}
	var inventories []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range forbidden {
			if s != "" && strings.Contains(string(data), s) {
				t.Errorf("%s holds %q", filepath.Base(f), s)
			}
		}
		var ex jamf.CapturedExchange
		if err := json.Unmarshal(data, &ex); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if strings.Contains(ex.Body, `"token"`) && !strings.Contains(ex.Body, `"token":"(sensitive)"`) {
			t.Errorf("%s: token not redacted: %s", filepath.Base(f), ex.Body)
		}
		if strings.Contains(ex.Path, "computers-inventory") {
			inventories = append(inventories, ex.Body)
		}
	}
	if len(inventories) != 2 {
		t.Fatalf("captured %d inventory answers, want 2", len(inventories))
	}
	if diff := cmp.Diff(inventories[0], inventories[1]); diff != "" {
		t.Errorf("the same inventory got different pseudonyms (-first +second):\n%s", diff)
	}
	if !strings.Contains(inventories[0], `"name":"Mac-001`) {
		t.Errorf("inventory lacks the pseudonym Mac-001: %.300s", inventories[0])
	}

	if _, err := jamf.NewCapture(dir, testMasker); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("NewCapture on a used directory: err = %v, want it refused", err)
	}
}

// testMasker is what the root command gives a capture: pkg/profile's one
// secret rule for stored plists.
var testMasker = profile.CapturePlistMasker(profile.NewSecretRule(nil))
