package jamf

import (
	"context"
	"log/slog"
	"strconv"
)

// apiShape is which Jamf Pro API endpoint versions jamf-scep uses on a
// tenant, chosen by its Jamf Pro version. It is the one place that choice
// lives; the facts come from Jamf's published schemas for 11.23.2,
// 11.29.1 and 11.30.1 (docs/jamf-behavior.md, "Inventory versions and
// fields" and "Lookups and paging").
type apiShape struct {
	// inventory is the computers-inventory version: 4 from 11.30 (its
	// GENERAL section names last contact lastContact), 1 before
	// (lastContactTime).
	inventory int
	// groups is the computer-groups smart-groups and static-groups list
	// version: 3 from 11.29, 2 before (11.23 has no v3).
	groups int
}

// newestKnown is the newest Jamf Pro version whose schema jamf-scep was
// checked against; a newer tenant gets this version's shape.
const (
	newestKnownMajor = 11
	newestKnownMinor = 30
)

// shapeFor returns the shape for Jamf Pro version v ("11.29.1-t1750000000")
// and whether v is newer than newestKnown. A version it cannot read gets
// the newest shape.
func shapeFor(v string) (shape apiShape, newer bool) {
	major, minor, ok := parseVersion(v)
	if !ok {
		return newestShape(), true
	}
	atLeast := func(ma, mi int) bool { return major > ma || (major == ma && minor >= mi) }
	shape = apiShape{inventory: 1, groups: 2}
	if atLeast(11, 29) {
		shape.groups = 3
	}
	if atLeast(11, 30) {
		shape.inventory = 4
	}
	return shape, atLeast(newestKnownMajor, newestKnownMinor+1)
}

// newestShape is the shape of newestKnown: what a tenant newer than
// jamf-scep knows, or one whose version is unknown yet, is first asked with.
func newestShape() apiShape { return apiShape{inventory: 4, groups: 3} }

// shape returns the tenant's shape (GET api/v1/jamf-pro-version once per
// client). For a version newer than jamf-scep knows it logs, once, at debug
// level, that it uses the newest known shape.
func (c *Client) shape(ctx context.Context) (apiShape, error) {
	v, err := c.Version(ctx)
	if err != nil {
		return apiShape{}, err
	}
	shape, newer := shapeFor(v)
	c.versionMu.Lock()
	say := newer && !c.shapeSaid
	c.shapeSaid = c.shapeSaid || newer
	c.versionMu.Unlock()
	if say {
		c.log.LogAttrs(ctx, slog.LevelDebug, "jamf version newer than jamf-scep knows; using the newest known endpoints and field names",
			slog.String("version", v),
			slog.String("newest_known", strconv.Itoa(newestKnownMajor)+"."+strconv.Itoa(newestKnownMinor)),
			slog.String("computers_inventory", "v"+strconv.Itoa(shape.inventory)),
			slog.String("computer_groups", "v"+strconv.Itoa(shape.groups)))
	}
	return shape, nil
}

// groupsPathFor is the computer-groups list path of one kind ("smart-groups"
// or "static-groups") at version v.
func groupsPathFor(v int, kind string) string {
	return "api/v" + strconv.Itoa(v) + "/computer-groups/" + kind
}
