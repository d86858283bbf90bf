package plan

import (
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// TestComputeUnmodelledLists: the lists jamf-scep does not model are never
// a change under normal ownership, and are carried into the write exactly
// as read; --replace-scope (OwnAll) shows every entry it would remove and
// writes them empty.
func TestComputeUnmodelledLists(t *testing.T) {
	const storedScope = `<scope><all_computers>false</all_computers>` +
		`<computer_groups><computer_group><id>1</id><name>Okta Device Access Pilot</name></computer_group></computer_groups>` +
		`<jss_users><jss_user><id>7</id><name>carol</name></jss_user></jss_users>` +
		`<limitations><users><user><name>dave</name></user></users></limitations>` +
		`<exclusions><jss_user_groups><jss_user_group><id>3</id><name>Contractors</name></jss_user_group></jss_user_groups></exclusions></scope>`
	var stored jamf.Scope
	if err := xml.Unmarshal([]byte(storedScope), &stored); err != nil {
		t.Fatal(err)
	}
	replace := ownGroups(pilot, remoteGroup)
	replace.OwnAll()
	tests := []struct {
		name string
		spec scope.Spec
		want []ScopeChange
		// wantSent are the unmodelled lists of the scope sent.
		wantSent []jamf.OtherList
	}{
		{
			name: "owned groups: only the group changes",
			spec: ownGroups(pilot, remoteGroup),
			want: []ScopeChange{{Category: "computer_groups", Added: []Target{{ID: remoteGroup.ID, Name: remoteGroup.Name}}, Removed: []Target{}}},
			wantSent: []jamf.OtherList{
				{Path: "jss_users", Refs: []jamf.Ref{{ID: 7, Name: "carol"}}},
				{Path: "limitations.users", Refs: []jamf.Ref{{Name: "dave"}}},
				{Path: "exclusions.jss_user_groups", Refs: []jamf.Ref{{ID: 3, Name: "Contractors"}}},
			},
		},
		{
			name: "replace-scope removes them, and says so",
			spec: replace,
			want: []ScopeChange{
				{Category: "computer_groups", Added: []Target{{ID: remoteGroup.ID, Name: remoteGroup.Name}}, Removed: []Target{}},
				{Category: "jss_users", Added: []Target{}, Removed: []Target{{ID: 7, Name: "carol"}}},
				{Category: "limitations.users", Added: []Target{}, Removed: []Target{{Name: "dave"}}},
				{Category: "exclusions.jss_user_groups", Added: []Target{}, Removed: []Target{{ID: 3, Name: "Contractors"}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compute(desired(t, baseOptions(), tt.spec), jamfStored(t, baseOptions(), stored))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, p.Scope); diff != "" {
				t.Errorf("scope changes (-want +got):\n%s", diff)
			}
			if p.send.scope == nil {
				t.Fatal("no scope is sent")
			}
			var sent []jamf.OtherList
			for _, l := range p.send.scope.OtherLists() {
				if len(l.Refs) > 0 {
					sent = append(sent, l)
				}
			}
			if diff := cmp.Diff(tt.wantSent, sent); diff != "" {
				t.Errorf("unmodelled lists sent (-want +got):\n%s", diff)
			}
		})
	}
}
