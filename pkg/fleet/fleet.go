// Package fleet answers two questions about a Jamf Pro tenant's Macs, for
// plan, doctor and verify alike: which computers does a profile scope reach,
// and does the certificate Subject fit 64 characters on each of them?
//
// A Fleet is loaded once per run with one paged computers-inventory listing
// (sections GENERAL, HARDWARE, USER_AND_LOCATION) and one list call per
// other kind the run needs (computer groups, buildings, departments), so
// resolving names, counting Macs in scope and checking Subjects cost no
// request per Mac. Group membership costs one Classic call per group in
// scope (see jamf.Client.ComputerGroupMembers).
package fleet

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Sections is what Load asks computers-inventory for: names and ids
// (GENERAL), serial numbers (HARDWARE), users, emails, buildings and
// departments (USER_AND_LOCATION).
var Sections = []jamf.Section{jamf.SectionGeneral, jamf.SectionHardware, jamf.SectionUserAndLocation}

// Need says which kinds to load besides the inventory.
type Need struct {
	ComputerGroups bool
	Buildings      bool
	Departments    bool
	Categories     bool
	Sites          bool
	// MembersOf names computer groups whose members Load reads as soon as
	// the group list names their ids, together with the rest of the
	// inventory instead of one wave later (plan counts the Macs of every
	// group in the resulting scope). It needs ComputerGroups. A name that
	// does not resolve is skipped here; Resolve reports it.
	MembersOf []string
	// OnInventoryPage, when set, is called after each inventory page
	// with the computers read so far and the tenant's total (Jamf's
	// totalCount), for a progress display; it may be called from another
	// goroutine than Load's caller.
	OnInventoryPage func(read, total int)
}

// NeedFor returns the kinds that names mention.
func NeedFor(names jamf.Names) Need {
	return Need{
		ComputerGroups: len(names.ComputerGroups) > 0,
		Buildings:      len(names.Buildings) > 0,
		Departments:    len(names.Departments) > 0,
		Categories:     len(names.Categories) > 0,
		Sites:          len(names.Sites) > 0,
	}
}

// Fleet is a snapshot of a tenant's computers and the named objects scope
// refers to. It is read-only after Load, except for the group membership
// cache, which is safe for concurrent use.
type Fleet struct {
	Directory jamf.Directory

	client  *jamf.Client
	byID    map[int]*jamf.Computer
	mu      sync.Mutex
	members map[int][]int // group id -> computer ids
}

// Load fetches the inventory and the kinds in need, in parallel (the client
// caps concurrency at Jamf's five connections), and the members of the
// groups in need.MembersOf as soon as the group list is in. All errors are
// returned, joined.
func Load(ctx context.Context, c *jamf.Client, need Need) (*Fleet, error) {
	f := &Fleet{client: c, members: map[int][]int{}}
	d := &f.Directory
	var tasks crash.Tasks // every error is kept; a panic is carried to Wait
	run := tasks.GoIf
	run(true, func() (err error) {
		d.Computers, err = c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: Sections, PageSize: 2000, OnPage: need.OnInventoryPage})
		return err
	})
	run(need.ComputerGroups, func() error {
		groups, err := c.ComputerGroups(ctx)
		if err != nil {
			return err
		}
		d.ComputerGroups = groups
		if len(need.MembersOf) == 0 {
			return nil
		}
		known := &jamf.Directory{ComputerGroups: groups}
		seen := map[int]bool{}
		for _, name := range need.MembersOf {
			r, err := known.Resolve(jamf.Names{ComputerGroups: []string{name}})
			if err != nil {
				continue // Resolve reports it after Load, with every other name
			}
			if g := r.ComputerGroups[0]; !seen[g.ID] {
				seen[g.ID] = true
				run(true, func() error { return f.fetchMembers(ctx, g) })
			}
		}
		return nil
	})
	run(need.Buildings, func() (err error) { d.Buildings, err = c.Buildings(ctx); return err })
	run(need.Departments, func() (err error) { d.Departments, err = c.Departments(ctx); return err })
	run(need.Categories, func() (err error) { d.Categories, err = c.Categories(ctx); return err })
	run(need.Sites, func() (err error) { d.Sites, err = c.Sites(ctx); return err })
	if err := tasks.Wait(); err != nil {
		return nil, err
	}
	f.index()
	return f, nil
}

// New returns a Fleet over a directory already at hand (tests, or a
// caller that loaded it another way). c is used for group membership.
func New(c *jamf.Client, d jamf.Directory) *Fleet {
	f := &Fleet{client: c, Directory: d, members: map[int][]int{}}
	f.index()
	return f
}

