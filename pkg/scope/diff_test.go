package scope

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// TestDiff: one table for the comparison plans show and read-backs check.
func TestDiff(t *testing.T) {
	users := func(inner string) jamf.RawElement {
		return jamf.RawElement{Name: "limitations", Inner: "<users>" + inner + "</users>"}
	}
	tests := []struct {
		name          string
		before, after jamf.Scope
		want          []Change
	}{
		{name: "same scope", before: jamf.Scope{Buildings: []jamf.Ref{ref(1, "HQ")}}, after: jamf.Scope{Buildings: []jamf.Ref{ref(1, "HQ")}}},
		{
			name:   "order and a renamed target are not changes: ids decide",
			before: jamf.Scope{ComputerGroups: []jamf.Ref{ref(1, "A"), ref(2, "B")}},
			after:  jamf.Scope{ComputerGroups: []jamf.Ref{ref(2, "B"), ref(1, "A (renamed)")}},
		},
		{
			name:   "all_computers on, in path order before the lists",
			before: jamf.Scope{Buildings: []jamf.Ref{ref(1, "HQ")}},
			after:  jamf.Scope{AllComputers: true},
			want: []Change{
				{Path: "all_computers", Added: []jamf.Ref{{Name: "all computers"}}, Removed: []jamf.Ref{}},
				{Path: "buildings", Added: []jamf.Ref{}, Removed: []jamf.Ref{ref(1, "HQ")}},
			},
		},
		{
			name:   "all_computers off",
			before: jamf.Scope{AllComputers: true},
			want:   []Change{{Path: "all_computers", Added: []jamf.Ref{}, Removed: []jamf.Ref{{Name: "all computers"}}}},
		},
		{
			name:   "exclusion added and target removed, in category order",
			before: jamf.Scope{Computers: []jamf.Ref{ref(5, "MAC-5")}},
			after:  jamf.Scope{Exclusions: jamf.Exclusions{ComputerGroups: []jamf.Ref{ref(9, "Kiosks")}}},
			want: []Change{
				{Path: "computers", Added: []jamf.Ref{}, Removed: []jamf.Ref{ref(5, "MAC-5")}},
				{Path: "exclusions.computer_groups", Added: []jamf.Ref{ref(9, "Kiosks")}, Removed: []jamf.Ref{}},
			},
		},
		{
			name:   "unmodelled entries without an id match by name",
			before: jamf.Scope{Unmodelled: []jamf.RawElement{users("<user><name>dave</name></user>")}},
			after:  jamf.Scope{Unmodelled: []jamf.RawElement{users("<user><name>erin</name></user>")}},
			want:   []Change{{Path: "limitations.users", Added: []jamf.Ref{{Name: "erin"}}, Removed: []jamf.Ref{{Name: "dave"}}}},
		},
		{
			name: "unmodelled entries with an id match by id",
			before: jamf.Scope{Exclusions: jamf.Exclusions{Unmodelled: []jamf.RawElement{
				{Name: "jss_users", Inner: "<jss_user><id>7</id><name>carol</name></jss_user>"},
			}}},
			after: jamf.Scope{Exclusions: jamf.Exclusions{Unmodelled: []jamf.RawElement{
				{Name: "jss_users", Inner: "<jss_user><id>7</id><name>Carol R.</name></jss_user>"},
			}}},
		},
		{
			name:  "an unmodelled list only after is a change",
			after: jamf.Scope{Unmodelled: []jamf.RawElement{{Name: "jss_users", Inner: "<jss_user><id>2</id><name>bob</name></jss_user>"}}},
			want:  []Change{{Path: "jss_users", Added: []jamf.Ref{ref(2, "bob")}, Removed: []jamf.Ref{}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Diff(tt.before, tt.after)); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMismatch(t *testing.T) {
	want := jamf.Scope{Buildings: []jamf.Ref{ref(1, "HQ"), ref(2, "Lab")}, Exclusions: jamf.Exclusions{Computers: []jamf.Ref{ref(7, "x")}}}
	tests := []struct {
		name string
		got  jamf.Scope
		want string
	}{
		{"stored as written", want, ""},
		{
			"another order and a renamed target: ids decide",
			jamf.Scope{Buildings: []jamf.Ref{ref(2, "Lab 2"), ref(1, "HQ")}, Exclusions: want.Exclusions},
			"",
		},
		{
			"switch on and an exclusion lost, named as the flags are",
			jamf.Scope{AllComputers: true, Buildings: want.Buildings},
			"all-computers, exclude-computer",
		},
		{"a target added", jamf.Scope{Buildings: []jamf.Ref{ref(1, "HQ"), ref(2, "Lab"), ref(3, "Remote")}, Exclusions: want.Exclusions}, "building"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Mismatch(want, tt.got)); diff != "" {
				t.Errorf("Mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMismatchUnmodelled: a read-back that lost another admin's list the
// commands do not edit is a mismatch, named by its kind; the same list
// re-rendered (a <size> added) is not.
func TestMismatchUnmodelled(t *testing.T) {
	want := jamf.Scope{Unmodelled: []jamf.RawElement{
		{Name: "jss_users", Inner: "<jss_user><id>7</id><name>carol</name></jss_user>"},
		{Name: "limitations", Inner: "<users><user><name>dave</name></user></users>"},
	}}
	tests := []struct {
		name string
		got  []jamf.RawElement
		want string
	}{
		{"kept", want.Unmodelled, ""},
		{"re-rendered", []jamf.RawElement{
			{Name: "jss_users", Inner: "<size>1</size><jss_user><id>7</id><name>carol</name></jss_user>"},
			{Name: "limitations", Inner: "<users><size>1</size><user><name>dave</name></user></users><user_groups/>"},
		}, ""},
		{"lost", []jamf.RawElement{{Name: "jss_users"}, {Name: "limitations", Inner: "<users/>"}}, "include jss-user, limitation user"},
		// A list written back as read and one Jamf Pro holds besides: the
		// stored scope is not the one written.
		{"gained", append(slices.Clone(want.Unmodelled),
			jamf.RawElement{Name: "jss_user_groups", Inner: "<jss_user_group><id>4</id><name>Staff</name></jss_user_group>"},
		), "include jss-user-group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Mismatch(want, jamf.Scope{Unmodelled: tt.got})); diff != "" {
				t.Errorf("Mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
