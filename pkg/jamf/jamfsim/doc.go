// Package jamfsim is an in-process Jamf Pro for tests, demos and
// benchmarks: a loopback httptest.Server that speaks the Jamf Pro wire
// protocol jamf-scep uses, with the server quirks that broke other tools.
//
// It is an independent implementation of Jamf's behavior, with its own
// XML and JSON types; it does not import the jamf client package, so that
// it catches the client's wire bugs instead of sharing them. Facts come from
// Jamf's published schemas for Jamf Pro 11.23.2, 11.29.1 and 11.30.1 (its
// Jamf Pro API answers are checked against them by internal/jamfschema),
// Jamf's documentation and docs/jamf-behavior.md, which records each
// behavior with its source.
//
// # What it models
//
//   - Mounting under a non-empty base path (default "/jamf/"), so clients
//     must build URLs relative to the base.
//   - Auth: OAuth client credentials (POST api/v1/oauth/token, form body,
//     RFC 6749 section 5.2 errors, expires_in) and user accounts (POST
//     api/v1/auth/token with Basic, {token, expires}; keep-alive swaps the
//     token; invalidate-token answers 204). Tokens expire on the server's
//     clock ([Options.Now]) or at once with [Server.ExpireTokens]. Both
//     token kinds work on the Classic API; Basic does not (as since 11.5).
//   - Privileges per API client or user, enforced per endpoint with 403 in
//     the area's shape; [Request.MissingPrivilege] names the one missing.
//   - Classic API JSSResource/osxconfigurationprofiles: list (with <size>),
//     GET/PUT/DELETE by id/{id} or name/{name}, POST id/0, GET subsets.
//     Writes answer 201 with <os_x_configuration_profile><id>N</id>...;
//     errors are HTML pages with <p>Error: ...</p>. Writes must declare an
//     XML Content-Type (415 otherwise). GET escapes <payloads> as Jamf
//     does: '&', '<' and '>' only. Classic computergroups/id/{id} lists
//     the members of smart and static groups.
//   - Jamf Pro versions ([Options.Version]; [Version11_23], [Version11_29],
//     [Version11_30]): each serves the endpoints and shapes of Jamf's
//     schema for that version, and a later version those of 11.30.
//   - Jamf Pro API: jamf-pro-version; v1 computer-groups (all, not paged);
//     v2 (and from 11.29 v3) computer-groups/static-groups and smart-groups,
//     v1 buildings, departments and categories, v1..v3 computers-inventory
//     and from 11.30 v4 (GENERAL's lastContact and lastCheckIn; before,
//     lastContactTime; sections
//     GENERAL, HARDWARE, USER_AND_LOCATION, CONFIGURATION_PROFILES,
//     CERTIFICATES) and v2 mdm/commands, all paged ({totalCount, results};
//     page, page-size up to 2000, sort on id or name) and filtered with an
//     RSQL subset (==, !=, =in=, ';', ',', parentheses, quoting, '*'
//     wildcards, case-insensitive). Errors are the JSON ApiError
//     {httpStatus, errors[{code, field, description, id}]}; anything the
//     simulator does not support answers 400 saying so.
//   - Every quirk in docs/jamf-behavior.md, each a [Quirk] that
//     [Options.DisabledQuirks] can switch off: the extra entity decode of
//     <payloads>, phantom arrays, top-level PayloadUUID/PayloadIdentifier
//     replaced on create, re-serialization, write-only redeploy_on_update,
//     lenient XML (unknown elements dropped, bad enums defaulted), partial
//     PUT merge, trimmed names, 409 on a duplicate name, /subset/ writes
//     refused as through the Jamf Platform gateway, and several nodes with
//     a replication lag behind the jpro-ingress affinity cookie, profile
//     names compared ignoring case (409 on a case-only duplicate), and
//     characters outside the Basic Multilingual Plane stored as '?' in the
//     general name and description.
//   - Fault injection: the next N (matching) requests answer a status with
//     Retry-After or end in a TCP reset; answer a well-formed but wrong
//     document (Fault.Body: a login page, a list whose count disagrees);
//     or do either after the write was stored (Fault.AfterStore: a
//     gateway 502/504 or a lost answer after Jamf committed); added latency
//     per request.
//   - Seeding (computers, buildings, departments, static and smart groups,
//     profiles, installed profiles, certificates, MDM commands) and
//     [Server.SeedFleet] for a deterministic realistic fleet.
//   - Inspection: the request log, stored profiles with their raw plist
//     text and scope, redeploy records and each profile's effective scope.
//   - Replay: [StartReplay] serves a field capture (jamf-scep --capture) as
//     a tenant, answering each method and path with the recorded responses
//     in order.
//
// # What it does not model
//
//   - TLS, Jamf Cloud's gateway hostnames and rate limiting beyond
//     injected faults; the 5-connection guidance is the client's to keep.
//   - Any other Classic or Jamf Pro API resource, JSON on the Classic API,
//     sites and categories beyond echoing what was sent, self service
//     settings, and user-level scoping. The scope lists it does not
//     evaluate (all_jss_users, jss_users, jss_user_groups, limitations and
//     the same kinds under exclusions) are stored as the raw XML last sent
//     ([Scope.Other]) and answered on GET, but play no part in resolving
//     scope.
//   - Plain Basic auth on the Classic API (removed in Jamf Pro 11.5).
//   - Replication of anything but profiles: inventory, groups and commands
//     are the same on every node.
//   - MDM itself: installing a profile on a Mac happens only through
//     [Server.InstallProfile]; a PUT with redeploy_on_update "All" queues
//     a PENDING INSTALL_PROFILE command per Mac in scope and nothing more.
//
// # Choices where Jamf's behavior is not published
//
//   - Phantom arrays appear between any two adjacent array tags separated
//     only by whitespace: siblings ("</array> <array>") and the nesting of
//     the Subject ("<array> <array>", "</array> </array>") alike.
//   - A bad <payloads> plist of any kind (not only a bare '&') answers 409
//     "Unable to update the database".
//   - Re-serialization replaces characters outside the Basic Multilingual
//     Plane by '?' and sorts dictionary keys.
//   - Inside <general> a PUT merges field by field; inside <scope> each
//     list that is present replaces the stored one and, by default, an
//     omitted list is kept; with [Options.ScopeWrite] set to
//     [ScopeWriteReplace] a sent <scope> replaces the whole stored scope.
//     Jamf documents neither (the repository's docs/jamf-behavior.md,
//     "Scope writes").
//   - name/{name} picks the lowest id among profiles with that name.
//   - An unknown scope target answers 409 "Problem with <kind> in scope".
//   - The v2 mdm/commands answer leaves commandType out for profile
//     installs and removals (Jamf's MdmCommandType has no value for them);
//     from 11.29 it carries profileId and, for a failed command,
//     commandError. Its filter knows uuid, clientManagementId, profileId,
//     command, status.
//   - v1 computer-groups needs both group-reading privileges; keep-alive
//     with an OAuth token answers 403.
//
// # Tests
//
// The package ships in the jamf-scep binary (the demo command runs it), so
// it does not import testing. Tests start a server with jamfsimtest.New
// and a replay with jamfsimtest.NewReplay (package
// pkg/jamf/jamfsim/jamfsimtest), which close them when the test ends.
package jamfsim
