package scopecmd

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

func ref(id int, name string) jamf.Ref { return jamf.Ref{ID: id, Name: name} }

func TestApply(t *testing.T) {
	yes, no := true, false
	// Another admin's lists the commands do not edit, as a GET shows them.
	excludedUsers := []jamf.RawElement{{Name: "users", Inner: "<user><id>3</id><name>alice</name></user>"}}
	stored := jamf.Scope{
		Buildings:  []jamf.Ref{ref(1, "HQ")},
		Exclusions: jamf.Exclusions{ComputerGroups: []jamf.Ref{ref(9, "Kiosks")}, Unmodelled: excludedUsers},
		Unmodelled: []jamf.RawElement{
			{Name: "jss_users", Inner: "<jss_user><id>2</id><name>bob</name></jss_user>"},
			{Name: "limitations", Inner: "<network_segments><network_segment><id>4</id><name>Office LAN</name></network_segment></network_segments>"},
		},
	}
	tests := []struct {
		name        string
		edit        Edit
		want        jamf.Scope
		wantChanged []string
		wantAbsent  []string
	}{
		{
			name: "add keeps another admin's exclusion and unmodelled lists",
			edit: Edit{Mode: ModeAdd, Include: jamf.Resolved{ComputerGroups: []jamf.Ref{ref(5, "Pilot")}, Buildings: []jamf.Ref{ref(1, "HQ")}}},
			want: jamf.Scope{
				Buildings: []jamf.Ref{ref(1, "HQ")}, ComputerGroups: []jamf.Ref{ref(5, "Pilot")},
				Exclusions: stored.Exclusions, Unmodelled: stored.Unmodelled,
			},
			wantChanged: []string{"computer-group"},
		},
		{
			name:        "add of present targets is a no-op",
			edit:        Edit{Mode: ModeAdd, Include: jamf.Resolved{Buildings: []jamf.Ref{ref(1, "HQ")}}},
			want:        stored,
			wantChanged: nil,
		},
		{
			name: "remove drops by id and reports absent names",
			edit: Edit{Mode: ModeRemove, Include: jamf.Resolved{Buildings: []jamf.Ref{ref(1, "HQ"), ref(2, "Remote")}}},
			want: jamf.Scope{
				Buildings:  []jamf.Ref{},
				Exclusions: stored.Exclusions, Unmodelled: stored.Unmodelled,
			},
			wantChanged: []string{"building"},
			wantAbsent:  []string{`building "Remote"`},
		},
		{
			name: "set replaces only the given categories",
			edit: Edit{
				Mode: ModeSet, Given: map[string]bool{"building": true, "exclude-computer": true},
				Include: jamf.Resolved{Buildings: []jamf.Ref{ref(2, "Remote"), ref(2, "Remote")}},
				Exclude: jamf.Resolved{Computers: []jamf.Ref{ref(7, "MAC-0007")}},
			},
			want: jamf.Scope{
				Buildings:  []jamf.Ref{ref(2, "Remote")},
				Exclusions: jamf.Exclusions{Computers: []jamf.Ref{ref(7, "MAC-0007")}, ComputerGroups: []jamf.Ref{ref(9, "Kiosks")}, Unmodelled: excludedUsers},
				Unmodelled: stored.Unmodelled,
			},
			wantChanged: []string{"building", "exclude-computer"},
		},
		{
			name: "set with an empty category empties it",
			edit: Edit{Mode: ModeSet, Given: map[string]bool{"exclude-computer-group": true}},
			want: jamf.Scope{
				Buildings:  []jamf.Ref{ref(1, "HQ")},
				Exclusions: jamf.Exclusions{ComputerGroups: []jamf.Ref{}, Unmodelled: excludedUsers},
				Unmodelled: stored.Unmodelled,
			},
			wantChanged: []string{"exclude-computer-group"},
		},
		{
			name: "all computers on",
			edit: Edit{Mode: ModeAdd, AllComputers: &yes},
			want: func() jamf.Scope { s := stored; s.AllComputers = true; return s }(),
		},
		{
			name: "all computers off when already off is a no-op",
			edit: Edit{Mode: ModeRemove, AllComputers: &no},
			want: stored,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Apply(stored, tt.edit)
			if diff := cmp.Diff(tt.want, got.Scope); diff != "" {
				t.Errorf("scope (-want +got):\n%s", diff)
			}
			var changed []string
			for _, c := range got.Changes {
				changed = append(changed, c.Category)
			}
			if diff := cmp.Diff(tt.wantChanged, changed); diff != "" {
				t.Errorf("changed categories (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAbsent, got.Absent); diff != "" {
				t.Errorf("absent (-want +got):\n%s", diff)
			}
			wantAny := len(tt.wantChanged) > 0 || tt.want.AllComputers != stored.AllComputers
			if got.Changed() != wantAny {
				t.Errorf("Changed() = %t, want %t", got.Changed(), wantAny)
			}
			if bad := Mismatch(got.Scope, got.Scope); bad != "" {
				t.Errorf("Mismatch with itself = %q", bad)
			}
		})
	}
}

func TestApplyDoesNotAliasStored(t *testing.T) {
	stored := jamf.Scope{Buildings: make([]jamf.Ref, 1, 4)}
	stored.Buildings[0] = ref(1, "HQ")
	_ = Apply(stored, Edit{Mode: ModeAdd, Include: jamf.Resolved{Buildings: []jamf.Ref{ref(2, "Remote")}}})
	if got := stored.Buildings[:2][1]; got != (jamf.Ref{}) {
		t.Errorf("Apply wrote into the stored list's spare capacity: %v", got)
	}
}

func TestMismatch(t *testing.T) {
	want := jamf.Scope{Buildings: []jamf.Ref{ref(1, "HQ")}, Exclusions: jamf.Exclusions{Computers: []jamf.Ref{ref(7, "x")}}}
	got := jamf.Scope{AllComputers: true, Buildings: []jamf.Ref{ref(1, "HQ")}}
	if diff := cmp.Diff("all-computers, exclude-computer", Mismatch(want, got)); diff != "" {
		t.Errorf("Mismatch (-want +got):\n%s", diff)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Mismatch(want, jamf.Scope{Unmodelled: tt.got})); diff != "" {
				t.Errorf("Mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
