package jamfsim

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Quirk is one server behavior of Jamf Pro that a faithful client must
// survive. Quirks are described in docs/jamf-behavior.md; each one is on by
// default and can be switched off with [Options.DisabledQuirks] to show what
// a client would see from an idealised server.
type Quirk uint32

// The quirks the simulator models. Each constant's comment says what the
// simulator does while the quirk is on and what it does instead when off.
const (
	// QuirkEntityDecode decodes XML entities in <payloads> once more than
	// XML says (Jamf PI-827): CDATA content is decoded once, text content
	// twice. A bare '&' left after that decode answers 409 "Unable to update
	// the database". Off: <payloads> is taken as XML decodes it.
	QuirkEntityDecode Quirk = 1 << iota

	// QuirkPhantomArrays turns whitespace-only text between two adjacent
	// <array> tags (open or close) into an extra empty <array/>. Off: such
	// whitespace is ignored, as the plist format says.
	QuirkPhantomArrays

	// QuirkReplaceTopLevelIDs replaces the top-level PayloadUUID and
	// PayloadIdentifier with one fresh UUID on create; nested payloads keep
	// theirs. Off: the sent values are kept.
	QuirkReplaceTopLevelIDs

	// QuirkReserialize re-serializes the stored plist: PayloadEnabled added,
	// PayloadDisplayName/PayloadDescription copied from general, string
	// values trimmed, LF and TAB dropped inside strings, characters outside
	// the Basic Multilingual Plane replaced by '?', re-indented with tabs
	// and keys sorted. Off: the plist text is stored byte for byte.
	QuirkReserialize

	// QuirkRedeployWriteOnly makes redeploy_on_update write-only: GET always
	// answers "Newly Assigned". Off: GET answers the last value sent.
	QuirkRedeployWriteOnly

	// QuirkLenientXML drops unknown elements and replaces bad enum values
	// (distribution_method, level, redeploy_on_update, booleans) by their
	// defaults, answering 201. Off: both answer 400.
	QuirkLenientXML

	// QuirkPartialPut makes a PUT a partial merge: an omitted element is
	// left alone. Off: a PUT replaces general and scope wholesale, omitted
	// fields falling back to defaults.
	QuirkPartialPut

	// QuirkTrimNames trims leading and trailing spaces of profile names.
	// Off: names are stored as sent.
	QuirkTrimNames

	// QuirkNameConflict answers 409 "Error: Duplicate name" to a POST (or a
	// renaming PUT) whose name another profile already has. Off: duplicate
	// names are created. [Server.AddProfile] may always seed duplicates.
	QuirkNameConflict

	// QuirkGatewaySubset refuses writes to /subset/ paths with 403, as the
	// Jamf Platform gateway does. Off: a subset PUT acts like a top-level
	// PUT carrying the named elements.
	QuirkGatewaySubset

	// QuirkReplicationLag runs [Options.Nodes] nodes. A request without the
	// affinity cookie (jpro-ingress, or the older APBALANCEID) is sent to
	// the next node in turn and given that node's cookie; a node sees
	// profile writes made on another node only after
	// [Options.ReplicationLag]. Off: one node, no cookie.
	QuirkReplicationLag

	// QuirkCaseInsensitiveNames compares profile names ignoring case, as
	// Jamf's database collation most likely does (unpublished): a POST or
	// renaming PUT whose name differs from another profile's only in case
	// answers 409 "Error: Duplicate name" while QuirkNameConflict is on.
	// Off: names differing in case are distinct.
	QuirkCaseInsensitiveNames

	// QuirkNonBMPNames stores every character outside the Basic
	// Multilingual Plane (emoji) in general name and description as '?'.
	// Off: they are stored as sent.
	QuirkNonBMPNames

	quirkEnd
)

var quirkNames = []string{
	"EntityDecode", "PhantomArrays", "ReplaceTopLevelIDs", "Reserialize",
	"RedeployWriteOnly", "LenientXML", "PartialPut", "TrimNames",
	"NameConflict", "GatewaySubset", "ReplicationLag", "CaseInsensitiveNames",
	"NonBMPNames",
}

