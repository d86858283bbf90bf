package scope

import (
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Category is one of the eight lists of a profile's Classic <scope> that
// jamf-scep models: computers, computer groups, buildings and departments,
// as targets and under <exclusions> (see docs/jamf-behavior.md, "Scope
// writes", for the lists it does not model).
type Category int

// The categories in the order plans, edits and `scope show` list them,
// which is the order Jamf Pro's GUI shows them: targets, then exclusions.
// Exclusion c excludes what target c%4 targets.
const (
	Computers Category = iota
	ComputerGroups
	Buildings
	Departments
	ExcludedComputers
	ExcludedComputerGroups
	ExcludedBuildings
	ExcludedDepartments
	numCategories
)

// numKinds is the number of target kinds: a category and its exclusion
// share one.
const numKinds = int(ExcludedComputers)

// The all_computers switch is not a list, so not a Category; these name it
// as categories are named.
const (
	// AllComputersPath is its Classic element and config key.
	AllComputersPath = "all_computers"
	// AllComputersFlag is its flag name (--all-computers), also its name
	// in `scope` messages, rows and JSON.
	AllComputersFlag = "all-computers"
)

// Categories returns every category, in order.
func Categories() []Category {
	cs := make([]Category, numCategories)
	for i := range cs {
		cs[i] = Category(i)
	}
	return cs
}

// categoryTable names each category: its Classic path under <scope>,
// which is also its config key (config.Scope), and its flag name in
// `scope add|remove|set`.
var categoryTable = [numCategories]struct{ path, flag string }{
	{"computers", "computer"},
	{"computer_groups", "computer-group"},
	{"buildings", "building"},
	{"departments", "department"},
	{"exclusions.computers", "exclude-computer"},
	{"exclusions.computer_groups", "exclude-computer-group"},
	{"exclusions.buildings", "exclude-building"},
	{"exclusions.departments", "exclude-department"},
}

// kinds are the target kinds of Computers ... Departments, as
// jamf.Resolve names them in errors.
var kinds = [numKinds]string{jamf.KindComputer, jamf.KindComputerGroup, jamf.KindBuilding, jamf.KindDepartment}

// String returns the category's Classic path and config key, such as
// "computer_groups" or "exclusions.buildings"; plans name categories so.
func (c Category) String() string { return categoryTable[c].path }

// Flag returns the category's flag name without dashes, such as
// "computer-group" or "exclude-building"; `scope add|remove|set` name
// categories so in flags, messages and JSON.
func (c Category) Flag() string { return categoryTable[c].flag }

// Kind returns the kind of target the category lists: jamf.KindComputer,
// jamf.KindComputerGroup, jamf.KindBuilding or jamf.KindDepartment.
func (c Category) Kind() string { return kinds[c.kindIndex()] }

// Excluded reports whether the category is a list under <exclusions>.
func (c Category) Excluded() bool { return c >= ExcludedComputers }

// Targeted returns the target category of the same kind: Buildings for
// ExcludedBuildings, c itself for a target category.
func (c Category) Targeted() Category { return Category(c.kindIndex()) }

func (c Category) kindIndex() int { return int(c) % numKinds }

// categoryByPath returns the category whose String is path.
func categoryByPath(path string) (Category, bool) {
	for _, c := range Categories() {
		if c.String() == path {
			return c, true
		}
	}
	return 0, false
}

// list returns a pointer to the category's list in s.
func (c Category) list(s *jamf.Scope) *[]jamf.Ref {
	lists := [numCategories]*[]jamf.Ref{
		&s.Computers, &s.ComputerGroups, &s.Buildings, &s.Departments,
		&s.Exclusions.Computers, &s.Exclusions.ComputerGroups, &s.Exclusions.Buildings, &s.Exclusions.Departments,
	}
	return lists[c]
}

// configList returns a pointer to the category's list of names in s.
func (c Category) configList(s *config.Scope) *[]string {
	lists := [numCategories]*[]string{
		&s.Computers, &s.ComputerGroups, &s.Buildings, &s.Departments,
		&s.Exclusions.Computers, &s.Exclusions.ComputerGroups, &s.Exclusions.Buildings, &s.Exclusions.Departments,
	}
	return lists[c]
}

// NamesList returns a pointer to the list of n that holds names of the
// category's kind; jamf.Names does not tell targets from exclusions, so
// ExcludedBuildings and Buildings both give &n.Buildings.
func (c Category) NamesList(n *jamf.Names) *[]string {
	lists := [numKinds]*[]string{&n.Computers, &n.ComputerGroups, &n.Buildings, &n.Departments}
	return lists[c.kindIndex()]
}

// resolvedList returns a pointer to the list of r that holds refs of the
// category's kind, as NamesList does for names.
func (c Category) resolvedList(r *jamf.Resolved) *[]jamf.Ref {
	lists := [numKinds]*[]jamf.Ref{&r.Computers, &r.ComputerGroups, &r.Buildings, &r.Departments}
	return lists[c.kindIndex()]
}

// OtherCategory names the unmodelled list at path (a
// [jamf.OtherList.Path]) as Row.Category and Row.Kind do:
// "limitations.network_segments" is ("network-segment", "limitation"),
// "exclusions.jss_users" ("jss-user", "exclude"), "all_jss_users"
// ("all-jss-users", "include").
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

// OwnedBy returns the categories the config scope s owns (a non-nil list,
// even an empty one; see config.Scope), in order, and whether it owns the
// all_computers switch (set, true or false).
func OwnedBy(s config.Scope) (cs []Category, allComputers bool) {
	for _, c := range Categories() {
		if *c.configList(&s) != nil {
			cs = append(cs, c)
		}
	}
	return cs, s.AllComputers != nil
}
