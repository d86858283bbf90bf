package plan

// Report is the JSON document `plan -o json` and `apply -o json` print, for
// one tenant or many. Its schema is versioned by SchemaVersion:
//
//	{
//	  "schemaVersion": 1,
//	  "command": "plan" | "apply",
//	  "tenants": [ TenantReport, ... ]   // in config order
//	}
type Report struct {
	SchemaVersion int            `json:"schemaVersion"`
	Command       string         `json:"command"`
	Tenants       []TenantReport `json:"tenants"`
}

// Results a TenantReport may carry.
const (
	ResultPlanned   = "planned"   // plan: computed; apply: not applied (declined)
	ResultUnchanged = "unchanged" // converged: nothing to write
	ResultApplied   = "applied"   // written and read back
	ResultFailed    = "failed"    // see Error; Written says what changed
)

// TenantReport is one tenant's outcome.
type TenantReport struct {
	// Tenant is the config tenant name.
	Tenant string `json:"tenant"`
	// Result is planned, unchanged, applied or failed.
	Result string `json:"result"`
	// Plan is the tenant's plan; null when planning failed.
	Plan *Plan `json:"plan"`
	// Written lists the writes that reached Jamf Pro ("created profile
	// 12 with its scope"), empty when none did.
	Written []string `json:"written"`
	// Verified is true when the read-back matched what was sent (or
	// nothing was written).
	Verified bool `json:"verified"`
	// Error is the failure, "" on success. It never holds a secret.
	Error string `json:"error,omitempty"`
}
