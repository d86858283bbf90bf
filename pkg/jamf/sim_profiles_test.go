package jamf_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// trickyPlist is a SCEP profile with everything Jamf's <payloads> handling
// gets wrong: '&' as &amp;, '<' and '>' escaped, quotes, non-ASCII, a
// character reference, a CDATA section (so a literal "]]>") and a nested
// Subject array indented so that uncompacted it grows phantom arrays.
func trickyPlist(t *testing.T) string {
	t.Helper()
	s, err := readTestdata("sim", "tricky-scep.plist")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readTestdata(elem ...string) (string, error) {
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, elem...)...))
	return string(b), err
}

func compact(t *testing.T, p string) string {
	t.Helper()
	c, err := jamf.CompactPlist(p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// decodePlist parses a profile plist and masks what Jamf rewrites on
// purpose (docs/jamf-behavior.md, 'Re-serialisation rewrites'): the
// top-level PayloadUUID and
// PayloadIdentifier (replaced on create), PayloadDisplayName and
// PayloadDescription (copied from general) and PayloadEnabled (added).
func decodePlist(t *testing.T, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if _, err := plist.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("stored payload is not a plist: %v", err)
	}
	for _, k := range []string{"PayloadUUID", "PayloadIdentifier", "PayloadDisplayName", "PayloadDescription", "PayloadEnabled"} {
		delete(m, k)
	}
	content, _ := m["PayloadContent"].([]any)
	for _, c := range content {
		if d, ok := c.(map[string]any); ok {
			delete(d, "PayloadEnabled")
		}
	}
	return m
}

func scepSubject(t *testing.T, m map[string]any) any {
	t.Helper()
	content, ok := m["PayloadContent"].([]any)
	if !ok || len(content) != 1 {
		t.Fatalf("PayloadContent = %#v, want one payload", m["PayloadContent"])
	}
	inner, _ := content[0].(map[string]any)["PayloadContent"].(map[string]any)
	return inner["Subject"]
}

func newProfile(name, payloads string) *jamf.Profile {
	return &jamf.Profile{
		General: jamf.General{
			Name: name, Description: "SCEP for Okta Device Access",
			DistributionMethod: jamf.DistributionInstallAutomatically, Level: jamf.LevelComputer,
			Payloads: payloads,
		},
	}
}

// TestSimPayloadByteFaithful sends the tricky plist to a server whose
// re-serialization and top-level id replacement are off, so that what it
// stores must be exactly the compacted plist, byte for byte, after Jamf's
// extra entity decode and its phantom-array bug have had their say. Then
// it reads it back through the client.
func TestSimPayloadByteFaithful(t *testing.T) {
	opts := simOptions(0)
	opts.DisabledQuirks = jamfsim.QuirkReserialize | jamfsim.QuirkReplaceTopLevelIDs
	sim := jamfsimtest.New(t, opts)
	c := newSimClient(t, sim.URL())
	ctx := t.Context()
	want := compact(t, trickyPlist(t))

	id, err := c.CreateProfile(ctx, newProfile("Okta SCEP", trickyPlist(t)))
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := sim.Profile(id)
	if diff := cmp.Diff(want, stored.Payloads); diff != "" {
		t.Errorf("stored payload after create differs from the compacted plist (-want +got):\n%s", diff)
	}
	got, err := c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got.General.Payloads); diff != "" {
		t.Errorf("payload read back differs (-want +got):\n%s", diff)
	}

	// An update with the read-back plist must store the same bytes again.
	if err := c.UpdateProfile(ctx, id, jamf.ProfileUpdate{General: &got.General}); err != nil {
		t.Fatal(err)
	}
	stored, _ = sim.Profile(id)
	if diff := cmp.Diff(want, stored.Payloads); diff != "" {
		t.Errorf("stored payload after update differs (-want +got):\n%s", diff)
	}
}

