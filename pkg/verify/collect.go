package verify

// Collect is the step that gathers what Compute judges: it reads the
// stored profile, one computers-inventory listing, the profile's MDM
// commands and its scope from one tenant, then calls the pure Compute.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// Sections is what verify asks computers-inventory for, in one paged
// listing: names, ids and the inventory time (GENERAL), serial numbers
// (HARDWARE), the values behind $USERNAME, $EMAIL and the like
// (USER_AND_LOCATION), installed profiles and certificates.
var Sections = append(append([]jamf.Section(nil), fleet.Sections...),
	jamf.SectionConfigurationProfiles, jamf.SectionCertificates)

// PageSize is the computers-inventory page size verify uses: Jamf's
// maximum, so 10,000 Macs cost 5 requests.
const PageSize = 2000

// Query says what to verify on one tenant.
type Query struct {
	// ProfileID selects the profile by Jamf id; 0 means by ProfileName.
	ProfileID   int
	ProfileName string
	// Dialect says where the stored profile keeps Jamf's settings and how
	// Jamf appends $PROFILE_IDENTIFIER; nil means profile.DefaultDialect.
	Dialect *profile.Dialect
	// RedistributeDays is the window used when the stored profile does not
	// say (0: 30 days).
	RedistributeDays int
	Now              time.Time
	StaleAfter       time.Duration
	// Warnf receives warnings (missing privileges, unreadable plist); nil
	// drops them.
	Warnf func(format string, args ...any)
	// OnFleet, when set, is called once the fleet is loaded with the
	// profile's Subject and the Macs in scope (--renewals checks each
	// Mac's Subject today).
	OnFleet func(fl *fleet.Fleet, target Target, inScope []int)

	// Progress, when set, is told each step as it starts ("find
	// profile", "read inventory", "resolve scope") and, during the
	// inventory listing, the computers read of the total after each page
	// (done and total 0 for a step without a count). It is called from
	// several goroutines.
	Progress func(step string, done, total int)
}

// DefaultRedistributeDays is the expiry warning window when neither the
// stored profile nor the config gives one (Okta's guide suggests 30).
const DefaultRedistributeDays = 30

// Collect reads what verify needs from one tenant and computes the report,
// in four waves of round trips for 10,000 Macs (the client caps each at
// Jamf's five connections):
//
//  1. the token;
//  2. the profile list (or, with an id, the profile read and the MDM
//     commands' first page), the Jamf Pro version and the inventory's first
//     page with every section verify reads (the client asks it at the
//     newest endpoint while the version is on its way; see
//     jamf.Client.ComputersInventory);
//  3. the profile read, the first page of the profile's install commands
//     and the inventory's other pages;
//  4. the commands' other pages, one Classic call per computer group in the
//     stored scope and, only when the Subject names them, the buildings or
//     departments.
//
// Each further 10,000 Macs or install commands add about one wave.
//
// Errors are the client's (*jamf.Error, jamf.ErrNotFound,
// *jamf.AmbiguousNameError). A 403 on MDM commands is not an error: the
// report then has no command states and Warnf says which privilege is
// missing.
func Collect(ctx context.Context, c *jamf.Client, q Query) (*Report, error) {
	d := q.Dialect
	if d == nil {
		d = profile.DefaultDialect()
	}
	warnf := q.Warnf
	if warnf == nil {
		warnf = func(string, ...any) {}
	}
	progress := q.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		dir      jamf.Directory
		commands []jamf.MDMCommand
		wg       crash.Group // a panic is carried to Wait and reported
		mu       sync.Mutex
		errs     []error
	)
	run := func(fn func() error) {
		wg.Go(func() {
			if err := fn(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	// The inventory needs nothing from the profile: it starts now, with the
	// profile lookup.
	progress("find profile", 0, 0)
	progress("read inventory", 0, 0)
	run(func() (err error) {
		dir.Computers, err = c.ComputersInventory(ctx, jamf.InventoryQuery{
			Sections: Sections, PageSize: PageSize,
			OnPage: func(read, total int) { progress("read inventory", read, total) },
		})
		return err
	})
	stored, err := findProfile(ctx, c, q, func(id int) {
		// The commands need only the id: they go out with the read.
		run(func() error {
			cmds, err := c.ProfileCommands(ctx, id)
			if errors.Is(err, jamf.ErrForbidden) {
				warnf("no MDM command states: the API role lacks %q (jamf-scep help jamf-privileges)", "View MDM command information in Jamf Pro API")
				return nil
			}
			commands = cmds
			if err == nil && commands == nil {
				commands = []jamf.MDMCommand{}
			}
			return err
		})
	})
	if err != nil {
		cancel() // the inventory and commands are of no use now
		wg.Wait()
		return nil, err
	}
	target, err := TargetOf(stored, d, cmp.Or(q.RedistributeDays, DefaultRedistributeDays))
	if err != nil {
		warnf("%v", err)
	}

	fl := fleet.New(c, jamf.Directory{})
	run(func() error {
		if err := fl.Prefetch(ctx, stored.Scope); err != nil {
			return fmt.Errorf("scope of profile %q: %w", stored.General.Name, err)
		}
		return nil
	})
	var buildings []jamf.Building
	var departments []jamf.Department
	tmpl := target.Subject.String()
	if strings.Contains(tmpl, "$BUILDINGNAME") {
		run(func() (err error) { buildings, err = c.Buildings(ctx); return err })
	}
	if strings.Contains(tmpl, "$DEPARTMENTNAME") {
		run(func() (err error) { departments, err = c.Departments(ctx); return err })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	dir.Buildings, dir.Departments = buildings, departments

	fl.SetDirectory(dir)
	progress("resolve scope", 0, 0)
	inScope, err := fl.Members(ctx, stored.Scope)
	if err != nil {
		return nil, fmt.Errorf("scope of profile %q: %w", stored.General.Name, err)
	}
	if q.OnFleet != nil {
		q.OnFleet(fl, target, inScope)
	}
	return Compute(Input{
		Target:     target,
		Computers:  dir.Computers,
		InScope:    inScope,
		Commands:   commands,
		Variables:  fl.Variables,
		Identifier: d.ProfileIdentifier,
		Now:        q.Now,
		StaleAfter: q.StaleAfter,
	}), nil
}

// findProfile reads the profile to verify, by id or by name, and calls
// found with its id as soon as the id is known: before the read.
func findProfile(ctx context.Context, c *jamf.Client, q Query, found func(id int)) (*jamf.Profile, error) {
	if q.ProfileID > 0 {
		found(q.ProfileID)
		p, err := c.GetProfile(ctx, q.ProfileID)
		if err != nil {
			return nil, fmt.Errorf("profile id %d: %w", q.ProfileID, err)
		}
		return p, nil
	}
	if q.ProfileName == "" {
		return nil, errors.New("no profile to verify: give --profile NAME or --profile-id N, or set profile.name in the config")
	}
	id, err := c.ProfileIDByName(ctx, q.ProfileName)
	if err != nil {
		return nil, err
	}
	found(id)
	return c.GetProfile(ctx, id)
}
