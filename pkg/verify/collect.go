package verify

// Collect is the step that gathers what Compute judges: it reads the
// stored profile, one computers-inventory listing, the profile's MDM
// commands and its scope from one tenant, then calls the pure Compute.

import (
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

// Collect reads what verify needs from one tenant and computes the report:
// the profile (one Classic GET, or the list and one GET by name), then in
// parallel one paged inventory listing with every section verify reads,
// the profile's MDM commands and, only when the Subject names them, the
// buildings or departments; then one Classic call per computer group in
// scope. The client caps all of it at Jamf's five connections.
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
	progress("find profile", 0, 0)
	stored, err := findProfile(ctx, c, q)
	if err != nil {
		return nil, err
	}
	target := Target{ID: stored.General.ID, Name: stored.General.Name}
	if p, err := profile.Decode([]byte(stored.General.Payloads), d); err != nil {
		// Jamf sets the top-level PayloadIdentifier equal to the UUID on
		// create (docs/jamf-behavior.md, 'UUID replacement on create'), so
		// general/uuid is a fallback.
		target.PayloadIdentifier = stored.General.UUID
		warnf("profile %q (id %d): cannot read its SCEP payload (%v); no certificate can be matched", stored.General.Name, stored.General.ID, err)
	} else {
		target.PayloadIdentifier = p.PayloadIdentifier
		target.Subject = p.SCEP.Content.Subject
		target.RedistributeDays = p.Jamf.RedistributeDays
	}
	if target.RedistributeDays == 0 {
		target.RedistributeDays = q.RedistributeDays
	}
	if target.RedistributeDays == 0 {
		target.RedistributeDays = DefaultRedistributeDays
	}

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
	progress("read inventory", 0, 0)
	run(func() (err error) {
		dir.Computers, err = c.ComputersInventory(ctx, jamf.InventoryQuery{
			Sections: Sections, PageSize: PageSize,
			OnPage: func(read, total int) { progress("read inventory", read, total) },
		})
		return err
	})
	run(func() error {
		cmds, err := c.ProfileCommands(ctx, target.ID)
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
	tmpl := target.Subject.String()
	if strings.Contains(tmpl, "$BUILDINGNAME") {
		run(func() (err error) { dir.Buildings, err = c.Buildings(ctx); return err })
	}
	if strings.Contains(tmpl, "$DEPARTMENTNAME") {
		run(func() (err error) { dir.Departments, err = c.Departments(ctx); return err })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	fl := fleet.New(c, dir)
	progress("resolve scope", 0, 0)
	inScope, err := fl.Members(ctx, stored.Scope)
	if err != nil {
		return nil, fmt.Errorf("scope of profile %q: %w", stored.General.Name, err)
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

func findProfile(ctx context.Context, c *jamf.Client, q Query) (*jamf.Profile, error) {
	if q.ProfileID > 0 {
		p, err := c.GetProfile(ctx, q.ProfileID)
		if err != nil {
			return nil, fmt.Errorf("profile id %d: %w", q.ProfileID, err)
		}
		return p, nil
	}
	if q.ProfileName == "" {
		return nil, errors.New("no profile to verify: give --profile NAME or --profile-id N, or set profile.name in the config")
	}
	return c.FindProfileByName(ctx, q.ProfileName)
}