// TestSimPayloadSemanticAllQuirks stores the tricky plist on a server with
// every quirk on: the stored plist is re-serialized, so it is compared
// semantically with the rewrites masked, and the Subject keeps exactly its
// two RDNs (no phantom arrays).
func TestSimPayloadSemanticAllQuirks(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	c := newSimClient(t, sim.URL())
	ctx := t.Context()
	want := decodePlist(t, trickyPlist(t))

	id, err := c.CreateProfile(ctx, newProfile("Okta SCEP", trickyPlist(t)))
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := sim.Profile(id)
	if diff := cmp.Diff(want, decodePlist(t, stored.Payloads)); diff != "" {
		t.Errorf("stored payload differs semantically (-want +got):\n%s", diff)
	}
	got, err := c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	gotTree := decodePlist(t, got.General.Payloads)
	if diff := cmp.Diff(want, gotTree); diff != "" {
		t.Errorf("payload read back differs semantically (-want +got):\n%s", diff)
	}
	wantSubject := []any{
		[]any{[]any{"O", "Ärzte & Söhne"}},
		[]any{[]any{"CN", "$COMPUTERNAME ma $UDID"}},
	}
	if diff := cmp.Diff(wantSubject, scepSubject(t, gotTree)); diff != "" {
		t.Errorf("Subject (-want +got):\n%s", diff)
	}
	if strings.Contains(stored.Payloads, "<array/>") || strings.Contains(stored.Payloads, "<array></array>") {
		t.Errorf("stored payload has an empty (phantom) array:\n%s", stored.Payloads)
	}
}

