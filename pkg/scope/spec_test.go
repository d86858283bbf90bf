package scope

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// TestResulting: owned categories match the spec exactly, the others and
// the unmodelled lists stay as stored; OwnAll (--replace-scope) owns and
// empties everything not given.
func TestResulting(t *testing.T) {
	yes := true
	other := []jamf.RawElement{{Name: "jss_users", Inner: "<jss_user><id>2</id><name>bob</name></jss_user>"}}
	stored := jamf.Scope{
		ComputerGroups: []jamf.Ref{ref(1, "Pilot")},
		Exclusions:     jamf.Exclusions{ComputerGroups: []jamf.Ref{ref(9, "Kiosks")}},
		Unmodelled:     other,
	}
	ownAll := func(s Spec) Spec { s.OwnAll(); return s }
	tests := []struct {
		name   string
		spec   Spec
		stored *jamf.Scope
		want   jamf.Scope
	}{
		{
			name: "nothing owned keeps the stored scope", spec: Spec{}, stored: &stored,
			want: stored,
		},
		{
			name:   "owned groups replaced, another admin's exclusion kept",
			spec:   Spec{Lists: map[Category][]jamf.Ref{ComputerGroups: {ref(5, "Remote")}}},
			stored: &stored,
			want:   jamf.Scope{ComputerGroups: []jamf.Ref{ref(5, "Remote")}, Exclusions: stored.Exclusions, Unmodelled: other},
		},
		{
			name:   "an owned empty list empties the category",
			spec:   Spec{Lists: map[Category][]jamf.Ref{ExcludedComputerGroups: {}}},
			stored: &stored,
			want:   jamf.Scope{ComputerGroups: stored.ComputerGroups, Exclusions: jamf.Exclusions{ComputerGroups: []jamf.Ref{}}, Unmodelled: other},
		},
		{
			name: "create: nothing stored", spec: Spec{AllComputers: &yes},
			want: jamf.Scope{AllComputers: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.spec.Resulting(tt.stored)); diff != "" {
				t.Errorf("Resulting (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("OwnAll empties every list not given", func(t *testing.T) {
		spec := ownAll(Spec{Lists: map[Category][]jamf.Ref{ComputerGroups: {ref(1, "Pilot")}}})
		for _, c := range Categories() {
			if !spec.Owned(c) {
				t.Errorf("%s is not owned", c)
			}
		}
		got := spec.Resulting(&stored)
		var want []Change
		want = append(want,
			Change{Path: "exclusions.computer_groups", Added: []jamf.Ref{}, Removed: []jamf.Ref{ref(9, "Kiosks")}},
			Change{Path: "jss_users", Added: []jamf.Ref{}, Removed: []jamf.Ref{ref(2, "bob")}},
		)
		if diff := cmp.Diff(want, Diff(stored, got)); diff != "" {
			t.Errorf("changes under OwnAll (-want +got):\n%s", diff)
		}
		if got.AllComputers {
			t.Error("OwnAll turned all_computers on")
		}
	})

	t.Run("does not alias stored", func(t *testing.T) {
		s := jamf.Scope{Buildings: make([]jamf.Ref, 1, 4)}
		got := Spec{}.Resulting(&s)
		got.Buildings = append(got.Buildings, ref(2, "Remote"))
		if extra := s.Buildings[:2][1]; extra != (jamf.Ref{}) {
			t.Errorf("Resulting shares the stored list: %v", extra)
		}
	})
}

// TestFromConfig: one jamf.Names for every name of a config scope, and the
// resolved refs mapped back to the categories the names came from, with
// the config's ownership (a nil list is not owned, an empty one is).
func TestFromConfig(t *testing.T) {
	no := false
	cfg := config.Scope{
		AllComputers:   &no,
		ComputerGroups: []string{"Pilot", "Remote"},
		Buildings:      []string{},
		Exclusions:     config.Exclusions{ComputerGroups: []string{"Kiosks"}, Computers: []string{"MAC-7"}},
	}
	names, back := FromConfig(cfg)
	wantNames := jamf.Names{Computers: []string{"MAC-7"}, ComputerGroups: []string{"Pilot", "Remote", "Kiosks"}}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	got := back(jamf.Resolved{
		Computers:      []jamf.Ref{ref(7, "MAC-7")},
		ComputerGroups: []jamf.Ref{ref(1, "Pilot"), ref(2, "Remote"), ref(9, "Kiosks")},
	})
	want := Spec{AllComputers: &no, Lists: map[Category][]jamf.Ref{
		ComputerGroups:         {ref(1, "Pilot"), ref(2, "Remote")},
		Buildings:              {},
		ExcludedComputers:      {ref(7, "MAC-7")},
		ExcludedComputerGroups: {ref(9, "Kiosks")},
	}}
	// Ownership is the presence of a key (checked below), not nil-ness.
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("spec (-want +got):\n%s", diff)
	}
	if got.Owned(Departments) || !got.Owned(Buildings) {
		t.Errorf("ownership: departments %t (want false), buildings %t (want true)", got.Owned(Departments), got.Owned(Buildings))
	}
}

// TestConfigNamesBuild: resolving a config's targets and exclusions apart
// (ConfigNames, Build) gives the same scope as resolving them together
// (FromConfig, Resulting), category by category.
func TestConfigNamesBuild(t *testing.T) {
	yes := true
	var cfg config.Scope
	cfg.AllComputers = &yes
	for _, c := range Categories() {
		*c.configList(&cfg) = []string{c.Flag() + "-1", c.Flag() + "-2"}
	}
	// resolve stands in for jamf.Resolve: one ref per name, in order.
	ids := map[string]int{}
	resolve := func(n jamf.Names) jamf.Resolved {
		var r jamf.Resolved
		for _, c := range Categories()[:numKinds] {
			for _, name := range *c.NamesList(&n) {
				if ids[name] == 0 {
					ids[name] = len(ids) + 1
				}
				*c.resolvedList(&r) = append(*c.resolvedList(&r), ref(ids[name], name))
			}
		}
		return r
	}
	names, back := FromConfig(cfg)
	together := back(resolve(names)).Resulting(nil)
	include, exclude := ConfigNames(cfg)
	apart := Build(true, resolve(include), resolve(exclude))
	if diff := cmp.Diff(together, apart); diff != "" {
		t.Errorf("Build(ConfigNames) differs from FromConfig (-together +apart):\n%s", diff)
	}
	for _, c := range Categories() {
		if got := *c.list(&apart); len(got) != 2 || got[0].Name != c.Flag()+"-1" {
			t.Errorf("%s holds %v, want its own two targets", c, got)
		}
	}
}
