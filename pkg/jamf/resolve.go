package jamf

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"

	"github.com/jamf-scep/jamf-scep/internal/crash"
)

// Kinds of scope target, as used in messages.
const (
	KindComputer      = "computer"
	KindComputerGroup = "computer group"
	KindBuilding      = "building"
	KindDepartment    = "department"
	KindCategory      = "category"
	KindSite          = "site"
)

// Names are scope targets (and the profile's category and site) by name. A
// computer may be named by its computer name, serial number or UDID (the
// last two case-insensitively).
type Names struct {
	Computers      []string
	ComputerGroups []string
	Buildings      []string
	Departments    []string
	Categories     []string
	Sites          []string
}

// Resolved are scope targets as Classic refs (integer id and name), in the
// order of the names asked for, ready for a [Scope].
type Resolved struct {
	Computers      []Ref
	ComputerGroups []Ref
	Buildings      []Ref
	Departments    []Ref
	Categories     []Ref
	Sites          []Ref
}

// Directory is a snapshot of the objects names resolve against: every
// computer group, building, department and computer of a tenant (only the
// kinds loaded). Resolve against it as often as needed without more calls.
type Directory struct {
	Computers      []Computer
	ComputerGroups []ComputerGroup
	Buildings      []Building
	Departments    []Department
	Categories     []Category
	Sites          []Site
}

// LoadDirectory fetches, in parallel and with one list call per kind (all
// pages of it), the kinds that names mentions. Computers come with the
// GENERAL and HARDWARE sections.
func (c *Client) LoadDirectory(ctx context.Context, names Names) (*Directory, error) {
	d := &Directory{}
	var tasks crash.Tasks // every error is kept; a panic is carried to Wait
	run := tasks.GoIf
	run(len(names.ComputerGroups) > 0, func() (err error) {
		d.ComputerGroups, err = c.ComputerGroups(ctx)
		return err
	})
	run(len(names.Buildings) > 0, func() (err error) {
		d.Buildings, err = c.Buildings(ctx)
		return err
	})
	run(len(names.Departments) > 0, func() (err error) {
		d.Departments, err = c.Departments(ctx)
		return err
	})
	run(len(names.Categories) > 0, func() (err error) {
		d.Categories, err = c.Categories(ctx)
		return err
	})
	run(len(names.Sites) > 0, func() (err error) {
		d.Sites, err = c.Sites(ctx)
		return err
	})
	run(len(names.Computers) > 0, func() (err error) {
		d.Computers, err = c.ComputersInventory(ctx, InventoryQuery{
			Sections: []Section{SectionGeneral, SectionHardware},
			PageSize: inventoryMaxPage,
		})
		return err
	})
	if err := tasks.Wait(); err != nil {
		return nil, err
	}
	return d, nil
}

// Resolve looks names up with [Client.LoadDirectory] and
// [Directory.Resolve].
func (c *Client) Resolve(ctx context.Context, names Names) (Resolved, error) {
	d, err := c.LoadDirectory(ctx, names)
	if err != nil {
		return Resolved{}, err
	}
	return d.Resolve(names)
}

// Resolve maps every name to its ref. Names match as Jamf compares them
// (names.go): trimmed, exactly, else ignoring case, an exact match winning.
// When any name is missing or matches more than one object, it returns an *UnresolvedError that lists every
// such name, with close matches for missing ones, and no partial result.
func (d *Directory) Resolve(names Names) (Resolved, error) {
	var r Resolved
	var problems []NameProblem
	add := func(kind string, want []string, cands []candidate) []Ref {
		if len(want) == 0 {
			return nil
		}
		idx := indexCandidates(cands)
		var refs []Ref
		for _, name := range want {
			hits, folded := idx.lookup(name)
			switch len(hits) {
			case 1:
				c := cands[hits[0]]
				id, err := strconv.Atoi(c.id)
				if err != nil || id <= 0 {
					problems = append(problems, NameProblem{Kind: kind, Name: name, Reason: "has an id that is not a positive integer: " + strconv.Quote(c.id)})
					continue
				}
				refs = append(refs, Ref{ID: id, Name: c.name})
			case 0:
				problems = append(problems, NameProblem{Kind: kind, Name: name, Reason: "not found", Suggestions: closeMatches(name, cands, 3)})
			default:
				ids := make([]string, len(hits))
				for i, h := range hits {
					ids[i] = cands[h].id
				}
				sortIDs(ids)
				problems = append(problems, NameProblem{Kind: kind, Name: name, Reason: "ambiguous", IDs: ids, IgnoringCase: folded})
			}
		}
		return refs
	}
	r.ComputerGroups = add(KindComputerGroup, names.ComputerGroups, groupCandidates(d.ComputerGroups))
	r.Buildings = add(KindBuilding, names.Buildings, simpleCandidates(d.Buildings, func(b Building) (string, string) { return b.ID, b.Name }))
	r.Departments = add(KindDepartment, names.Departments, simpleCandidates(d.Departments, func(b Department) (string, string) { return b.ID, b.Name }))
	r.Computers = add(KindComputer, names.Computers, computerCandidates(d.Computers))
	r.Categories = add(KindCategory, names.Categories, simpleCandidates(d.Categories, func(c Category) (string, string) { return c.ID, c.Name }))
	r.Sites = add(KindSite, names.Sites, simpleCandidates(d.Sites, func(s Site) (string, string) { return s.ID, s.Name }))
	if len(problems) > 0 {
		return Resolved{}, &UnresolvedError{Problems: problems}
	}
	return r, nil
}

