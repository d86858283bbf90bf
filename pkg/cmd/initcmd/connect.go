package initcmd

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// Jamf Pro privileges jamf-scep needs (docs/jamf-behavior.md, 'Privileges'),
// as named in
// Jamf Pro's API Roles.
const (
	privProfiles    = "Create, Read and Update macOS Configuration Profiles"
	privComputers   = "Read Computers"
	privGroups      = "Read Smart Computer Groups and Read Static Computer Groups"
	privBuildings   = "Read Buildings"
	privDepartments = "Read Departments"
)

// connection is what the wizard learned from one tenant: a client, the
// directory the scope lists are filled from, and the privileges the
// credentials lack.
type connection struct {
	client *jamf.Client
	fleet  *fleet.Fleet
	// gaps names each privilege whose read was refused (403).
	gaps []string
}

// errRejected marks credentials Jamf Pro refused (401): the wizard asks
// for them again.
var errRejected = errors.New("the credentials were rejected by Jamf Pro")

// connect builds a client for t with tenant.Connect and makes the harmless
// reads every later command needs: the profile list, computer groups,
// buildings, departments and the computer inventory. A 401 is errRejected;
// a 403 on one read is a privilege gap, not an error, so the admin sees
// every missing privilege at once.
func connect(ctx context.Context, t config.Tenant, opts tenant.Options) (*connection, error) {
	c, err := tenant.Connect(ctx, t, opts)
	if err != nil {
		return nil, err
	}
	conn := &connection{client: c}
	var dir jamf.Directory
	probes := []struct {
		privilege string
		run       func() error
	}{
		{privProfiles, func() error { _, err := c.ListProfiles(ctx); return err }},
		{privGroups, func() (err error) { dir.ComputerGroups, err = c.ComputerGroups(ctx); return err }},
		{privBuildings, func() (err error) { dir.Buildings, err = c.Buildings(ctx); return err }},
		{privDepartments, func() (err error) { dir.Departments, err = c.Departments(ctx); return err }},
		{privComputers, func() (err error) {
			dir.Computers, err = c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: fleet.Sections})
			return err
		}},
	}
	for _, p := range probes {
		err := p.run()
		switch {
		case err == nil:
		case errors.Is(err, jamf.ErrUnauthorized):
			_ = c.Close(ctx)
			return nil, fmt.Errorf("%w (%s); %s", errRejected, statusOf(err), jamf.Advice(err))
		case errors.Is(err, jamf.ErrForbidden):
			conn.gaps = append(conn.gaps, p.privilege)
		default:
			_ = c.Close(ctx)
			return nil, err
		}
	}
	conn.fleet = fleet.New(c, dir)
	return conn, nil
}

// gapsMessage names the missing privileges and where to grant them.
func gapsMessage(gaps []string) string {
	return "missing privileges: " + strings.Join(gaps, "; ") +
		". Add them to the API role (Settings > API Roles and Clients) or the account; see jamf-scep help jamf-privileges"
}

// statusOf names the answer Jamf Pro gave: its HTTP status and, when the
// server sent one, its error code ("400 invalid_client"): a token endpoint
// refuses bad client credentials with 400 or 401 (RFC 6749 section 5.2).
func statusOf(err error) string {
	var je *jamf.Error
	if !errors.As(err, &je) {
		return "unauthorized"
	}
	s := strconv.Itoa(je.StatusCode)
	if je.Code != "" {
		s += " " + je.Code
	}
	return s
}