// String names the quirks in q joined by '|', such as
// "EntityDecode|PhantomArrays", or "none".
func (q Quirk) String() string {
	var names []string
	for i, n := range quirkNames {
		if q&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	if rest := q &^ AllQuirks; rest != 0 {
		names = append(names, fmt.Sprintf("Quirk(%#x)", uint32(rest)))
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

// AllQuirks is every quirk; it is what a zero [Options.DisabledQuirks]
// leaves on.
const AllQuirks = quirkEnd - 1

// Privilege names as Jamf Pro's API roles and user accounts spell them
// (Jamf Pro "API Roles and Clients" and "Classic API privileges").
const (
	PrivReadProfiles     = "Read macOS Configuration Profiles"
	PrivCreateProfiles   = "Create macOS Configuration Profiles"
	PrivUpdateProfiles   = "Update macOS Configuration Profiles"
	PrivDeleteProfiles   = "Delete macOS Configuration Profiles"
	PrivReadComputers    = "Read Computers"
	PrivReadSmartGroups  = "Read Smart Computer Groups"
	PrivReadStaticGroups = "Read Static Computer Groups"
	PrivReadBuildings    = "Read Buildings"
	PrivReadDepartments  = "Read Departments"
	PrivReadCategories   = "Read Categories"
	PrivReadSites        = "Read Sites"
	PrivViewMDMCommands  = "View MDM command information in Jamf Pro API"
)

// AllPrivileges returns every privilege the simulator enforces.
func AllPrivileges() []string {
	return []string{
		PrivReadProfiles, PrivCreateProfiles, PrivUpdateProfiles, PrivDeleteProfiles,
		PrivReadComputers, PrivReadSmartGroups, PrivReadStaticGroups,
		PrivReadBuildings, PrivReadDepartments, PrivViewMDMCommands,
		PrivReadCategories, PrivReadSites,
	}
}

// Credentials of the account and API client a server gets when
// [Options.Users] and [Options.APIClients] are both empty. They hold every
// privilege. They are well-known test values, not secrets.
const (
	DefaultClientID     = "jamf-scep-sim"
	DefaultClientSecret = "sim-client-secret"
	DefaultUsername     = "admin"
	DefaultPassword     = "sim-password"
)

// APIClient is an OAuth API client (Jamf Pro "API Roles and Clients").
type APIClient struct {
	ID     string
	Secret string
	// Privileges are the names granted through the client's API roles.
	Privileges []string
	// TokenLifetime is the access token lifetime; Jamf allows 60 s and up.
	// Zero means 300 s.
	TokenLifetime time.Duration
}

// User is a Jamf Pro user account that gets bearer tokens with Basic auth.
type User struct {
	Name       string
	Password   string
	Privileges []string
}

// Options configure a [Server]. The zero value is a realistic Jamf Cloud
// tenant: every quirk on, two nodes with a 60 s replication lag, version
// 11.30.1, the default account and API client.
type Options struct {
	// BasePath is where the server is mounted, such as "/jamf/". It must
	// not be "/" so that clients prove they use relative paths. Empty
	// means "/jamf/".
	BasePath string

	// Version is what /api/v1/jamf-pro-version answers, such as
	// "11.29.1" or [Version11_29]; empty means [Version11_30]. The server
	// serves that version's endpoints and shapes (see [Version11_23],
	// [Version11_29], [Version11_30]); a later version plays 11.30.
	Version string

	// DisabledQuirks lists quirks to switch off; zero keeps all of them.
	DisabledQuirks Quirk

	// ScopeWrite is how a PUT's <scope> combines with the stored scope;
	// zero is ScopeWriteMerge. QuirkPartialPut off replaces either way.
	ScopeWrite ScopeWrite

	// Nodes is the number of nodes while QuirkReplicationLag is on; values
	// below 2 mean 2.
	Nodes int
	// ReplicationLag is how long a profile write takes to reach the other
	// nodes. Zero means 60 s; a negative value means no lag.
	ReplicationLag time.Duration

	// APIClients and Users are the accounts that may get tokens. When both
	// are empty, the server has DefaultClientID and DefaultUsername with
	// every privilege.
	APIClients []APIClient
	Users      []User

	// UserTokenLifetime is the lifetime of user-account tokens. Zero
	// means 30 minutes.
	UserTokenLifetime time.Duration

	// Now is the server's clock; nil means time.Now. Tests that exercise
	// token expiry or replication lag pass a controllable clock.
	Now func() time.Time

	// Observe, when set, is called after each request is answered with
	// the request (its URL path includes the base path; its body is
	// consumed) and the status, header and body of the answer. A test uses
	// it to check every exchange, for example against Jamf's published
	// schema (internal/jamfschema). It is not called for a request ended
	// with a connection reset. It must be safe for concurrent use.
	Observe func(r *http.Request, status int, header http.Header, body []byte)
}

func (o Options) withDefaults() Options {
	if o.BasePath == "" {
		o.BasePath = "/jamf/"
	}
	if o.BasePath[0] != '/' {
		o.BasePath = "/" + o.BasePath
	}
	if o.BasePath[len(o.BasePath)-1] != '/' {
		o.BasePath += "/"
	}
	if o.Version == "" {
		o.Version = "11.30.1-t1750000000"
	}
	if o.Nodes < 2 {
		o.Nodes = 2
	}
	if o.ReplicationLag == 0 {
		o.ReplicationLag = 60 * time.Second
	}
	if o.ReplicationLag < 0 {
		o.ReplicationLag = 0
	}
	if len(o.APIClients) == 0 && len(o.Users) == 0 {
		o.APIClients = []APIClient{{ID: DefaultClientID, Secret: DefaultClientSecret, Privileges: AllPrivileges()}}
		o.Users = []User{{Name: DefaultUsername, Password: DefaultPassword, Privileges: AllPrivileges()}}
	}
	if o.UserTokenLifetime == 0 {
		o.UserTokenLifetime = 30 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
