// Package config reads, checks and writes the jamf-scep config file: the
// Okta Device Access profile, its Jamf Pro scope and the tenants to apply it
// to, with per-tenant overrides.
//
// The file is YAML with snake_case keys and `version: 1`; the shape is the
// one every jamf-scep package agreed on (examples/okta-device-access.yaml
// documents each field). Reading is strict: an unknown key is an error with
// a "did you mean". Secrets are references ([secret.Ref]: env:NAME,
// file:PATH, keychain:SERVICE/ACCOUNT), never literals.
//
// The flow a command follows:
//
//	path, explicit := config.Locate(flagConfig, os.LookupEnv)
//	cfg, err := config.Load(path)        // syntax, unknown keys, types, secret refs
//	err = config.ApplyEnv(cfg, os.LookupEnv)
//	// ... apply flags ...
//	err = cfg.Validate()                 // every semantic problem at once
//	eff, err := cfg.Effective("prod")    // overrides merged field by field
//
// # Precedence
//
// A setting given in several places takes the first of, in order:
//
//	flag          --profile-name, --scep-url, --config, ...
//	environment   the variables of [EnvVars] (JAMF_URL, ...)
//	config file   this package's [Config]
//	default       the preset (profiles/) or the command's default
//
// [Pick] is that rule as code; [ApplyEnv] applies the environment layer.
package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Version is the only config file version this package reads.
const Version = 1

// Config is a whole config file. Build one in code (the wizard) or with
// [Load]/[Parse]; check it with [Config.Validate].
type Config struct {
	// Version is the file format version; must be [Version].
	Version int `yaml:"version"`
	// Profile describes the configuration profile to build.
	Profile Profile `yaml:"profile"`
	// Scope is the profile's Jamf Pro scope.
	Scope Scope `yaml:"scope"`
	// Tenants are the Jamf Pro servers to apply to, in file order.
	Tenants []Tenant `yaml:"tenants"`
	// Rollout lists the rings `jamf-scep rollout` widens the scope
	// through; nil when the file has no rollout section.
	Rollout *Rollout `yaml:"rollout"`

	// source names where the config came from (a path), for messages.
	source string
	// lines maps a field path ("tenants[0].auth.client_secret") to the YAML
	// line of its key; empty for a config built in code.
	lines map[string]int
	// fromEnv maps a field path to the environment variable [ApplyEnv]
	// took it from, for messages.
	fromEnv map[string]string
	// fromFlag maps a field path to the flag a command set it from
	// ([Config.SetByFlag]).
	fromFlag map[string]string
}

// Profile is the `profile` section, and the shape of a tenant's
// `overrides.profile`. Empty fields mean "not set": the preset's default for
// the base profile, the base value for an override.
type Profile struct {
	// Preset names an embedded preset in profiles/ (default
	// okta-device-access).
	Preset string `yaml:"preset"`
	// Name is the Jamf profile name, also the top-level PayloadDisplayName.
	Name string `yaml:"name"`
	// Description is the Jamf description / PayloadDescription.
	Description string `yaml:"description"`
	// Organization is PayloadOrganization.
	Organization string `yaml:"organization"`
	// Identifier is the top-level PayloadIdentifier when building offline,
	// reverse-DNS ("com.acme.okta-device-access").
	Identifier string `yaml:"identifier"`
	// Category is an optional Jamf category name.
	Category string `yaml:"category"`
	// Site is an optional Jamf site name.
	Site string `yaml:"site"`
	// JamfDialect is an optional path to a dialect override file (how Jamf
	// stores the settings it does not publish; docs/jamf-behavior.md,
	// 'Unknowns').
	JamfDialect string `yaml:"jamf_dialect"`
	// SCEP is the com.apple.security.scep payload.
	SCEP SCEP `yaml:"scep"`
}

// SCEP is `profile.scep`: the settings of the SCEP payload.
type SCEP struct {
	// URL is the Okta SCEP URL
	// (https://ORG.okta.com/pki/<40-hex CA id>/scep/<RA id>).
	URL string `yaml:"url"`
	// Name is the payload's Name (the CA name shown on the Mac).
	Name string `yaml:"name"`
	// Subject is the Subject template, e.g. "CN=$COMPUTERNAME ma $UDID".
	Subject string `yaml:"subject"`
	// KeySize is the RSA key size in bits: 2048 or 4096; 0 means the
	// preset's (2048).
	KeySize int `yaml:"key_size"`
	// RedistributeDays is how many days before expiry Jamf redistributes
	// the profile: 1..364; 0 means the preset's (30).
	RedistributeDays int `yaml:"redistribute_days"`
	// Challenge says how the Mac gets its SCEP challenge.
	Challenge Challenge `yaml:"challenge"`
}

// Challenge types.
const (
	// ChallengeDynamic is Jamf's "Dynamic-Microsoft CA": Jamf fetches a
	// one-time challenge per Mac from URL with Username and Password.
	ChallengeDynamic = "dynamic-microsoft-ca"
	// ChallengeStatic is Okta static SCEP: one shared Secret in Challenge.
	ChallengeStatic = "static"
)

// Challenge is `profile.scep.challenge`.
type Challenge struct {
	// Type is [ChallengeDynamic] or [ChallengeStatic]; empty means the
	// preset's (dynamic-microsoft-ca).
	Type string `yaml:"type"`
	// URL is the Okta Challenge URL ("URL To SCEP Admin"); dynamic only.
	URL string `yaml:"url"`
	// Username is the Okta challenge username (okta-XXXXXX); dynamic only.
	Username string `yaml:"username"`
	// Password is the Okta challenge password; dynamic only.
	Password secret.Ref `yaml:"password"`
	// Secret is the static challenge; static only.
	Secret secret.Ref `yaml:"secret"`
}

