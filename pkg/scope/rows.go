package scope

import (
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Row is one target of a scope, as `scope show` lists it.
type Row struct {
	// Category is "computer", "computer-group", "building", "department",
	// "all-computers", or a list Jamf has that the scope commands do not
	// edit, named by its Classic element in the singular with dashes
	// ("user", "user-group", "network-segment", "ibeacon", "jss-user",
	// "jss-user-group", "all-jss-users").
	Category string `json:"category"`
	ID       int    `json:"id,omitempty"`
	Name     string `json:"name"`
	// Kind is include, exclude or limitation.
	Kind string `json:"kind"`
}

// Rows lists every target of s: all computers first, then the edited
// categories, then the lists only Jamf's GUI edits.
func Rows(s jamf.Scope) []Row {
	rows := []Row{}
	if s.AllComputers {
		rows = append(rows, Row{Category: AllComputersFlag, Name: "All Computers", Kind: "include"})
	}
	for _, c := range Categories {
		kind := "include"
		name := c.Name
		if c.Exclude {
			kind = "exclude"
			name = c.Name[len("exclude-"):]
		}
		for _, r := range *c.list(&s) {
			rows = append(rows, Row{Category: name, ID: r.ID, Name: r.Name, Kind: kind})
		}
	}
	for _, l := range s.OtherLists() {
		category, kind := OtherCategory(l.Path)
		for _, r := range l.Refs {
			rows = append(rows, Row{Category: category, ID: r.ID, Name: r.Name, Kind: kind})
		}
	}
	return rows
}

// OtherCategory names the unmodelled list at path (a
// [jamf.OtherList.Path]) as Row.Category and Row.Kind do:
// "limitations.network_segments" is ("network-segment", "limitation").
func OtherCategory(path string) (category, kind string) {
	kind = "include"
	if rest, ok := strings.CutPrefix(path, "limitations."); ok {
		path, kind = rest, "limitation"
	} else if rest, ok := strings.CutPrefix(path, "exclusions."); ok {
		path, kind = rest, "exclude"
	}
	if path == "all_jss_users" {
		return "all-jss-users", kind
	}
	return strings.ReplaceAll(strings.TrimSuffix(path, "s"), "_", "-"), kind
}
