package plan

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

func TestVerify(t *testing.T) {
	create, err := Compute(desired(t, baseOptions(), ownGroups(pilot, remoteGroup)), Stored{})
	if err != nil {
		t.Fatal(err)
	}
	o := baseOptions()
	o.Subject = "CN=$SERIALNUMBER"
	update, err := Compute(desired(t, o, ownGroups(pilot)), jamfStored(t, baseOptions(), jamf.Scope{ComputerGroups: []jamf.Ref{pilot}}))
	if err != nil {
		t.Fatal(err)
	}
	// stored returns what Jamf would hold after p's write, changed by edit.
	stored := func(p *Plan, edit func(g *jamf.General, s *jamf.Scope)) *jamf.Profile {
		g := *p.send.general
		g.RedeployOnUpdate = ""
		var s jamf.Scope
		if p.send.scope != nil {
			s = scope.Clone(*p.send.scope)
		} else {
			s = p.send.after
		}
		edit(&g, &s)
		return &jamf.Profile{General: g, Scope: s}
	}
	tests := []struct {
		name  string
		plan  *Plan
		edit  func(g *jamf.General, s *jamf.Scope)
		paths []string
	}{
		{name: "stored as sent", plan: create, edit: func(*jamf.General, *jamf.Scope) {}},
		{
			name: "a key Jamf dropped with 201", plan: create,
			edit: func(g *jamf.General, _ *jamf.Scope) {
				g.Payloads = strings.Replace(g.Payloads, "<key>KeyIsExtractable</key><false/>", "", 1)
			},
			paths: []string{"PayloadContent[0].PayloadContent.KeyIsExtractable"},
		},
		{
			name: "a changed password shows as sensitive", plan: create,
			edit: func(g *jamf.General, _ *jamf.Scope) {
				g.Payloads = strings.Replace(g.Payloads, testPassword, "other", 1)
			},
			paths: []string{"PayloadContent[0].PayloadContent.Password"},
		},
		{
			name: "a scope target Jamf did not store", plan: create,
			edit:  func(_ *jamf.General, s *jamf.Scope) { s.ComputerGroups = s.ComputerGroups[:1] },
			paths: []string{"scope.computer_groups"},
		},
		{
			name: "a general field replaced by a default", plan: create,
			edit:  func(g *jamf.General, _ *jamf.Scope) { g.Level = jamf.LevelUser },
			paths: []string{"general.level"},
		},
		{
			name: "an update must keep the top-level identifiers", plan: update,
			edit: func(g *jamf.General, _ *jamf.Scope) {
				g.Payloads = strings.ReplaceAll(g.Payloads, storedUUID, "11111111-2222-4333-8444-555555555555")
			},
			paths: []string{"PayloadIdentifier", "PayloadUUID"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diffs := Verify(tt.plan, stored(tt.plan, tt.edit))
			var paths []string
			for _, d := range diffs {
				paths = append(paths, d.Path)
				if strings.Contains(d.Old+d.New, testPassword) {
					t.Errorf("%s: a secret value is in the difference", d.Path)
				}
			}
			slices.Sort(paths)
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("paths (-want +got):\n%s", diff)
			}
			if len(diffs) > 0 {
				msg := (&MismatchError{ProfileID: 7, Diffs: diffs}).Error()
				if !strings.Contains(msg, tt.paths[0]) {
					t.Errorf("MismatchError %q does not name %s", msg, tt.paths[0])
				}
			}
		})
	}
}

// FuzzDiffTrees checks, for any plist, that a normalized tree has no
// difference from itself, that diffing from nothing never panics, and that a
// secret key's value never shows.
func FuzzDiffTrees(f *testing.F) {
	p, _, err := profile.Build(baseOptions(), nil)
	if err != nil {
		f.Fatal(err)
	}
	wire, err := p.MarshalWire(profile.RenderOptions{IncludeSecrets: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(wire)
	f.Add([]byte(`<plist version="1.0"><dict><key>a</key><array><dict><key>Password</key><string>x-secret</string></dict></array></dict></plist>`))
	f.Add([]byte(`<plist version="1.0"><dict><key>n</key><real>nan</real><key>d</key><data>AAE=</data></dict></plist>`))
	paths := profile.NewSecretRule(nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := parsePlist(data)
		if err != nil {
			return
		}
		n := normalize(tree)
		if d := diffTrees(n, n, paths); len(d) != 0 {
			t.Fatalf("a tree differs from itself: %+v", d)
		}
		for _, c := range diffTrees(nil, n, paths) {
			if c.Sensitive && c.New != Sensitive {
				t.Fatalf("%s: sensitive change shows %q", c.Path, c.New)
			}
		}
	})
}

// Category and site go by name; Jamf answers 201 whether or not it kept
// them, so the read-back checks them, ignoring Jamf's capitalization.
func TestVerifyCategory(t *testing.T) {
	d := desired(t, baseOptions(), ownGroups(pilot))
	d.General.Category = "Security"
	p, err := Compute(d, Stored{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		got   *jamf.Ref
		paths []string
	}{
		{"kept", &jamf.Ref{ID: 4, Name: "Security"}, nil},
		{"kept with Jamf's capitalization", &jamf.Ref{ID: 4, Name: "SECURITY"}, nil},
		{"dropped", &jamf.Ref{ID: -1, Name: "No category assigned"}, []string{"general.category"}},
		{"absent", nil, []string{"general.category"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := *p.send.general
			g.Category = tt.got
			var paths []string
			for _, c := range Verify(p, &jamf.Profile{General: g, Scope: *p.send.scope}) {
				paths = append(paths, c.Path)
			}
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("Verify paths (-want +got):\n%s", diff)
			}
		})
	}
}

// A container shown whole never shows a secret: not the desired one in any
// escaped form, not a stored one the plan cannot know.
func TestContainerChangesHideSecrets(t *testing.T) {
	const stored = `old&"stored"-secret`
	got := display(map[string]any{"Password": stored, "Username": "okta-abc"}, profile.NewSecretRule(nil))
	if strings.Contains(got, "stored") || !strings.Contains(got, "okta-abc") {
		t.Errorf("display = %s", got)
	}
	const desired = `new<&>"desired"\secret`
	cs := []Change{{Path: "PayloadContent", Op: OpChange, Old: display([]any{desired}, profile.NewSecretRule(nil)), New: strconv.Quote(desired)}}
	redactContainers(cs, []string{desired})
	if !cs[0].Sensitive || strings.Contains(cs[0].Old+cs[0].New, "desired") {
		t.Errorf("change not redacted: %+v", cs[0])
	}
}
