// Package plan is jamf-scep's core: it compares the Okta Device Access
// profile and scope a config asks for with what a Jamf Pro tenant holds,
// and turns the difference into the smallest set of writes.
//
// The flow has three parts, each small:
//
//   - Gather (I/O): find the stored profile by exact name or id, load the
//     fleet (one inventory listing and one list call per scope kind named,
//     [fleet.Load]) and resolve every scope name to an id.
//   - [Compute] (pure): desired vs stored gives a [Plan]: create, update or
//     nothing; a field-level diff of the profile with Jamf's own rewrites
//     masked (docs/jamf-behavior.md, 'Re-serialisation rewrites'); general
//     changes; scope additions and
//     removals per owned category; the redeploy mode; and exactly what to
//     send (general only, scope only, or both).
//   - Apply (I/O): one write, then a read-back compared semantically with
//     what was sent; any difference is an error naming the key path.
//
// Gather and apply are lists of named [Step]s run over one [State]
// ([Run]), so progress and failures name the step. Secrets never leave the
// package in a Plan: their values render as [Sensitive].
package plan

import (
	"fmt"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// SchemaVersion is the version of the JSON documents [Report] describes. It
// changes only when a field is removed or changes meaning; new fields may be
// added within a version.
const SchemaVersion = 1

// Sensitive is what a secret value renders as, in text and JSON alike.
const Sensitive = secret.Redacted

// Action is what apply does to the tenant's profile.
type Action string

// Actions of a Plan.
const (
	ActionCreate Action = "create" // no profile with the name: POST one
	ActionUpdate Action = "update" // the stored profile differs: one PUT
	ActionNone   Action = "none"   // converged: no write
)

// RedeployNone is the redeploy mode of a plan whose write carries no
// payloads, so no Mac reinstalls anything. The other modes a Plan may carry
// are Jamf's redeploy_on_update values, jamf.RedeployNewlyAssigned and
// jamf.RedeployAll.
const RedeployNone = "none"

// Desired is what the config asks for on one tenant, with every scope name
// already resolved to a Classic id.
type Desired struct {
	// General are the Jamf general fields jamf-scep sets.
	General General
	// Profile is the built profile (profile.Build) with its secrets
	// resolved: the plan needs them to detect a changed secret, and never
	// prints them.
	Profile *profile.Profile
	// Dialect is the Jamf dialect the profile was built with (nil:
	// profile.DefaultDialect).
	Dialect *profile.Dialect
	// Scope is the desired scope with its owned categories.
	Scope scope.Spec
	// Redeploy is jamf.RedeployNewlyAssigned (default, also for "") or
	// jamf.RedeployAll (--redeploy all); sent only with a payload change.
	Redeploy string
}

// General are the general fields of a Jamf profile that jamf-scep owns.
// Category and Site are owned only when set (by name; Jamf matches a ref
// without id by name).
type General struct {
	Name        string
	Description string
	Category    string
	Site        string
	// CategoryID and SiteID are the Jamf ids of Category and Site, filled
	// by LoadFleet (0 until resolved).
	CategoryID int
	SiteID     int
}

// Stored is what the tenant holds before apply.
type Stored struct {
	// Profile is the stored profile, nil when none has the name.
	Profile *jamf.Profile
	// ID is its Classic id (0 when Profile is nil).
	ID int
}

// Plan is the result of [Compute]: what apply would do, and the JSON
// document `plan -o json` prints for a tenant (inside [Report]).
type Plan struct {
	// Action is create, update or none.
	Action Action `json:"action"`
	// ProfileName is the Jamf profile name (general.name).
	ProfileName string `json:"profileName"`
	// ProfileID is the stored profile's Classic id; 0 for a create.
	ProfileID int `json:"profileId,omitempty"`
	// General lists changed general fields; paths are "general.<element>".
	General []Change `json:"general"`
	// Payload lists changed plist keys with paths such as
	// "PayloadContent[0].PayloadContent.Subject". On create every key is
	// an addition.
	Payload []Change `json:"payload"`
	// Scope lists additions and removals per owned category; categories
	// with neither are left out.
	Scope []ScopeChange `json:"scope"`
	// Redeploy is "none", "Newly Assigned" or "All".
	Redeploy string `json:"redeploy"`
	// Macs counts the computers in the resulting scope; filled by the
	// CountMacs step (zero when not counted).
	Macs Macs `json:"macs"`
	// SubjectViolations lists the Macs in the resulting scope whose
	// certificate Subject would exceed RFC 5280's limits, worst first.
	SubjectViolations []MacViolation `json:"subjectViolations"`
	// SubjectVerdict is what apply does about SubjectViolations: "fits"
	// (none), "refused" (some, and the plan has changes: apply writes
	// nothing unless --accept-long-subject), "accepted" (some, accepted
	// with --accept-long-subject, or no change to write).
	SubjectVerdict string `json:"subjectVerdict"`
	// ProfileIdentifier says which $PROFILE_IDENTIFIER model (the Jamf
	// dialect's inferred rule) the Subject was checked under, e.g.
	// `Jamf id (up to 6 digits) appended to the last CN after " "`.
	ProfileIdentifier string `json:"profileIdentifier"`

	// What apply sends; unexported so a Plan printed or marshalled never
	// carries the plist (which holds the secrets).
	send write
}

// write is what apply sends: the whole profile for a create, else general
// and/or scope (nil parts are not sent), plus what the read-back must find.
type write struct {
	general *jamf.General
	scope   *jamf.Scope
	// plist is the desired wire plist, secrets included.
	plist string
	// topUUID and topIdentifier are the stored top-level identifiers an
	// update must keep; empty for a create.
	topUUID, topIdentifier string
	dialect                *profile.Dialect
	secretRule             profile.SecretRule
	// secretValues are the desired secrets (password, static challenge),
	// masked wherever a change shows a whole container.
	secretValues []string
	// before and after are the stored and resulting scopes, whether or
	// not the scope is sent (Macs are counted on both).
	before, after jamf.Scope
}

// StoredPlistPath is the Path of the Change a plan shows when the stored
// payloads are a malformed plist (a key twice in a dict): Old says what is
// wrong, and apply rewrites the payloads whole.
const StoredPlistPath = "(stored plist)"

// Change is one changed field. Old and New are display forms (strings
// quoted, arrays as JSON); for a secret both are [Sensitive] and Sensitive
// is true.
type Change struct {
	Path      string `json:"path"`
	Op        Op     `json:"op"`
	Old       string `json:"old,omitempty"`
	New       string `json:"new,omitempty"`
	Sensitive bool   `json:"sensitive,omitempty"`
}

// Op is the kind of a Change.
type Op string

// Ops of a Change, with the sign the text plan shows.
const (
	OpAdd    Op = "add"    // +
	OpChange Op = "change" // ~
	OpRemove Op = "remove" // -
)

// Sign returns "+", "~" or "-".
func (o Op) Sign() string {
	switch o {
	case OpAdd:
		return "+"
	case OpRemove:
		return "-"
	}
	return "~"
}

// ScopeChange is a scope.Change as plans show it: the difference in one
// scope category, such as "computer_groups" or "exclusions.buildings"
// (config key names), or "all_computers" (Added or Removed holds the one
// pseudo-target "all computers"). A list jamf-scep does not model is
// named by its Classic path, such as "limitations.users", "jss_users" or
// "exclusions.jss_user_groups" ("all_jss_users" holds "all JSS users"); it
// changes only under --replace-scope.
type ScopeChange struct {
	Category string   `json:"category"`
	Added    []Target `json:"added"`
	Removed  []Target `json:"removed"`
}

// Target is one scope target: a Classic id and its name.
type Target struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Macs counts computers in scope, from the tenant's inventory.
type Macs struct {
	// InScope is the number of computers the resulting scope reaches
	// (an upper bound when the scope has limitations).
	InScope int `json:"inScope"`
	// NewlyAdded were not in the stored scope (all of them for a create).
	NewlyAdded int `json:"newlyAdded"`
	// Removed were in the stored scope and are not any more; Jamf removes
	// the profile, and its certificate, from them.
	Removed int `json:"removed"`
}

// MacViolation is one Mac whose certificate request would break the
// Subject's RFC 5280 limits (from fleet.CheckSubject).
type MacViolation struct {
	ID         int                `json:"id"`
	Name       string             `json:"name"`
	Serial     string             `json:"serialNumber"`
	Violations []SubjectViolation `json:"violations"`
}

// SubjectViolation is one attribute value over its limit on one Mac.
type SubjectViolation struct {
	// Path is the attribute's place in the Subject, "Subject[0][0]".
	Path string `json:"path"`
	// Type is the attribute type, "CN".
	Type string `json:"type"`
	// Chars is the value's length in characters, including what Jamf
	// appends; Limit is RFC 5280's upper bound for the type.
	Chars int `json:"chars"`
	Limit int `json:"limit"`
	// Message explains it in one line.
	Message string `json:"message"`
}

func macViolations(in []fleet.MacViolation) []MacViolation {
	out := make([]MacViolation, len(in))
	for i, m := range in {
		vs := make([]SubjectViolation, len(m.Violations))
		for j, v := range m.Violations {
			vs[j] = SubjectViolation{Path: v.Path, Type: v.Type, Chars: v.Chars, Limit: v.Limit, Message: v.Message}
		}
		out[i] = MacViolation{ID: m.ID, Name: m.Name, Serial: m.Serial, Violations: vs}
	}
	return out
}

// HasChanges reports whether apply would write anything.
func (p *Plan) HasChanges() bool { return p.Action != ActionNone }

// Parts names what the write carries, for messages: "general, payload,
// scope" or a subset; "profile, scope" for a create; "" for none.
func (p *Plan) Parts() []string {
	switch p.Action {
	case ActionCreate:
		return []string{"profile", "scope"}
	case ActionNone:
		return nil
	}
	var parts []string
	if len(p.General) > 0 {
		parts = append(parts, "general")
	}
	if len(p.Payload) > 0 {
		parts = append(parts, "payload")
	}
	if len(p.Scope) > 0 {
		parts = append(parts, "scope")
	}
	return parts
}

// ChangeSummary counts the changes by kind, so that no count reads as a
// number of Macs: "23 payload field(s), 2 scope target(s)"; kinds without
// changes are left out, and "no changes" when there are none. A scope
// target is one computer, group, building or department added to or
// removed from a scope list, not a Mac.
func (p *Plan) ChangeSummary() string {
	targets := 0
	for _, s := range p.Scope {
		targets += len(s.Added) + len(s.Removed)
	}
	var parts []string
	for _, c := range []struct {
		n    int
		noun string
	}{
		{len(p.General), "general field(s)"},
		{len(p.Payload), "payload field(s)"},
		{targets, "scope target(s)"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.noun))
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

// ChangeCount is the number of changed fields and scope targets.
func (p *Plan) ChangeCount() int {
	n := len(p.General) + len(p.Payload)
	for _, s := range p.Scope {
		n += len(s.Added) + len(s.Removed)
	}
	return n
}
