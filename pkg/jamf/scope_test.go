package jamf

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// anotherAdminsScope is a GET's <scope> where another admin set every list
// jamf-scep does not model, in shapes a name-and-id model would lose: a
// network segment's uid, a user with no id, an escaped name, a list Jamf
// may add later, and <size> elements.
const anotherAdminsScope = `<scope><all_computers>false</all_computers><all_jss_users>true</all_jss_users>` +
	`<computers><size>1</size><computer><id>3</id><name>MBP-0003</name><udid>5A2F0C1E-6B7D-4C8E-9F01-23456789ABCD</udid></computer></computers>` +
	`<buildings/><departments/><computer_groups><computer_group><id>5</id><name>Okta pilot</name></computer_group></computer_groups>` +
	`<jss_users><size>1</size><jss_user><id>7</id><name>carol</name></jss_user></jss_users><jss_user_groups/>` +
	`<limitations><users><user><name>dave</name></user></users><user_groups/>` +
	`<network_segments><network_segment><id>4</id><uid>4-uid</uid><name>Office &amp; Lab</name></network_segment></network_segments><ibeacons/></limitations>` +
	`<future_list><future_item><id>1</id></future_item></future_list>` +
	`<exclusions><computers/><buildings/><departments/><computer_groups/><users/><user_groups/><network_segments/><ibeacons/>` +
	`<jss_users/><jss_user_groups><jss_user_group><id>3</id><name>Contractors</name></jss_user_group></jss_user_groups></exclusions></scope>`

// TestScopeKeepsUnmodelledVerbatim: every element jamf-scep does not model
// is written back byte for byte, so a scope write stores it unchanged under
// either merge semantics.
func TestScopeKeepsUnmodelledVerbatim(t *testing.T) {
	var s Scope
	if err := xml.Unmarshal([]byte(anotherAdminsScope), &s); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Ref{{ID: 3, Name: "MBP-0003"}}, s.Computers); diff != "" {
		t.Errorf("computers (-want +got):\n%s", diff)
	}
	s.ComputerGroups = append(s.ComputerGroups, Ref{ID: 6, Name: "More"})
	out, err := xml.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{
		`<all_jss_users>true</all_jss_users>`,
		`<jss_users><size>1</size><jss_user><id>7</id><name>carol</name></jss_user></jss_users>`,
		`<jss_user_groups></jss_user_groups>`,
		`<limitations><users><user><name>dave</name></user></users><user_groups/><network_segments><network_segment><id>4</id><uid>4-uid</uid><name>Office &amp; Lab</name></network_segment></network_segments><ibeacons/></limitations>`,
		`<future_list><future_item><id>1</id></future_item></future_list>`,
		`<jss_user_groups><jss_user_group><id>3</id><name>Contractors</name></jss_user_group></jss_user_groups></exclusions>`,
		`<computer_groups><computer_group><id>5</id><name>Okta pilot</name></computer_group><computer_group><id>6</id><name>More</name></computer_group></computer_groups>`,
	} {
		if !strings.Contains(string(out), frag) {
			t.Errorf("written scope lacks %s\nwritten: %s", frag, out)
		}
	}
	// Read again, the written scope is the same scope.
	var again Scope
	if err := xml.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, again); diff != "" {
		t.Errorf("scope after a write and a read (-want +got):\n%s", diff)
	}
}

func TestScopeOtherLists(t *testing.T) {
	var s Scope
	if err := xml.Unmarshal([]byte(anotherAdminsScope), &s); err != nil {
		t.Fatal(err)
	}
	want := []OtherList{
		{Path: "all_jss_users", Refs: []Ref{{Name: "all JSS users"}}},
		{Path: "jss_users", Refs: []Ref{{ID: 7, Name: "carol"}}},
		{Path: "jss_user_groups", Refs: []Ref{}},
		{Path: "limitations.users", Refs: []Ref{{Name: "dave"}}},
		{Path: "limitations.user_groups", Refs: []Ref{}},
		{Path: "limitations.network_segments", Refs: []Ref{{ID: 4, Name: "Office & Lab"}}},
		{Path: "limitations.ibeacons", Refs: []Ref{}},
		{Path: "future_list", Refs: []Ref{{ID: 1}}},
		{Path: "exclusions.users", Refs: []Ref{}},
		{Path: "exclusions.user_groups", Refs: []Ref{}},
		{Path: "exclusions.network_segments", Refs: []Ref{}},
		{Path: "exclusions.ibeacons", Refs: []Ref{}},
		{Path: "exclusions.jss_users", Refs: []Ref{}},
		{Path: "exclusions.jss_user_groups", Refs: []Ref{{ID: 3, Name: "Contractors"}}},
	}
	if diff := cmp.Diff(want, s.OtherLists()); diff != "" {
		t.Errorf("OtherLists (-want +got):\n%s", diff)
	}
}

// TestOwnUnmodelled: --replace-scope empties every list, those a GET did
// not show included, and writes them as empty elements so that a merging
// server empties them too.
func TestOwnUnmodelled(t *testing.T) {
	tests := []struct {
		name  string
		scope string
	}{
		{"another admin's lists", anotherAdminsScope},
		{"a GET without them", `<scope><all_computers>false</all_computers></scope>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Scope
			if err := xml.Unmarshal([]byte(tt.scope), &s); err != nil {
				t.Fatal(err)
			}
			s.OwnUnmodelled()
			for _, l := range s.OtherLists() {
				if len(l.Refs) > 0 {
					t.Errorf("%s = %v after OwnUnmodelled, want empty", l.Path, l.Refs)
				}
			}
			out, err := xml.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, frag := range []string{
				"<all_jss_users>false</all_jss_users>", "<jss_users></jss_users>", "<jss_user_groups></jss_user_groups>",
				"<limitations><users/><user_groups/><network_segments/><ibeacons/></limitations>",
			} {
				if !strings.Contains(string(out), frag) {
					t.Errorf("written scope lacks %s\nwritten: %s", frag, out)
				}
			}
			for _, name := range documentedExclusionLists {
				if !strings.Contains(string(out), "<"+name+"></"+name+">") {
					t.Errorf("written exclusions lack an empty <%s>\nwritten: %s", name, out)
				}
			}
		})
	}
}

// FuzzScopeRoundTrip: any <scope> that decodes is written so that it
// decodes to the same scope, unmodelled elements included.
func FuzzScopeRoundTrip(f *testing.F) {
	f.Add(anotherAdminsScope)
	f.Add(`<scope><limitations><users/></limitations><exclusions><x a="1">t</x></exclusions></scope>`)
	f.Fuzz(func(t *testing.T, in string) {
		var s Scope
		if xml.Unmarshal([]byte(in), &s) != nil {
			return
		}
		out, err := xml.Marshal(s)
		if err != nil {
			return // names or attributes the encoder refuses
		}
		var again Scope
		if err := xml.Unmarshal(out, &again); err != nil {
			t.Fatalf("written scope does not decode: %v\nin:  %q\nout: %q", err, in, out)
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Errorf("scope changed by a write (-read +again):\n%s\nin:  %q\nout: %q", diff, in, out)
		}
		_ = again.OtherLists()
		again.OwnUnmodelled()
	})
}