// Scope is the `scope` section and a tenant's `overrides.scope`. A category
// that is present (a non-nil slice, even empty, or a non-nil AllComputers)
// is owned: apply makes Jamf match it exactly. A nil category is left as
// Jamf has it.
type Scope struct {
	// AllComputers scopes the profile to every computer.
	AllComputers *bool `yaml:"all_computers"`
	// Computers are computer names, serial numbers or UDIDs.
	Computers []string `yaml:"computers"`
	// ComputerGroups are smart or static computer group names.
	ComputerGroups []string `yaml:"computer_groups"`
	// Buildings are building names.
	Buildings []string `yaml:"buildings"`
	// Departments are department names.
	Departments []string `yaml:"departments"`
	// Exclusions are targets excluded from the scope.
	Exclusions Exclusions `yaml:"exclusions"`
}

// Exclusions is `scope.exclusions`; nil and empty mean what they mean in
// [Scope].
type Exclusions struct {
	Computers      []string `yaml:"computers"`
	ComputerGroups []string `yaml:"computer_groups"`
	Buildings      []string `yaml:"buildings"`
	Departments    []string `yaml:"departments"`
}

// Tenant is one Jamf Pro server in `tenants`.
type Tenant struct {
	// Name is the tenant's short name: [a-z0-9-], unique in the file.
	Name string `yaml:"name"`
	// URL is the Jamf Pro base URL (https; http only for loopback).
	URL string `yaml:"url"`
	// Auth holds exactly one kind of credentials.
	Auth Auth `yaml:"auth"`
	// ProfileID pins the Jamf profile id; 0 means find it by name.
	ProfileID int `yaml:"profile_id"`
	// Overrides change the profile and scope for this tenant.
	Overrides Overrides `yaml:"overrides"`
}

// Auth is a tenant's credentials: either an API client (ClientID and
// ClientSecret, OAuth client credentials) or a user account (Username and
// Password), never both.
type Auth struct {
	// ClientID is the Jamf API client id (not a secret).
	ClientID string `yaml:"client_id"`
	// ClientSecret refers to the API client secret.
	ClientSecret secret.Ref `yaml:"client_secret"`
	// Username is a Jamf Pro user account.
	Username string `yaml:"username"`
	// Password refers to that account's password.
	Password secret.Ref `yaml:"password"`
}

// AuthKind says which credentials an [Auth] holds.
type AuthKind int

// Auth kinds.
const (
	// AuthNone is an Auth with neither kind complete.
	AuthNone AuthKind = iota
	// AuthClient is OAuth client credentials (POST /api/v1/oauth/token).
	AuthClient
	// AuthUser is a user account (POST /api/v1/auth/token with Basic).
	AuthUser
)

// Kind returns the credentials kind a valid Auth holds; AuthNone when
// neither pair is complete.
func (a Auth) Kind() AuthKind {
	switch {
	case a.ClientID != "" && !a.ClientSecret.IsZero():
		return AuthClient
	case a.Username != "" && !a.Password.IsZero():
		return AuthUser
	}
	return AuthNone
}

// Overrides is a tenant's `overrides`: the same shape as the top-level
// profile and scope, merged field by field by [Config.Effective].
type Overrides struct {
	Profile Profile `yaml:"profile"`
	Scope   Scope   `yaml:"scope"`
}

// Source returns where the config was read from (the path given to [Load]
// or the source given to [Parse]); "" for a config built in code.
func (c *Config) Source() string { return c.source }

// Load reads and parses the config file at path (see [Parse]). A missing
// file is an error wrapping fs.ErrNotExist.
func Load(path string) (*Config, error) {
	data, err := readFile(path)
	if isTooLarge(err) {
		return nil, loadTooLarge(path)
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(data, path)
}

// CheckFile reports every problem of the config file at path in one pass,
// as `config validate` promises: the structure's (Parse: unknown keys,
// types, literal secrets) and then the values' ([Config.Validate], after
// the environment layer, [ApplyEnv] with lookup) of what decoded. A value
// problem on a field (or under a field) the structure already reported
// is left out: a refused literal password is not also "missing". The
// error is Problems, structure first; nil when the file is valid. A file
// that cannot be read, or YAML that does not read as one version-1
// mapping, gives that problem alone.
func CheckFile(path string, lookup func(string) (string, bool)) error {
	data, err := readFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	c, parsed := parse(data, path)
	if c == nil {
		return parsed
	}
	if err := ApplyEnv(c, lookup); err != nil {
		return err
	}
	return validateAll(c, parsed)
}

func validateAll(c *Config, parsed error) error {
	var all Problems
	if parsed != nil {
		if !errors.As(parsed, &all) || c == nil {
			return parsed
		}
	}
	var values Problems
	if err := c.Validate(); err != nil && !errors.As(err, &values) {
		return err
	}
	for _, v := range values {
		if !reported(all, v.Field) {
			all = append(all, v)
		}
	}
	if len(all) == 0 {
		return nil
	}
	return all
}

// reported says whether field, or a field it is under or above, is in ps.
func reported(ps Problems, field string) bool {
	for _, p := range ps {
		if p.Field == "" || field == "" {
			continue
		}
		if p.Field == field || strings.HasPrefix(field, p.Field+".") || strings.HasPrefix(p.Field, field+".") {
			return true
		}
	}
	return false
}
