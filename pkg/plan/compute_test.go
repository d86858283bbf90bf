package plan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

const (
	testPassword = "s3cret-okta-password"
	storedUUID   = "0A1B2C3D-0000-4000-8000-00000000ABCD"
)

func baseOptions() profile.Options {
	return profile.Options{
		Name:         "Okta Device Access SCEP",
		Description:  "Client certificate for Okta Device Access",
		Identifier:   "com.acme.okta-device-access",
		SCEPURL:      "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d5e6f7g8h9",
		Subject:      "CN=$COMPUTERNAME ma $UDID",
		ChallengeURL: "https://acme.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/rac1a2b3c4d5e6f7g8h9/challenge",
		Username:     "okta-abc123",
		Password:     secret.New(testPassword),
	}
}

func buildProfile(t *testing.T, o profile.Options) *profile.Profile {
	t.Helper()
	p, _, err := profile.Build(o, nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

func desired(t *testing.T, o profile.Options, spec scope.Spec) Desired {
	t.Helper()
	p := buildProfile(t, o)
	return Desired{
		General: General{Name: p.PayloadDisplayName, Description: p.PayloadDescription},
		Profile: p,
		Scope:   spec,
	}
}

// jamfStored returns what Jamf Pro would hold after storing the profile
// built from o: the wire plist with Jamf's rewrites (PayloadEnabled added,
// top-level identifiers replaced, display name and description copied,
// re-indented), general as jamf-scep writes it, and scope.
func jamfStored(t *testing.T, o profile.Options, scope jamf.Scope) Stored {
	t.Helper()
	p := buildProfile(t, o)
	wire, err := p.MarshalWire(profile.RenderOptions{IncludeSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if _, err := plist.Unmarshal(wire, &root); err != nil {
		t.Fatal(err)
	}
	root["PayloadEnabled"] = true
	root["PayloadUUID"] = storedUUID
	root["PayloadIdentifier"] = storedUUID
	root["PayloadDisplayName"] = o.Name
	root["PayloadDescription"] = o.Description
	for _, pl := range root["PayloadContent"].([]any) {
		pl.(map[string]any)["PayloadEnabled"] = true
	}
	text, err := plist.MarshalIndent(root, plist.XMLFormat, "\t")
	if err != nil {
		t.Fatal(err)
	}
	g := desiredGeneral(General{Name: o.Name, Description: o.Description})
	g.ID = 7
	g.UUID = storedUUID
	g.Payloads = string(text)
	return Stored{ID: 7, Profile: &jamf.Profile{General: g, Scope: scope}}
}

var (
	pilot  = jamf.Ref{ID: 1, Name: "Okta Device Access Pilot"}
	kiosks = jamf.Ref{ID: 9, Name: "Kiosks"}
	remote = jamf.Ref{ID: 3, Name: "Remote"}
)

func ownGroups(refs ...jamf.Ref) scope.Spec {
	return scope.Spec{Lists: map[scope.Category][]jamf.Ref{scope.ComputerGroups: refs}}
}

func TestCompute(t *testing.T) {
	storedScope := jamf.Scope{ComputerGroups: []jamf.Ref{pilot}, Exclusions: jamf.Exclusions{ComputerGroups: []jamf.Ref{kiosks}}}
	with := func(f func(*profile.Options)) profile.Options {
		o := baseOptions()
		f(&o)
		return o
	}
	// Compute only reads Stored, so cases may share one.
	converged := jamfStored(t, baseOptions(), storedScope)
	tests := []struct {
		name         string
		want         profile.Options
		spec         scope.Spec
		redeploy     string
		replaceScope bool
		stored       Stored

		action      Action
		paths       []string // General and Payload change paths
		scope       []ScopeChange
		redeployOut string
		sendGeneral bool
		sendPayload bool
		sendScope   bool
	}{
		{
			name: "fresh tenant creates profile and scope", want: baseOptions(), spec: ownGroups(pilot),
			stored: Stored{},
			action: ActionCreate, redeployOut: jamf.RedeployNewlyAssigned,
			scope:       []ScopeChange{{Category: "computer_groups", Added: []Target{{1, pilot.Name}}, Removed: []Target{}}},
			sendGeneral: true, sendPayload: true, sendScope: true,
		},
		{
			name: "converged tenant has no changes despite Jamf's rewrites", want: baseOptions(), spec: ownGroups(pilot),
			stored: converged,
			action: ActionNone, redeployOut: RedeployNone,
		},
		{
			name: "changed Subject updates payload only, newly assigned", spec: ownGroups(pilot),
			want:   with(func(o *profile.Options) { o.Subject = "CN=$SERIALNUMBER ma $UDID" }),
			stored: converged,
			action: ActionUpdate, paths: []string{"PayloadContent[0].PayloadContent.Subject"},
			redeployOut: jamf.RedeployNewlyAssigned, sendGeneral: true, sendPayload: true,
		},
		{
			name: "redeploy all applies to a payload change", spec: ownGroups(pilot), redeploy: jamf.RedeployAll,
			want:   with(func(o *profile.Options) { o.KeySize = 4096 }),
			stored: converged,
			action: ActionUpdate, paths: []string{"PayloadContent[0].PayloadContent.Keysize"},
			redeployOut: jamf.RedeployAll, sendGeneral: true, sendPayload: true,
		},
		{
			name: "description-only change never redeploys, even with all", spec: ownGroups(pilot), redeploy: jamf.RedeployAll,
			want:   with(func(o *profile.Options) { o.Description = "New words" }),
			stored: converged,
			action: ActionUpdate, paths: []string{"general.description"},
			redeployOut: RedeployNone, sendGeneral: true,
		},
		{
			name: "scope-only change sends only scope", want: baseOptions(), spec: ownGroups(pilot, remoteGroup),
			stored:      converged,
			action:      ActionUpdate,
			scope:       []ScopeChange{{Category: "computer_groups", Added: []Target{{remoteGroup.ID, remoteGroup.Name}}, Removed: []Target{}}},
			redeployOut: RedeployNone, sendScope: true,
		},
		{
			name: "omitted category keeps another admin's exclusion", want: baseOptions(),
			spec:        scope.Spec{Lists: map[scope.Category][]jamf.Ref{scope.ComputerGroups: {pilot}, scope.ExcludedBuildings: {remote}}},
			stored:      converged,
			action:      ActionUpdate,
			scope:       []ScopeChange{{Category: "exclusions.buildings", Added: []Target{{3, "Remote"}}, Removed: []Target{}}},
			redeployOut: RedeployNone, sendScope: true,
		},
		{
			name: "declared empty category is owned and emptied", want: baseOptions(),
			spec:        scope.Spec{Lists: map[scope.Category][]jamf.Ref{scope.ComputerGroups: {pilot}, scope.ExcludedComputerGroups: {}}},
			stored:      converged,
			action:      ActionUpdate,
			scope:       []ScopeChange{{Category: "exclusions.computer_groups", Added: []Target{}, Removed: []Target{{9, "Kiosks"}}}},
			redeployOut: RedeployNone, sendScope: true,
		},
		{
			name: "replace-scope owns every category", want: baseOptions(), spec: ownGroups(pilot), replaceScope: true,
			stored:      converged,
			action:      ActionUpdate,
			scope:       []ScopeChange{{Category: "exclusions.computer_groups", Added: []Target{}, Removed: []Target{{9, "Kiosks"}}}},
			redeployOut: RedeployNone, sendScope: true,
		},
		{
			name: "changed password shows as sensitive", spec: ownGroups(pilot),
			want:   with(func(o *profile.Options) { o.Password = secret.New("another-password") }),
			stored: converged,
			action: ActionUpdate, paths: []string{"PayloadContent[0].PayloadContent.Password"},
			redeployOut: jamf.RedeployNewlyAssigned, sendGeneral: true, sendPayload: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := desired(t, tt.want, tt.spec)
			d.Redeploy = tt.redeploy
			if tt.replaceScope {
				d.Scope.OwnAll()
			}
			p, err := Compute(d, tt.stored)
			if err != nil {
				t.Fatal(err)
			}
			if p.Action != tt.action {
				t.Errorf("Action = %s, want %s", p.Action, tt.action)
			}
			var paths []string
			for _, c := range append(append([]Change{}, p.General...), p.Payload...) {
				paths = append(paths, c.Path)
			}
			if tt.action == ActionCreate {
				paths = nil // every key is an addition; covered by the golden test
			}
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("changed paths (-want +got):\n%s", diff)
			}
			wantScope := tt.scope
			if wantScope == nil {
				wantScope = []ScopeChange{}
			}
			if diff := cmp.Diff(wantScope, p.Scope); diff != "" {
				t.Errorf("scope changes (-want +got):\n%s", diff)
			}
			if p.Redeploy != tt.redeployOut {
				t.Errorf("Redeploy = %q, want %q", p.Redeploy, tt.redeployOut)
			}
			gotGeneral := p.send.general != nil
			gotPayload := gotGeneral && p.send.general.Payloads != ""
			gotScope := p.send.scope != nil
			if gotGeneral != tt.sendGeneral || gotPayload != tt.sendPayload || gotScope != tt.sendScope {
				t.Errorf("sends general=%v payload=%v scope=%v, want %v %v %v", gotGeneral, gotPayload, gotScope, tt.sendGeneral, tt.sendPayload, tt.sendScope)
			}
			if gotPayload && tt.action == ActionUpdate {
				if !strings.Contains(p.send.general.Payloads, storedUUID) {
					t.Error("an update's payload does not carry the stored top-level PayloadUUID (Macs would see a new profile)")
				}
				if p.send.general.RedeployOnUpdate != p.Redeploy {
					t.Errorf("sent redeploy_on_update %q, plan says %q", p.send.general.RedeployOnUpdate, p.Redeploy)
				}
			}
			assertNoSecret(t, p)
		})
	}
}

var remoteGroup = jamf.Ref{ID: 4, Name: "Remote Workers"}

// assertNoSecret fails when the plan's text or JSON holds the password.
func assertNoSecret(t *testing.T, p *Plan) {
	t.Helper()
	var b strings.Builder
	if err := WriteText(&b, "t", p); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{testPassword, "another-password"} {
		if strings.Contains(b.String(), s) || strings.Contains(string(js), s) {
			t.Fatal("the plan's text or JSON holds a secret value")
		}
	}
}

func TestComputeSensitiveChange(t *testing.T) {
	o := baseOptions()
	o.Password = secret.New("another-password")
	p, err := Compute(desired(t, o, ownGroups(pilot)), jamfStored(t, baseOptions(), jamf.Scope{ComputerGroups: []jamf.Ref{pilot}}))
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{{Path: "PayloadContent[0].PayloadContent.Password", Op: OpChange, Old: Sensitive, New: Sensitive, Sensitive: true}}
	if diff := cmp.Diff(want, p.Payload); diff != "" {
		t.Errorf("payload (-want +got):\n%s", diff)
	}
}

func TestComputeRefusesForeignProfile(t *testing.T) {
	s := jamfStored(t, baseOptions(), jamf.Scope{})
	s.Profile.General.Payloads = `<?xml version="1.0"?><plist version="1.0"><dict><key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.wifi.managed</string></dict></array></dict></plist>`
	_, err := Compute(desired(t, baseOptions(), ownGroups(pilot)), s)
	if err == nil || !strings.Contains(err.Error(), "--profile-id") {
		t.Fatalf("Compute = %v, want an error suggesting --profile-id", err)
	}
}

// TestComputeRefusesTextJamfRewrites pins the Jamf text rule at the plan
// layer, for a Desired built without profile.Build: nothing is planned.
func TestComputeRefusesTextJamfRewrites(t *testing.T) {
	tests := []struct {
		name string
		set  func(*General)
		want string
	}{
		{"emoji name", func(g *General) { g.Name = "Okta SCEP 🔐" }, `profile.name "Okta SCEP 🔐" has a character outside the Basic Multilingual Plane`},
		{"edge space in description", func(g *General) { g.Description = "certs " }, "profile.description \"certs \" has leading or trailing spaces, which Jamf trims; remove them"},
		{"line feed in category", func(g *General) { g.Category = "a\nb" }, "profile.category \"a\\nb\" contains a control character (U+000A, line feed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := desired(t, baseOptions(), ownGroups(pilot))
			tt.set(&d.General)
			p, err := Compute(d, Stored{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || p != nil {
				t.Fatalf("Compute = %v, %v; want no plan and an error containing %q", p, err, tt.want)
			}
		})
	}
}

func TestComputeDoesNotModifyDesired(t *testing.T) {
	d := desired(t, baseOptions(), ownGroups(pilot))
	before := d.Profile.PayloadUUID
	if _, err := Compute(d, jamfStored(t, baseOptions(), jamf.Scope{})); err != nil {
		t.Fatal(err)
	}
	if d.Profile.PayloadUUID != before {
		t.Error("Compute changed the desired profile's PayloadUUID")
	}
}

func TestWriteGolden(t *testing.T) {
	o := baseOptions()
	o.Subject = "CN=$SERIALNUMBER ma $UDID"
	o.Password = secret.New("another-password")
	o.Description = "Okta Device Access certificate"
	spec := scope.Spec{Lists: map[scope.Category][]jamf.Ref{scope.ComputerGroups: {pilot, remoteGroup}, scope.ExcludedComputerGroups: {}}}
	p, err := Compute(desired(t, o, spec), jamfStored(t, baseOptions(), jamf.Scope{
		ComputerGroups: []jamf.Ref{pilot}, Exclusions: jamf.Exclusions{ComputerGroups: []jamf.Ref{kiosks}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	p.Macs = Macs{InScope: 30, NewlyAdded: 20, Removed: 0}
	var text strings.Builder
	if err := WriteText(&text, "prod-us", p); err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(Report{SchemaVersion: SchemaVersion, Command: "plan", Tenants: []TenantReport{{Tenant: "prod-us", Result: ResultPlanned, Plan: p, Written: []string{}}}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "update.txt", []byte(text.String()))
	golden.Assert(t, "update.json", append(js, '\n'))
}

func TestJamfString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"  padded\t", "padded"},
		{"two\nlines", "twolines"},
		{"lock \U0001F510", "lock ?"},
		{"Büro & Co", "Büro & Co"},
	}
	for _, tt := range tests {
		if got := jamfString(tt.in); got != tt.want {
			t.Errorf("jamfString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDiffMasksStoredSecrets pins item 9 of issue 13: a stored payload's
// secret never shows in a plan, whatever the key (the one rule,
// profile.SecretRule), its depth or its value's type.
func TestDiffMasksStoredSecrets(t *testing.T) {
	rule := profile.NewSecretRule(nil)
	tests := []struct {
		name      string
		stored    map[string]any
		sensitive []string // paths of the changes marked Sensitive
	}{
		{
			name: "Secret, AuthToken, ChallengeSecret in the content",
			stored: map[string]any{"PayloadContent": []any{map[string]any{"PayloadContent": map[string]any{
				"Secret": "CANARY-1", "AuthToken": "CANARY-2", "ChallengeSecret": "CANARY-3",
			}}}},
			sensitive: []string{
				"PayloadContent[0].PayloadContent.AuthToken",
				"PayloadContent[0].PayloadContent.ChallengeSecret",
				"PayloadContent[0].PayloadContent.Secret",
			},
		},
		{
			name:      "nested under a secret key",
			stored:    map[string]any{"Vendor": map[string]any{"Token": map[string]any{"value": "CANARY-4", "n": uint64(5)}}},
			sensitive: []string{"Vendor.Token.n", "Vendor.Token.value"},
		},
		{
			name:      "array and data values",
			stored:    map[string]any{"Secrets": []any{"CANARY-5", []byte("CANARY-6")}, "Password": []byte("CANARY-7")},
			sensitive: []string{"Password", "Secrets"},
		},
		{
			name:      "secret inside a container shown whole",
			stored:    map[string]any{"Subjectish": []any{[]any{"O", map[string]any{"api_key": "CANARY-8"}}}},
			sensitive: nil,
		},
		{
			name:      "credentials inside a stored URL",
			stored:    map[string]any{"URL To SCEP Admin": "https://okta-abc123:CANARY-9@acme.okta.com/api/v1", "More": []any{"x", map[string]any{"u": "https://h.example/?token=CANARY-10"}}},
			sensitive: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, cs := range [][]Change{diffTrees(tt.stored, map[string]any{}, rule), diffTrees(map[string]any{}, tt.stored, rule)} {
				var sensitive []string
				for _, c := range cs {
					if strings.Contains(c.Old+c.New, "CANARY") || strings.Contains(c.Old+c.New, "Q0FOQVJZ") {
						t.Errorf("%s shows a stored secret: %+v", c.Path, c)
					}
					if c.Sensitive {
						sensitive = append(sensitive, c.Path)
					}
				}
				if diff := cmp.Diff(tt.sensitive, sensitive); diff != "" {
					t.Errorf("sensitive paths (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// A change to a secret inside a container shown whole is still a change,
// though both sides display the same masked text.
func TestDiffSeesSecretChangeInContainer(t *testing.T) {
	rule := profile.NewSecretRule(nil)
	old := map[string]any{"L": []any{"x", map[string]any{"Secret": "a"}}}
	new := map[string]any{"L": []any{"x", map[string]any{"Secret": "b"}}}
	if cs := diffTrees(old, new, rule); len(cs) != 1 || strings.Contains(cs[0].Old+cs[0].New, `"a"`) {
		t.Errorf("changes = %+v, want one masked change", cs)
	}
}

func TestDisplayDoesNotEscapeHTML(t *testing.T) {
	got := display([]any{[]any{"O", `R&D <Büro> "x"`}}, profile.SecretRule{})
	if want := `[["O","R&D <Büro> \"x\""]]`; got != want {
		t.Errorf("display = %s, want %s", got, want)
	}
}

// TestComputeShowsMalformedStoredPlist pins QA report 2 (P3): a stored
// plist whose dict holds a key twice (the last value matching the config)
// planned "No changes"; it is a difference apply repairs.
func TestComputeShowsMalformedStoredPlist(t *testing.T) {
	s := jamfStored(t, baseOptions(), jamf.Scope{ComputerGroups: []jamf.Ref{pilot}})
	i := strings.Index(s.Profile.General.Payloads, "<key>PayloadVersion</key>")
	if i < 0 {
		t.Fatal("no PayloadVersion key in the stored plist")
	}
	s.Profile.General.Payloads = s.Profile.General.Payloads[:i] + "<key>PayloadVersion</key><integer>7</integer>" + s.Profile.General.Payloads[i:]
	p, err := Compute(desired(t, baseOptions(), ownGroups(pilot)), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Payload) == 0 || p.Payload[0].Path != StoredPlistPath || !strings.Contains(p.Payload[0].Old, `the key "PayloadVersion" appears twice in one dict`) {
		t.Fatalf("payload changes = %+v, want the malformed stored plist first", p.Payload)
	}
	if !p.HasChanges() {
		t.Errorf("plan has no changes; want apply to rewrite the payloads")
	}
}
