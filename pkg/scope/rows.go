package scope

import "github.com/jamf-scep/jamf-scep/pkg/jamf"

// Row is one target of a scope, as `scope show` lists it (a table row, and
// an element of "targets" in its JSON).
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

// Rows lists every target of s: all computers first, then the Categories
// in order (an exclusion as its target category with Kind exclude), then
// the lists only Jamf Pro's GUI edits (jamf.Scope.OtherLists, named by
// OtherCategory). It never returns nil.
func Rows(s jamf.Scope) []Row {
	rows := []Row{}
	if s.AllComputers {
		rows = append(rows, Row{Category: AllComputersFlag, Name: "All Computers", Kind: "include"})
	}
	for _, c := range Categories() {
		kind := "include"
		if c.Excluded() {
			kind = "exclude"
		}
		name := c.Targeted().Flag()
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