// TestSimTopLevelIDsReplacedOnCreate: the server replaces the top-level
// PayloadUUID and PayloadIdentifier on create and keeps nested ones; an
// update that sends the read-back payload keeps the stored ids (no ghost
// profile on Macs).
func TestSimTopLevelIDsReplacedOnCreate(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	c := newSimClient(t, sim.URL())
	ctx := t.Context()
	const sentUUID = "11111111-2222-4333-8444-555555555555"

	id, err := c.CreateProfile(ctx, newProfile("Okta SCEP", trickyPlist(t)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	top := topLevel(t, p.General.Payloads)
	if top["PayloadUUID"] == sentUUID || top["PayloadUUID"] == "" {
		t.Errorf("top-level PayloadUUID = %q, want a server-made UUID", top["PayloadUUID"])
	}
	if top["PayloadIdentifier"] != top["PayloadUUID"] {
		t.Errorf("top-level PayloadIdentifier = %q, want it equal to PayloadUUID %q", top["PayloadIdentifier"], top["PayloadUUID"])
	}
	if p.General.UUID != top["PayloadUUID"] {
		t.Errorf("general.uuid = %q, want the top-level PayloadUUID %q", p.General.UUID, top["PayloadUUID"])
	}
	if !strings.Contains(p.General.Payloads, "9A1C6E2B-3D4F-4A5B-8C7D-0E1F2A3B4C5D") {
		t.Error("nested PayloadUUID was not kept")
	}

	p.General.Description = "changed"
	if err := c.UpdateProfile(ctx, id, jamf.ProfileUpdate{General: &p.General}); err != nil {
		t.Fatal(err)
	}
	after, err := c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if after.General.UUID != p.General.UUID {
		t.Errorf("general.uuid after update = %q, want it kept as %q", after.General.UUID, p.General.UUID)
	}
}

func topLevel(t *testing.T, text string) map[string]string {
	t.Helper()
	var m map[string]any
	if _, err := plist.Unmarshal([]byte(text), &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// TestSimProfileLifecycle runs every profile operation against a realistic
// server and against one that refuses unknown elements and bad enums
// (QuirkLenientXML off), which proves the client sends only what Jamf
// knows. It checks the partial-PUT merge, trimmed names and that no
// /subset/ path is ever used.
func TestSimProfileLifecycle(t *testing.T) {
	tests := []struct {
		name       string
		disabled   jamfsim.Quirk
		scopeWrite jamfsim.ScopeWrite
	}{
		{"all quirks", 0, jamfsim.ScopeWriteMerge},
		{"strict XML", jamfsim.QuirkLenientXML, jamfsim.ScopeWriteMerge},
		{"scope write replaces", 0, jamfsim.ScopeWriteReplace},
		{"strict XML, scope write replaces", jamfsim.QuirkLenientXML, jamfsim.ScopeWriteReplace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := simOptions(0)
			opts.DisabledQuirks = tt.disabled
			opts.ScopeWrite = tt.scopeWrite
			sim := jamfsimtest.New(t, opts)
			sim.SeedFleet(25, 1)
			c := newSimClient(t, sim.URL())
			ctx := t.Context()

			res, err := c.Resolve(ctx, jamf.Names{
				Computers:      []string{"MAC-0001", jamfsim.FleetUmlautName},
				ComputerGroups: []string{jamfsim.FleetPilotGroup},
				Buildings:      []string{"Warehouse & Logistics"},
				Departments:    []string{"R&D"},
			})
			if err != nil {
				t.Fatal(err)
			}
			excluded, err := c.Resolve(ctx, jamf.Names{Computers: []string{"MAC-0005"}})
			if err != nil {
				t.Fatal(err)
			}
			scope := jamf.Scope{
				Computers: res.Computers, ComputerGroups: res.ComputerGroups,
				Buildings: res.Buildings, Departments: res.Departments,
				Exclusions: jamf.Exclusions{Computers: excluded.Computers},
			}
			p := newProfile("  Okta Device Access SCEP  ", trickyPlist(t))
			p.Scope = scope
			id, err := c.CreateProfile(ctx, p)
			if err != nil {
				t.Fatal(err)
			}

			// List and find: the server trimmed the name.
			list, err := c.ListProfiles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]jamf.ProfileSummary{{ID: id, Name: "Okta Device Access SCEP"}}, list); diff != "" {
				t.Errorf("ListProfiles (-want +got):\n%s", diff)
			}
			for _, name := range []string{"Okta Device Access SCEP", " Okta Device Access SCEP "} {
				found, err := c.FindProfileByName(ctx, name)
				if err != nil {
					t.Fatalf("FindProfileByName(%q): %v", name, err)
				}
				if found.General.ID != id {
					t.Errorf("FindProfileByName(%q) id = %d, want %d", name, found.General.ID, id)
				}
			}

			got, err := c.GetProfile(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(scope, got.Scope, modelledScope); diff != "" {
				t.Errorf("scope read back (-want +got):\n%s", diff)
			}
			if got.General.DistributionMethod != jamf.DistributionInstallAutomatically || got.General.Level != jamf.LevelComputer {
				t.Errorf("general = %+v, want the enums sent", got.General)
			}

			// General only: the stored scope is left alone.
			before, _ := sim.Profile(id)
			g := got.General
			g.Description = "general only"
			if err := c.UpdateProfile(ctx, id, jamf.ProfileUpdate{General: &g}); err != nil {
				t.Fatal(err)
			}
			after, _ := sim.Profile(id)
			if diff := cmp.Diff(before.Scope, after.Scope); diff != "" {
				t.Errorf("general-only update changed the scope (-before +after):\n%s", diff)
			}
			if after.Description != "general only" {
				t.Errorf("description = %q, want %q", after.Description, "general only")
			}

			// Scope only: general and the payload are left alone.
			before = after
			newScope := jamf.Scope{ComputerGroups: res.ComputerGroups}
			if err := c.UpdateProfile(ctx, id, jamf.ProfileUpdate{Scope: &newScope}); err != nil {
				t.Fatal(err)
			}
			after, _ = sim.Profile(id)
			if after.Payloads != before.Payloads || after.Name != before.Name || after.Description != before.Description || after.UUID != before.UUID {
				t.Error("scope-only update changed general or the payload")
			}
			got, err = c.GetProfile(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(newScope, got.Scope, modelledScope); diff != "" {
				t.Errorf("scope after scope-only update (-want +got):\n%s", diff)
			}

			// Both at once.
			g = got.General
			g.Name = "Okta Device Access SCEP v2"
			if err := c.UpdateProfile(ctx, id, jamf.ProfileUpdate{General: &g, Scope: &scope}); err != nil {
				t.Fatal(err)
			}
			got, err = c.GetProfile(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.General.Name != g.Name {
				t.Errorf("name = %q, want %q", got.General.Name, g.Name)
			}
			if diff := cmp.Diff(scope, got.Scope, modelledScope); diff != "" {
				t.Errorf("scope after full update (-want +got):\n%s", diff)
			}

			if err := c.DeleteProfile(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetProfile(ctx, id); !errors.Is(err, jamf.ErrNotFound) {
				t.Errorf("GetProfile after delete: err = %v, want ErrNotFound", err)
			}
			if _, err := c.FindProfileByName(ctx, g.Name); !errors.Is(err, jamf.ErrNotFound) {
				t.Errorf("FindProfileByName after delete: err = %v, want ErrNotFound", err)
			}

			for _, r := range sim.Requests() {
				if strings.Contains(r.Path, "/subset/") {
					t.Errorf("request %s %s uses a /subset/ path", r.Method, r.Path)
				}
				if r.Method == "PUT" && r.Path != logProfile(id) {
					t.Errorf("PUT to %s, want top-level %s", r.Path, logProfile(id))
				}
				if r.Status >= 400 && r.Path != logProfile(id) {
					t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
				}
			}
			if n := sim.Count("PUT", logProfile(id)); n != 3 {
				t.Errorf("PUT count = %d, want 3", n)
			}
		})
	}
}

// TestSimEnumsAndWriteOnly: a bad enum value is defaulted with 201 by a
// lenient server (only a read-back shows it) and refused with a parsed
// Classic error by a strict one; redeploy_on_update reads back as "Newly
// Assigned" whatever was sent.
func TestSimEnumsAndWriteOnly(t *testing.T) {
	ctx := t.Context()

	lenient := jamfsimtest.New(t, simOptions(0))
	c := newSimClient(t, lenient.URL())
	p := newProfile("Enums", trickyPlist(t))
	p.General.DistributionMethod = "Install Eventually"
	id, err := c.CreateProfile(ctx, p)
	if err != nil {
		t.Fatalf("lenient server: %v", err)
	}
	got, err := c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.General.DistributionMethod != jamf.DistributionInstallAutomatically {
		t.Errorf("distribution_method = %q, want it defaulted to %q", got.General.DistributionMethod, jamf.DistributionInstallAutomatically)
	}
	g := got.General
	g.RedeployOnUpdate = jamf.RedeployAll
	if err := c.UpdateProfile(ctx, id, jamf.ProfileUpdate{General: &g}); err != nil {
		t.Fatal(err)
	}
	got, err = c.GetProfile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.General.RedeployOnUpdate != jamf.RedeployNewlyAssigned {
		t.Errorf("redeploy_on_update read back = %q, want %q (write-only)", got.General.RedeployOnUpdate, jamf.RedeployNewlyAssigned)
	}
	if rd := lenient.Redeploys(); len(rd) != 1 || rd[0].Sent != jamf.RedeployAll {
		t.Errorf("redeploys = %+v, want one PUT that sent All", rd)
	}

	opts := simOptions(0)
	opts.DisabledQuirks = jamfsim.QuirkLenientXML
	strict := jamfsimtest.New(t, opts)
	c = newSimClient(t, strict.URL())
	_, err = c.CreateProfile(ctx, p)
	var jerr *jamf.Error
	if !errors.As(err, &jerr) || jerr.StatusCode != 400 || !strings.Contains(jerr.Message, "distribution_method") {
		t.Errorf("strict server: err = %v, want a 400 *jamf.Error naming distribution_method", err)
	}
}

// TestSimDuplicateNames: Jamf allows duplicate names; finding one by name
// refuses to guess, and creating an existing name is a 409 that is not
// retried.
func TestSimDuplicateNames(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	a := sim.AddProfile(jamfsim.Profile{Name: "Okta SCEP"})
	b := sim.AddProfile(jamfsim.Profile{Name: "Okta SCEP"})
	c := newSimClient(t, sim.URL())
	ctx := t.Context()

	_, err := c.FindProfileByName(ctx, "Okta SCEP")
	var amb *jamf.AmbiguousNameError
	if !errors.As(err, &amb) {
		t.Fatalf("FindProfileByName: err = %v, want *AmbiguousNameError", err)
	}
	if diff := cmp.Diff([]string{strconv.Itoa(a), strconv.Itoa(b)}, amb.IDs); diff != "" {
		t.Errorf("ambiguous ids (-want +got):\n%s", diff)
	}
	if sim.Count("GET", logProfiles+"/name/Okta SCEP") != 0 {
		t.Error("the client used GET .../name/{name}, which picks one of several")
	}

	for _, name := range []string{"Okta SCEP", "  Okta SCEP "} {
		sim.ResetRequests()
		_, err = c.CreateProfile(ctx, newProfile(name, trickyPlist(t)))
		var jerr *jamf.Error
		if !errors.As(err, &jerr) || !errors.Is(err, jamf.ErrConflict) || !strings.Contains(jerr.Message, "Duplicate name") {
			t.Errorf("create %q: err = %v, want a 409 Duplicate name", name, err)
		}
		if n := sim.Count("POST", logProfile(0)); n != 1 {
			t.Errorf("create %q: %d POSTs, want 1 (a POST is never retried)", name, n)
		}
	}
}

// modelledScope compares the lists jamf-scep models; the simulator answers
// the unmodelled ones too (empty here).
var modelledScope = cmp.Options{
	cmpopts.IgnoreFields(jamf.Scope{}, "Unmodelled"),
	cmpopts.IgnoreFields(jamf.Exclusions{}, "Unmodelled"),
}

// TestSimScopeWriteKeepsOtherLists: a scope-only PUT of a scope read with
// GET keeps another admin's lists that jamf-scep does not model, whether
// the server merges the sent <scope> or replaces the stored one with it
// (Jamf documents neither; see docs/jamf-behavior.md, "Scope writes").
// OwnUnmodelled (--replace-scope) empties them under both. The control
// case proves the replacing server drops what a write leaves out.
func TestSimScopeWriteKeepsOtherLists(t *testing.T) {
	others := map[string]string{
		"all_jss_users":                "true",
		"jss_users":                    "<jss_user><id>7</id><name>carol</name></jss_user>",
		"limitations/users":            "<user><id>8</id><name>dave</name></user>",
		"limitations/network_segments": "<network_segment><id>4</id><name>Office LAN</name></network_segment>",
		"exclusions/jss_user_groups":   "<jss_user_group><id>3</id><name>Contractors</name></jss_user_group>",
		"exclusions/ibeacons":          "<ibeacon><id>2</id><name>Lobby</name></ibeacon>",
	}
	tests := []struct {
		name       string
		scopeWrite jamfsim.ScopeWrite
		edit       func(*jamf.Scope)
		want       map[string]string
	}{
		{"merge keeps", jamfsim.ScopeWriteMerge, func(*jamf.Scope) {}, others},
		{"replace keeps", jamfsim.ScopeWriteReplace, func(*jamf.Scope) {}, others},
		{"merge, owned, empties", jamfsim.ScopeWriteMerge, (*jamf.Scope).OwnUnmodelled, nil},
		{"replace, owned, empties", jamfsim.ScopeWriteReplace, (*jamf.Scope).OwnUnmodelled, nil},
		{"control: replace drops what is not sent", jamfsim.ScopeWriteReplace, func(s *jamf.Scope) {
			s.Unmodelled, s.Exclusions.Unmodelled = nil, nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := simOptions(0)
			opts.ScopeWrite = tt.scopeWrite
			sim := jamfsimtest.New(t, opts)
			sim.SeedFleet(5, 1)
			id := sim.AddProfile(jamfsim.Profile{Name: "Okta Device Access SCEP", Payloads: trickyPlist(t)})
			for k, v := range others {
				sim.SetScopeOther(id, k, v)
			}
			c := newSimClient(t, sim.URL())
			p, err := c.GetProfile(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			s := p.Scope
			s.ComputerGroups = append(s.ComputerGroups, jamf.Ref{ID: 1})
			tt.edit(&s)
			if err := c.UpdateProfile(t.Context(), id, jamf.ProfileUpdate{Scope: &s}); err != nil {
				t.Fatal(err)
			}
			got, _ := sim.Profile(id)
			if diff := cmp.Diff(tt.want, got.Scope.Other, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("stored unmodelled lists (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]int{1}, got.Scope.Targets.ComputerGroups); diff != "" {
				t.Errorf("stored computer groups (-want +got):\n%s", diff)
			}
		})
	}
}
