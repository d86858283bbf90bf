// Package examples embeds the example configs, so `jamf-scep help config-file`
// prints the same fully commented file a user copies from the repository
// (one source for the field reference; tests parse and validate it).
package examples

import _ "embed"

// OktaDeviceAccess is examples/okta-device-access.yaml: a single-tenant
// config with every field documented.
//
//go:embed okta-device-access.yaml
var OktaDeviceAccess string

// MultiTenant is examples/multi-tenant.yaml: several tenants with
// per-tenant overrides.
//
//go:embed multi-tenant.yaml
var MultiTenant string
