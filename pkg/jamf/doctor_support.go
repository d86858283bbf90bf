package jamf

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Privilege names as Jamf Pro spells them in API roles and user account
// privilege sets (Jamf Pro Documentation, "API Roles and Clients";
// docs/jamf-behavior.md, 'Privileges'). An admin searches for exactly these
// strings.
const (
	PrivilegeReadProfiles     = "Read macOS Configuration Profiles"
	PrivilegeCreateProfiles   = "Create macOS Configuration Profiles"
	PrivilegeUpdateProfiles   = "Update macOS Configuration Profiles"
	PrivilegeReadComputers    = "Read Computers"
	PrivilegeReadSmartGroups  = "Read Smart Computer Groups"
	PrivilegeReadStaticGroups = "Read Static Computer Groups"
	PrivilegeReadBuildings    = "Read Buildings"
	PrivilegeReadDepartments  = "Read Departments"
	PrivilegeViewMDMCommands  = "View MDM command information in Jamf Pro API"
	PrivilegeReadCategories   = "Read Categories"
	PrivilegeReadSites        = "Read Sites"
)

// ReadProbe is a harmless read that succeeds only when the account holds
// one privilege. It asks for at most one record, so it costs one request
// whatever the size of the tenant.
type ReadProbe struct {
	// Privilege is the privilege the read needs, e.g. "Read Computers".
	Privilege string
	// Endpoint names the request for messages, e.g.
	// "GET api/v1/buildings?page-size=1".
	Endpoint string

	path      string
	query     url.Values
	inventory bool   // path is chosen by the computers-inventory version
	groups    string // "smart-groups" or "static-groups": path chosen by apiShape
}

// nilUUID filters the MDM command probe down to no record: Jamf requires a
// filter on api/v2/mdm/commands and no command has this UUID.
const nilUUID = "00000000-0000-0000-0000-000000000000"

// ReadProbes returns one probe per privilege jamf-scep needs that a read can
// prove, in the order docs/jamf-behavior.md, 'Privileges', lists them.
// Create and Update
// macOS Configuration Profiles are not here: only a write proves them.
func ReadProbes() []ReadProbe {
	onePage := func(extra ...string) url.Values {
		q := url.Values{"page": {"0"}, "page-size": {"1"}}
		for i := 0; i+1 < len(extra); i += 2 {
			q.Set(extra[i], extra[i+1])
		}
		return q
	}
	probes := []ReadProbe{
		{Privilege: PrivilegeReadProfiles, path: profilesPath},
		{Privilege: PrivilegeReadComputers, inventory: true, query: onePage("section", string(SectionGeneral))},
		{Privilege: PrivilegeReadSmartGroups, groups: "smart-groups", query: onePage()},
		{Privilege: PrivilegeReadStaticGroups, groups: "static-groups", query: onePage()},
		{Privilege: PrivilegeReadBuildings, path: buildingsPath, query: onePage()},
		{Privilege: PrivilegeReadDepartments, path: departmentsPath, query: onePage()},
		{Privilege: PrivilegeViewMDMCommands, path: mdmCommandsPath, query: onePage("filter", RSQLEqual("uuid", nilUUID))},
	}
	for i := range probes {
		p := &probes[i]
		path := p.path
		if p.inventory {
			path = "api/v{N}/computers-inventory"
		}
		if p.groups != "" {
			path = "api/v{N}/computer-groups/" + p.groups
		}
		p.Endpoint = "GET " + path
		if len(p.query) > 0 {
			p.Endpoint += "?" + p.query.Encode()
		}
	}
	return probes
}

// Probe runs p. It returns nil when the read succeeded (the privilege is
// held), an *Error matching ErrForbidden when the account lacks
// p.Privilege, and any other error as the client's other methods do.
func (c *Client) Probe(ctx context.Context, p ReadProbe) error {
	if p.groups != "" {
		shape, err := c.shape(ctx)
		if err != nil {
			return err
		}
		_, err = c.do(ctx, request{method: http.MethodGet, path: groupsPathFor(shape.groups, p.groups), query: p.query, accept: jsonType})
		return err
	}
	if !p.inventory {
		accept := jsonType
		if strings.HasPrefix(p.path, "JSSResource/") {
			accept = xmlType
		}
		_, err := c.do(ctx, request{method: http.MethodGet, path: p.path, query: p.query, accept: accept})
		return err
	}
	v, err := c.inventoryVersion(ctx)
	if err != nil {
		return err
	}
	for ; v >= 1; v-- {
		_, err := c.do(ctx, request{method: http.MethodGet, path: inventoryPathFor(v), query: p.query, accept: jsonType})
		if errors.Is(err, ErrNotFound) && v > 1 {
			c.setInventoryVersion(v - 1)
			continue
		}
		return err
	}
	return fmt.Errorf("jamf: no computers-inventory endpoint answered: %w", ErrNotFound)
}

// Authenticate fetches a bearer token now (POST api/v1/oauth/token or
// api/v1/auth/token), proving the credentials. A refusal is an *Error
// matching ErrUnauthorized; a network failure is wrapped. The token is kept
// for later requests.
func (c *Client) Authenticate(ctx context.Context) error {
	_, err := c.tokens.token(ctx)
	return err
}

// ServerTime is the server's clock as its Date header gave it (RFC 9110
// section 6.6.1, one-second resolution), with the local clock read halfway
// through the request, so that Skew is not biased by the round trip.
type ServerTime struct {
	Server time.Time // the Date header
	Local  time.Time // local time at the middle of the round trip
}

// Skew is how far the server's clock is ahead of the local one (negative:
// behind). It is exact to about a second.
func (t ServerTime) Skew() time.Duration { return t.Server.Sub(t.Local) }

// ServerTime reads the server's Date header from one authenticated GET of
// api/v1/jamf-pro-version (no retries). An answer without a valid Date
// header is an error.
func (c *Client) ServerTime(ctx context.Context) (ServerTime, error) {
	if err := c.Authenticate(ctx); err != nil {
		return ServerTime{}, err
	}
	t0 := c.clock.Now()
	body, status, header, _, err := c.send(ctx, request{method: http.MethodGet, path: versionPath, accept: jsonType}, 1)
	t1 := c.clock.Now()
	if err != nil {
		return ServerTime{}, fmt.Errorf("jamf: GET %s: %w", versionPath, err)
	}
	if status/100 != 2 {
		return ServerTime{}, newError(http.MethodGet, versionPath, status, body, c.tokens.secrets())
	}
	raw := header.Get("Date")
	if raw == "" {
		return ServerTime{}, fmt.Errorf("jamf: GET %s: the answer has no Date header", versionPath)
	}
	server, err := http.ParseTime(raw)
	if err != nil {
		return ServerTime{}, fmt.Errorf("jamf: GET %s: unreadable Date header %q", versionPath, raw)
	}
	return ServerTime{Server: server, Local: t0.Add(t1.Sub(t0) / 2)}, nil
}
