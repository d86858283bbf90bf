package jamfschema_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// seeded starts a simulator playing version with the verify scenario, a
// smart group, a category and a site, so every listing has records.
func seeded(t *testing.T, version string) (*jamfsim.Server, jamfsim.VerifyScenario) {
	t.Helper()
	sim := jamfsimtest.New(t, jamfsim.Options{Version: version})
	sc := sim.SeedVerifyScenario(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	sim.AddSmartGroup("All Macs", func(jamfsim.Computer) bool { return true })
	sim.AddBuilding("HQ")
	sim.AddDepartment("IT")
	sim.AddCategory("Security")
	sim.AddSite("Main")
	return sim, sc
}

// TestClientAndSimulatorFollowSchema drives every client method jamf-scep
// uses against the simulator playing each supported Jamf Pro version, and
// checks every request the client sends and every answer the simulator
// gives against that version's published schema.
func TestClientAndSimulatorFollowSchema(t *testing.T) {
	for _, version := range jamfsim.Versions() {
		t.Run(version, func(t *testing.T) {
			sim, sc := seeded(t, version)
			tr, err := jamfschema.NewTransport(sim.URL(), version)
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			for i, creds := range []jamf.Credentials{
				jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret),
				jamf.UserAccount(jamfsim.DefaultUsername, jamfsim.DefaultPassword),
			} {
				c, err := jamf.New(sim.URL(), creds, jamf.WithHTTPClient(tr.Client()))
				if err != nil {
					t.Fatal(err)
				}
				driveClient(ctx, t, c, sc, i)
				if err := c.Close(ctx); err != nil {
					t.Errorf("close: %v", err)
				}
			}
			tr.Check(t)
			if tr.Checked() < 60 {
				t.Errorf("only %d requests and answers checked; the client was not driven", tr.Checked())
			}
		})
	}
}

// driveClient calls every client method that talks to Jamf and fails t on
// an error.
func driveClient(ctx context.Context, t *testing.T, c *jamf.Client, sc jamfsim.VerifyScenario, run int) {
	t.Helper()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	_, err := c.Version(ctx)
	must("Version", err)
	_, err = c.ServerTime(ctx)
	must("ServerTime", err)
	all := []jamf.Section{jamf.SectionGeneral, jamf.SectionHardware, jamf.SectionUserAndLocation, jamf.SectionConfigurationProfiles, jamf.SectionCertificates}
	macs, err := c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: all, PageSize: 3})
	must("ComputersInventory", err)
	if len(macs) != len(sc.Computers) {
		t.Errorf("ComputersInventory: %d computers, want %d", len(macs), len(sc.Computers))
	}
	_, err = c.ComputersInventory(ctx, jamf.InventoryQuery{
		Filter: jamf.RSQLOr(jamf.RSQLIn("udid", []string{macs[0].UDID}), jamf.RSQLEqual("general.name", "MAC-OK-1")),
	})
	must("ComputersInventory filtered", err)
	_, err = c.ProfileCommands(ctx, sc.ProfileID)
	must("ProfileCommands", err)
	_, err = c.ComputerGroups(ctx)
	must("ComputerGroups", err)
	_, err = c.ComputerGroupMembers(ctx, 1)
	must("ComputerGroupMembers", err)
	_, err = c.Buildings(ctx)
	must("Buildings", err)
	_, err = c.Departments(ctx)
	must("Departments", err)
	_, err = c.Categories(ctx)
	must("Categories", err)
	_, err = c.Sites(ctx)
	must("Sites", err)
	for _, p := range jamf.ReadProbes() {
		must("Probe "+p.Endpoint, c.Probe(ctx, p))
	}
	_, err = c.Resolve(ctx, jamf.Names{
		Computers: []string{"MAC-OK-1"}, ComputerGroups: []string{jamfsim.VerifyGroup, "All Macs"},
		Buildings: []string{"HQ"}, Departments: []string{"IT"}, Categories: []string{"Security"}, Sites: []string{"Main"},
	})
	must("Resolve", err)
	_, err = c.ListProfiles(ctx)
	must("ListProfiles", err)
	p, err := c.FindProfileByName(ctx, jamfsim.VerifyProfileName)
	must("FindProfileByName", err)
	_, err = c.GetProfile(ctx, sc.ProfileID)
	must("GetProfile", err)
	if p == nil {
		return
	}
	copyOf := &jamf.Profile{General: p.General}
	copyOf.General.ID = 0
	copyOf.General.Name = p.General.Name + " copy " + strconv.Itoa(run)
	id, err := c.CreateProfile(ctx, copyOf)
	must("CreateProfile", err)
	if id == 0 {
		return
	}
	must("UpdateProfile", c.UpdateProfile(ctx, id, jamf.ProfileUpdate{Scope: &jamf.Scope{AllComputers: true}}))
	must("DeleteProfile", c.DeleteProfile(ctx, id))
}

// TestSimulatorEndpointsFollowSchema asks the simulator, as each version,
// for every Jamf Pro API listing it serves, with every inventory section
// and every inventory version, and checks each answer against the schema.
// Endpoints the version's schema does not have must answer 404.
func TestSimulatorEndpointsFollowSchema(t *testing.T) {
	sections := "section=GENERAL&section=HARDWARE&section=USER_AND_LOCATION&section=CONFIGURATION_PROFILES&section=CERTIFICATES"
	paths := []string{
		"v1/jamf-pro-version",
		"v1/computer-groups",
		"v2/computer-groups/static-groups?page=0&page-size=2&sort=name:desc",
		"v2/computer-groups/smart-groups",
		"v3/computer-groups/static-groups?filter=" + url.QueryEscape(`name=="Okta Rollout"`),
		"v3/computer-groups/smart-groups?page-size=1",
		"v1/buildings", "v1/departments", "v1/categories", "v1/sites",
		"v1/computers-inventory?" + sections,
		"v2/computers-inventory?" + sections,
		"v3/computers-inventory?" + sections + "&sort=id:desc",
		"v4/computers-inventory?" + sections + "&page-size=4&page=1",
		"v4/computers-inventory",
		"v2/mdm/commands?filter=" + url.QueryEscape("profileId==1"),
		"v2/mdm/commands?filter=" + url.QueryEscape(`status=="ERROR"`),
		// Error answers: an ApiError body.
		"v2/mdm/commands?filter=" + url.QueryEscape("profileId==1") + "&sort=bogus:asc",
		"v1/buildings?page-size=0",
	}
	for _, version := range jamfsim.Versions() {
		t.Run(version, func(t *testing.T) {
			sim, _ := seeded(t, version)
			spec := jamfschema.MustLoad(jamfschema.For(version))
			base, _ := url.Parse(sim.URL())
			token := oauthToken(t, sim)
			for _, p := range paths {
				path, query, _ := strings.Cut(p, "?")
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, sim.URL()+"api/"+path+"?"+query, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Accept", "application/json")
				resp, err := sim.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if spec.Operation(http.MethodGet, "/"+path) == nil {
					if resp.StatusCode != http.StatusNotFound {
						t.Errorf("GET %s: Jamf Pro %s has no such endpoint, the simulator answered %d", p, version, resp.StatusCode)
					}
					continue
				}
				if err := spec.ValidateResponse(base, req, resp.StatusCode, resp.Header, body); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func oauthToken(t *testing.T, sim *jamfsim.Server) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {jamfsim.DefaultClientID}, "client_secret": {jamfsim.DefaultClientSecret}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, sim.URL()+"api/v1/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := sim.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("no token: %v", err)
	}
	return tok.AccessToken
}