// candidateIndex finds candidates by name (exact, else ignoring case: see
// names.go), or by serial number or UDID ignoring case.
type candidateIndex struct {
	byName nameIndex
	byID   map[string][]int // lower-case serial numbers and UDIDs
}

func indexCandidates(cands []candidate) candidateIndex {
	idx := candidateIndex{byName: newNameIndex(len(cands)), byID: map[string][]int{}}
	for i, c := range cands {
		idx.byName.add(c.name, i)
		for _, k := range []string{c.serial, c.udid} {
			if k != "" {
				k = strings.ToLower(k)
				idx.byID[k] = append(idx.byID[k], i)
			}
		}
	}
	return idx
}

// lookup returns the distinct candidates matching name, ascending, and
// whether the name matched only ignoring case.
func (x candidateIndex) lookup(name string) ([]int, bool) {
	name = strings.TrimSpace(name)
	byName, folded := x.byName.lookup(name)
	hits := append([]int(nil), byName...)
	for _, i := range x.byID[strings.ToLower(name)] {
		if !slices.Contains(hits, i) {
			hits = append(hits, i)
		}
	}
	slices.Sort(hits)
	return hits, folded
}

type candidate struct {
	id, name, serial, udid string
}

func groupCandidates(gs []ComputerGroup) []candidate {
	out := make([]candidate, len(gs))
	for i, g := range gs {
		out[i] = candidate{id: g.ID, name: g.Name}
	}
	return out
}

func simpleCandidates[T any](xs []T, f func(T) (string, string)) []candidate {
	out := make([]candidate, len(xs))
	for i, x := range xs {
		out[i].id, out[i].name = f(x)
	}
	return out
}

func computerCandidates(cs []Computer) []candidate {
	out := make([]candidate, len(cs))
	for i, c := range cs {
		out[i] = candidate{id: c.ID, name: c.General.Name, serial: c.Hardware.SerialNumber, udid: c.UDID}
	}
	return out
}

// NameProblem is one name that did not resolve.
type NameProblem struct {
	Kind        string   // KindComputer, KindComputerGroup, ...
	Name        string   // as asked for
	Reason      string   // "not found" or "ambiguous"
	Suggestions []string // close matches, when not found
	IDs         []string // every match, when ambiguous
	// IgnoringCase is true when the matches differ from Name only in case
	// (Jamf compares names ignoring case).
	IgnoringCase bool
}

func (p NameProblem) String() string {
	s := fmt.Sprintf("%s %q %s", p.Kind, p.Name, p.Reason)
	switch {
	case len(p.IDs) > 0:
		if p.IgnoringCase {
			s += " ignoring case"
		}
		s += " (ids " + strings.Join(p.IDs, ", ") + ")"
		if p.Kind == KindComputer {
			s += "; name it by serial number or UDID"
		} else {
			s += "; rename all but one in Jamf Pro"
		}
	case len(p.Suggestions) > 0:
		q := make([]string, len(p.Suggestions))
		for i, v := range p.Suggestions {
			q[i] = strconv.Quote(v)
			if invisibleDifference(v, p.Name) {
				// Both would print alike: spell the characters out.
				q[i] = strconv.QuoteToASCII(v) + " (differs only in invisible characters or Unicode normalization)"
			}
		}
		s += "; did you mean " + strings.Join(q, " or ") + "?"
	}
	return s
}

// UnresolvedError lists every scope name that did not resolve. It matches
// ErrNotFound through errors.Is when any name was not found.
type UnresolvedError struct {
	Problems []NameProblem
}

// Error returns one line naming every problem.
func (e *UnresolvedError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("jamf: %d name(s) did not resolve: %s", len(e.Problems), strings.Join(parts, "; "))
}

// Is reports whether target is ErrNotFound and some name was not found.
func (e *UnresolvedError) Is(target error) bool {
	if target != ErrNotFound {
		return false
	}
	for _, p := range e.Problems {
		if p.Reason == "not found" {
			return true
		}
	}
	return false
}

// closeMatches returns up to n candidate names (or serials) near name:
// equal ignoring case, containing it or contained in it, or within an edit
// distance of a third of its length; nearest first.
func closeMatches(name string, cands []candidate, n int) []string {
	want := strings.ToLower(strings.TrimSpace(name))
	if want == "" {
		return nil
	}
	limit := max(1, len([]rune(want))/3)
	type scored struct {
		s    string
		dist int
	}
	seen := map[string]bool{}
	var hits []scored
	consider := func(s string) {
		if s == "" || seen[s] {
			return
		}
		l := strings.ToLower(s)
		d := boundedDistance(want, l, limit)
		if d > limit && !(len(want) >= 3 && (strings.Contains(l, want) || strings.Contains(want, l) && len(l) >= 3)) {
			return
		}
		seen[s] = true
		hits = append(hits, scored{s, d})
	}
	for _, c := range cands {
		consider(c.name)
		consider(c.serial)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].dist != hits[j].dist {
			return hits[i].dist < hits[j].dist
		}
		return hits[i].s < hits[j].s
	})
	var out []string
	for i := 0; i < len(hits) && i < n; i++ {
		out = append(out, hits[i].s)
	}
	return out
}

// boundedDistance is the Levenshtein distance between a and b in runes, or
// limit+1 when their lengths alone already differ by more than limit (the
// cheap test that spares most of a large directory the full computation).
func boundedDistance(a, b string, limit int) int {
	if d := utf8.RuneCountInString(a) - utf8.RuneCountInString(b); d > limit || -d > limit {
		return limit + 1
	}
	return levenshtein.ComputeDistance(a, b)
}
