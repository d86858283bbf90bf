// Package jamf is a small typed client for the parts of Jamf Pro that
// jamf-scep needs: authentication (OAuth API clients and user accounts),
// Classic API macOS configuration profiles, name-to-id lookups, and the
// inventory and MDM command records used to verify a rollout.
//
// A [Client] talks to one tenant. It owns one [net/http.Client] with a cookie
// jar (Jamf Cloud node affinity), adds a bearer token through an
// [net/http.RoundTripper], caps concurrent requests (five by default, Jamf's
// guidance), retries idempotent requests (GET, PUT, DELETE) on network
// errors, 429, 502, 503 and 504 within a bounded budget, and turns every
// other non-2xx answer into an [*Error] that works with [errors.Is] against
// [ErrNotFound], [ErrConflict], [ErrUnauthorized] and [ErrForbidden].
//
// The server quirks this package works around (entity decoding of
// <payloads>, phantom arrays, partial PUT merges, /subset/ paths refused by
// the Jamf Platform gateway, node lag) are described where they are handled
// and in docs/jamf-behavior.md.
//
// No method logs or returns a secret: credentials, tokens and response
// bodies that echo them are redacted.
package jamf
