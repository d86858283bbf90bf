// Package jamf is a small typed client for the parts of Jamf Pro that
// jamf-scep needs: authentication (OAuth API clients and user accounts),
// Classic API macOS configuration profiles, name-to-id lookups, and the
// inventory and MDM command records used to verify a rollout.
//
// A [Client] talks to one tenant. It owns one [net/http.Client] with a cookie
// jar (Jamf Cloud node affinity), adds a bearer token through an
// [net/http.RoundTripper], caps concurrent requests (five by default, Jamf's
// guidance), retries idempotent requests (GET, PUT, DELETE) and token
// requests on network errors, 429, 502, 503 and 504 within a bounded
// budget, and turns every other non-2xx answer into an [*Error] that works
// with [errors.Is] against [ErrNotFound], [ErrConflict], [ErrUnauthorized]
// and [ErrForbidden].
//
// Server answers are untrusted input. A 2xx answer must be the document
// asked for (root element or JSON shape, its own counts, ids that are
// positive), or the call fails with an error matching [ErrWrongDocument];
// server numbers are bounded and nothing is allocated from one; bodies are
// read up to a cap. A failed write whose answer does not say whether Jamf
// stored it (5xx, lost answer) matches [ErrMayHaveApplied].
//
// The server quirks this package works around (entity decoding of
// <payloads>, phantom arrays, partial PUT merges, /subset/ paths refused by
// the Jamf Platform gateway, node lag) are described where they are handled
// and in docs/jamf-behavior.md.
//
// No method logs or returns a secret: credentials, tokens and response
// bodies that echo them are redacted.
package jamf