// SetDirectory replaces the directory, keeping the group members already
// read: a caller that read members (Prefetch) while the inventory was
// still loading hands the inventory over here. Not safe while other
// goroutines use f.
func (f *Fleet) SetDirectory(d jamf.Directory) {
	f.Directory = d
	f.index()
}

func (f *Fleet) index() {
	f.byID = make(map[int]*jamf.Computer, len(f.Directory.Computers))
	for i := range f.Directory.Computers {
		c := &f.Directory.Computers[i]
		if id, err := strconv.Atoi(c.ID); err == nil {
			f.byID[id] = c
		}
	}
}

// Resolve maps scope names to refs against the loaded directory; see
// jamf.Directory.Resolve for the error (every unresolved name, with close
// matches).
func (f *Fleet) Resolve(names jamf.Names) (jamf.Resolved, error) {
	return f.Directory.Resolve(names)
}

// Computer returns the computer with Classic id id, or nil.
func (f *Fleet) Computer(id int) *jamf.Computer { return f.byID[id] }

// Members returns the ids, ascending, of the computers scope s reaches:
// all computers, or the union of its computers, computer groups, buildings
// and departments (by each Mac's USER_AND_LOCATION building and
// department), minus the same four kinds of exclusion. Limitations (users,
// network segments) are applied by Jamf at check-in and not here, so the
// result is an upper bound when s has limitations.
func (f *Fleet) Members(ctx context.Context, s jamf.Scope) ([]int, error) {
	in, err := f.targets(ctx, s.AllComputers, s.Computers, s.ComputerGroups, s.Buildings, s.Departments)
	if err != nil {
		return nil, err
	}
	out, err := f.targets(ctx, false, s.Exclusions.Computers, s.Exclusions.ComputerGroups, s.Exclusions.Buildings, s.Exclusions.Departments)
	if err != nil {
		return nil, err
	}
	ids := make([]int, 0, len(in))
	for id := range in {
		if !out[id] {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func (f *Fleet) targets(ctx context.Context, all bool, computers, groups, buildings, departments []jamf.Ref) (map[int]bool, error) {
	set := map[int]bool{}
	if all {
		for id := range f.byID {
			set[id] = true
		}
		return set, nil
	}
	for _, r := range computers {
		set[r.ID] = true
	}
	for _, g := range groups {
		ids, err := f.groupMembers(ctx, g)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			set[id] = true
		}
	}
	inBuilding := refIDs(buildings)
	inDepartment := refIDs(departments)
	if len(inBuilding) > 0 || len(inDepartment) > 0 {
		for id, c := range f.byID {
			if inBuilding[c.UserAndLocation.BuildingID] || inDepartment[c.UserAndLocation.DepartmentID] {
				set[id] = true
			}
		}
	}
	return set, nil
}

func refIDs(refs []jamf.Ref) map[string]bool {
	m := make(map[string]bool, len(refs))
	for _, r := range refs {
		m[strconv.Itoa(r.ID)] = true
	}
	return m
}

// Prefetch reads, all at once, the members of every group in scopes that
// are not cached yet, so that Members then costs no request. A failure
// names the group; all failures are returned, joined.
func (f *Fleet) Prefetch(ctx context.Context, scopes ...jamf.Scope) error {
	seen := map[int]bool{}
	var tasks crash.Tasks // every error is kept; a panic is carried to Wait
	for _, s := range scopes {
		for _, g := range slices.Concat(s.ComputerGroups, s.Exclusions.ComputerGroups) {
			f.mu.Lock()
			_, cached := f.members[g.ID]
			f.mu.Unlock()
			if cached || seen[g.ID] {
				continue
			}
			seen[g.ID] = true
			tasks.Go(func() error { return f.fetchMembers(ctx, g) })
		}
	}
	return tasks.Wait()
}

func (f *Fleet) fetchMembers(ctx context.Context, g jamf.Ref) error {
	_, err := f.groupMembers(ctx, g)
	return err
}

// groupMembers returns a group's member ids, fetching each group once.
func (f *Fleet) groupMembers(ctx context.Context, g jamf.Ref) ([]int, error) {
	f.mu.Lock()
	ids, ok := f.members[g.ID]
	f.mu.Unlock()
	if ok {
		return ids, nil
	}
	if f.client == nil {
		return nil, fmt.Errorf("members of computer group %q (id %d): no Jamf client to read group members with", g.Name, g.ID)
	}
	ms, err := f.client.ComputerGroupMembers(ctx, g.ID)
	if err != nil {
		return nil, fmt.Errorf("members of computer group %q (id %d): %w", g.Name, g.ID, err)
	}
	ids = make([]int, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	f.mu.Lock()
	f.members[g.ID] = ids
	f.mu.Unlock()
	return ids, nil
}
