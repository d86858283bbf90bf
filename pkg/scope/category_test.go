package scope

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// TestCategoryNames pins each category's names in both vocabularies: the
// config keys and plan paths users write and read, and the flags of
// `scope add|remove|set`.
func TestCategoryNames(t *testing.T) {
	type names struct {
		Path, Flag, Kind string
		Excluded         bool
		Targeted         Category
	}
	want := []names{
		{"computers", "computer", jamf.KindComputer, false, Computers},
		{"computer_groups", "computer-group", jamf.KindComputerGroup, false, ComputerGroups},
		{"buildings", "building", jamf.KindBuilding, false, Buildings},
		{"departments", "department", jamf.KindDepartment, false, Departments},
		{"exclusions.computers", "exclude-computer", jamf.KindComputer, true, Computers},
		{"exclusions.computer_groups", "exclude-computer-group", jamf.KindComputerGroup, true, ComputerGroups},
		{"exclusions.buildings", "exclude-building", jamf.KindBuilding, true, Buildings},
		{"exclusions.departments", "exclude-department", jamf.KindDepartment, true, Departments},
	}
	var got []names
	for _, c := range Categories() {
		got = append(got, names{c.String(), c.Flag(), c.Kind(), c.Excluded(), c.Targeted()})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("categories (-want +got):\n%s", diff)
	}
}

// TestCategoryLists: each category reads and writes its own list of a
// jamf.Scope, and its kind's list of jamf.Names and jamf.Resolved.
func TestCategoryLists(t *testing.T) {
	for _, c := range Categories() {
		t.Run(c.String(), func(t *testing.T) {
			var s jamf.Scope
			*c.list(&s) = []jamf.Ref{ref(int(c)+1, c.Flag())}
			want := []Change{{Path: c.String(), Added: []jamf.Ref{ref(int(c)+1, c.Flag())}, Removed: []jamf.Ref{}}}
			if diff := cmp.Diff(want, Diff(jamf.Scope{}, s)); diff != "" {
				t.Errorf("the list written is not the category's (-want +got):\n%s", diff)
			}
			var n jamf.Names
			*c.NamesList(&n) = []string{"x"}
			var r jamf.Resolved
			*c.resolvedList(&r) = []jamf.Ref{ref(1, "x")}
			// The kind decides: the same lists as the target category's.
			var nt jamf.Names
			*c.Targeted().NamesList(&nt) = []string{"x"}
			if diff := cmp.Diff(nt, n); diff != "" {
				t.Errorf("NamesList (-target +got):\n%s", diff)
			}
			var rt jamf.Resolved
			*c.Targeted().resolvedList(&rt) = []jamf.Ref{ref(1, "x")}
			if diff := cmp.Diff(rt, r); diff != "" {
				t.Errorf("resolvedList (-target +got):\n%s", diff)
			}
			if got := *c.Targeted().NamesList(&jamf.Names{Computers: []string{"c"}, ComputerGroups: []string{"g"}, Buildings: []string{"b"}, Departments: []string{"d"}}); len(got) != 1 || got[0] != map[string]string{
				jamf.KindComputer: "c", jamf.KindComputerGroup: "g", jamf.KindBuilding: "b", jamf.KindDepartment: "d",
			}[c.Kind()] {
				t.Errorf("NamesList gives %q, not the %s list", got, c.Kind())
			}
			rows := Rows(s)
			if len(rows) != 1 || rows[0].Category != c.Targeted().Flag() {
				t.Errorf("Rows = %+v, want one row of category %q", rows, c.Targeted().Flag())
			}
		})
	}
}

func TestOtherCategory(t *testing.T) {
	tests := []struct{ path, category, kind string }{
		{"jss_users", "jss-user", "include"},
		{"jss_user_groups", "jss-user-group", "include"},
		{"all_jss_users", "all-jss-users", "include"},
		{"limitations.network_segments", "network-segment", "limitation"},
		{"limitations.ibeacons", "ibeacon", "limitation"},
		{"exclusions.users", "user", "exclude"},
		{"exclusions.user_groups", "user-group", "exclude"},
	}
	for _, tt := range tests {
		category, kind := OtherCategory(tt.path)
		if category != tt.category || kind != tt.kind {
			t.Errorf("OtherCategory(%q) = %q, %q, want %q, %q", tt.path, category, kind, tt.category, tt.kind)
		}
	}
}

// TestCategoryConfigKeys: a category's String is the key of its list in
// the config file, so plans name categories as users write them.
func TestCategoryConfigKeys(t *testing.T) {
	for _, c := range Categories() {
		t.Run(c.String(), func(t *testing.T) {
			// "exclusions.buildings" is buildings under exclusions.
			doc := map[string]any{}
			m := doc
			keys := strings.Split(c.String(), ".")
			for _, k := range keys[:len(keys)-1] {
				m[k] = map[string]any{}
				m = m[k].(map[string]any)
			}
			m[keys[len(keys)-1]] = []string{"x"}
			raw, err := yaml.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			var s config.Scope
			if err := yaml.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			if got := *c.configList(&s); !slices.Equal(got, []string{"x"}) {
				t.Errorf("config key %q fills %+v, not the category's list", c.String(), s)
			}
		})
	}
}

func TestOwnedBy(t *testing.T) {
	yes := true
	tests := []struct {
		name    string
		s       config.Scope
		want    []Category
		wantAll bool
	}{
		{"nothing", config.Scope{}, nil, false},
		{"all computers only", config.Scope{AllComputers: &yes}, nil, true},
		{"empty list is owned", config.Scope{Buildings: []string{}, Exclusions: config.Exclusions{Departments: []string{"Finance"}}}, []Category{Buildings, ExcludedDepartments}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, all := OwnedBy(tt.s)
			if diff := cmp.Diff(tt.want, got); diff != "" || all != tt.wantAll {
				t.Errorf("OwnedBy = %v, %v; want %v, %v (-want +got):\n%s", got, all, tt.want, tt.wantAll, diff)
			}
		})
	}
}
