package profile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/profiles"
)

// Location names the dictionary a Jamf dialect key lives in.
type Location string

// Locations a [DialectField] may name.
const (
	LocationProfile Location = "profile" // the outer Configuration dictionary
	LocationPayload Location = "payload" // the com.apple.security.scep payload dictionary
	LocationContent Location = "content" // that payload's PayloadContent dictionary
)

// ValueType is how a dialect value is written in the plist.
type ValueType string

// Value types a [DialectField] may name.
const (
	TypeString  ValueType = "string"
	TypeInteger ValueType = "integer"
)

// DialectField says where and how one Jamf-specific setting is written.
// An empty Key means the setting is not written.
type DialectField struct {
	Location Location                 `yaml:"location"`
	Key      string                   `yaml:"key"`
	Type     ValueType                `yaml:"type"`
	Values   map[ChallengeType]string `yaml:"values,omitempty"` // challenge_type only
	Secret   bool                     `yaml:"secret,omitempty"` // password only
}

// Placement says where Jamf adds the profile identifier to the Subject.
type Placement string

// Placements an [IdentifierRule] may name.
const (
	// PlacementAppendLastCN: separator and identifier are appended to the
	// last CN value ("CN=Mac-1 ma <udid> 42"); the default reading.
	PlacementAppendLastCN Placement = "append-last-cn"
	// PlacementSeparateCN: an extra RDN CN=<identifier> follows the
	// Subject; that CN holds the identifier alone.
	PlacementSeparateCN Placement = "separate-cn"
	// PlacementNone: Jamf adds nothing.
	PlacementNone Placement = "none"
)

// IdentifierValue says what Jamf substitutes for the profile identifier.
type IdentifierValue string

// Identifier values an [IdentifierRule] may name.
const (
	// IdentifierJamfID is the profile's Jamf id, up to MaxLength digits
	// while unknown, its own digits once known; the default reading.
	IdentifierJamfID IdentifierValue = "jamf-id"
	// IdentifierPayloadIdentifier is the stored top-level
	// PayloadIdentifier: its real length once known, else MaxLength (Jamf
	// replaces it with a UUID, 36 characters, when it creates the profile).
	IdentifierPayloadIdentifier IdentifierValue = "payload-identifier"
	// IdentifierPayloadUUID is the stored top-level PayloadUUID: always
	// 36 characters.
	IdentifierPayloadUUID IdentifierValue = "payload-uuid"
)

// uuidLength is the length of a UUID in its text form (RFC 9562).
const uuidLength = 36

// IdentifierRule describes the $PROFILE_IDENTIFIER Jamf adds to the
// Subject when it redistributes a profile: what it is and where it goes.
// It is inferred, not published (docs/jamf-behavior.md, 'Unknowns').
type IdentifierRule struct {
	Variable  string          `yaml:"variable"`   // "$PROFILE_IDENTIFIER"
	Value     IdentifierValue `yaml:"value"`      // jamf-id | payload-identifier | payload-uuid; "" = jamf-id
	Placement Placement       `yaml:"placement"`  // append-last-cn | separate-cn | none
	Separator string          `yaml:"separator"`  // append-last-cn: text between CN value and identifier
	MaxLength int             `yaml:"max_length"` // characters assumed while the value is unknown

	// StoredIdentifier is the stored profile's top-level PayloadIdentifier
	// when known ([Dialect.WithStored]); not read from the file.
	StoredIdentifier string `yaml:"-"`
}

// DialectFields are the Jamf-specific settings a dialect places.
type DialectFields struct {
	ChallengeType    DialectField `yaml:"challenge_type"`
	ChallengeURL     DialectField `yaml:"challenge_url"`
	Username         DialectField `yaml:"username"`
	Password         DialectField `yaml:"password"`
	RedistributeDays DialectField `yaml:"redistribute_days"`
}

// Dialect is how Jamf Pro is believed to store its own SCEP settings inside
// a profile. It is inferred, not published (docs/jamf-behavior.md,
// 'Unknowns'); the
// embedded default is profiles/jamf-dialect.yaml and users override it with
// `--jamf-dialect FILE` or `profile.jamf_dialect`.
type Dialect struct {
	Version           int            `yaml:"version"`
	Fields            DialectFields  `yaml:"fields"`
	ProfileIdentifier IdentifierRule `yaml:"profile_identifier"`
}

// DefaultDialect returns the embedded dialect, parsed afresh on each call
// (callers may change their copy). The embedded file is tested, so an error
// here is a build defect and panics.
func DefaultDialect() *Dialect {
	d, err := ParseDialect(profiles.JamfDialect())
	if err != nil {
		panic("profile: embedded jamf-dialect.yaml: " + err.Error())
	}
	return d
}

// ParseDialect parses and validates a dialect file (the shape of
// profiles/jamf-dialect.yaml). Unknown fields are errors. The error lists
// every problem, each naming the field and the fix.
func ParseDialect(data []byte) (*Dialect, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var d Dialect
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("jamf dialect: %w (compare with the embedded profiles/jamf-dialect.yaml)", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// namedFields returns the fields with their YAML names, in file order.
func (d *Dialect) namedFields() []struct {
	name string
	f    *DialectField
} {
	return []struct {
		name string
		f    *DialectField
	}{
		{"challenge_type", &d.Fields.ChallengeType},
		{"challenge_url", &d.Fields.ChallengeURL},
		{"username", &d.Fields.Username},
		{"password", &d.Fields.Password},
		{"redistribute_days", &d.Fields.RedistributeDays},
	}
}

// Validate checks the dialect and returns every problem at once.
func (d *Dialect) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("jamf dialect: "+format, a...)) }
	if d.Version != 1 {
		bad("version is %d; this jamf-scep reads version 1", d.Version)
	}
	seen := map[string]string{}
	for _, nf := range d.namedFields() {
		f := nf.f
		if f.Key == "" {
			continue
		}
		switch f.Location {
		case LocationProfile, LocationPayload, LocationContent:
		default:
			bad("fields.%s.location is %q; options are profile, payload, content", nf.name, f.Location)
		}
		if apple := appleKeys(f.Location); apple[f.Key] {
			bad("fields.%s.key %q is an Apple key in %s; pick the key Jamf uses", nf.name, f.Key, f.Location)
		}
		where := string(f.Location) + "/" + f.Key
		if other, dup := seen[where]; dup {
			bad("fields.%s.key %q is also used by fields.%s in %s; keys must be unique", nf.name, f.Key, other, f.Location)
		}
		seen[where] = nf.name
		switch {
		case nf.name == "redistribute_days":
			if f.Type != TypeInteger && f.Type != TypeString {
				bad("fields.%s.type is %q; options are integer, string", nf.name, f.Type)
			}
		case f.Type != TypeString:
			bad("fields.%s.type is %q; it must be string", nf.name, f.Type)
		}
		if nf.name == "challenge_type" {
			for _, m := range []ChallengeType{ChallengeDynamicMicrosoftCA, ChallengeStatic} {
				if _, ok := f.Values[m]; !ok {
					bad("fields.challenge_type.values has no entry for %s; add one (an empty string writes nothing)", m)
				}
			}
			for m := range f.Values {
				if m != ChallengeDynamicMicrosoftCA && m != ChallengeStatic {
					bad("fields.challenge_type.values has unknown mode %q; options are dynamic-microsoft-ca, static", m)
				}
			}
		} else if len(f.Values) > 0 {
			bad("fields.%s.values is only allowed for challenge_type; remove it", nf.name)
		}
		if nf.name == "password" && !f.Secret {
			bad("fields.password.secret must be true; the password is never written to a file unasked")
		} else if nf.name != "password" && f.Secret {
			bad("fields.%s.secret is only allowed for password; remove it", nf.name)
		}
	}
	pi := d.ProfileIdentifier
	if !KnownVariable(pi.Variable) {
		bad("profile_identifier.variable is %q; use $PROFILE_IDENTIFIER (or the variable Jamf shows)", pi.Variable)
	}
	switch pi.Placement {
	case PlacementAppendLastCN, PlacementSeparateCN, PlacementNone:
	default:
		bad("profile_identifier.placement is %q; options are append-last-cn, separate-cn, none", pi.Placement)
	}
	switch pi.Value {
	case "", IdentifierJamfID, IdentifierPayloadIdentifier, IdentifierPayloadUUID:
	default:
		bad("profile_identifier.value is %q; options are jamf-id, payload-identifier, payload-uuid", pi.Value)
	}
	switch {
	case pi.Placement == PlacementNone:
		// nothing is added: no length to assume
	case pi.Value == "" || pi.Value == IdentifierJamfID:
		if pi.MaxLength < 1 || pi.MaxLength > 19 {
			bad("profile_identifier.max_length is %d; give the most digits a Jamf id has, 1..19 (6 is usual)", pi.MaxLength)
		}
	case pi.Value == IdentifierPayloadUUID:
		if pi.MaxLength != uuidLength {
			bad("profile_identifier.max_length is %d; a PayloadUUID is always %d characters", pi.MaxLength, uuidLength)
		}
	case pi.Value == IdentifierPayloadIdentifier:
		if pi.MaxLength < 1 || pi.MaxLength > 255 {
			bad("profile_identifier.max_length is %d; give the PayloadIdentifier length to assume before the profile exists, 1..255 (36: Jamf stores a UUID)", pi.MaxLength)
		}
	}
	return errors.Join(errs...)
}

// WithStored returns a copy of d that knows the stored profile's top-level
// PayloadIdentifier, so a payload-identifier rule counts its real length.
// d is not changed; "" leaves the rule's assumption (MaxLength).
func (d *Dialect) WithStored(payloadIdentifier string) *Dialect {
	c := *d
	c.ProfileIdentifier.StoredIdentifier = payloadIdentifier
	return &c
}

// Describe says in one line which model is in force, for plan and doctor:
// `Jamf id (up to 6 digits) appended to the last CN after " "`.
func (r IdentifierRule) Describe() string {
	var what string
	switch r.Value {
	case IdentifierPayloadUUID:
		what = "PayloadUUID (36 characters)"
	case IdentifierPayloadIdentifier:
		if r.StoredIdentifier != "" {
			what = fmt.Sprintf("PayloadIdentifier (%d characters)", len([]rune(r.StoredIdentifier)))
		} else {
			what = fmt.Sprintf("PayloadIdentifier (%d characters assumed)", r.MaxLength)
		}
	default:
		what = fmt.Sprintf("Jamf id (up to %d digits)", r.MaxLength)
	}
	switch r.Placement {
	case PlacementSeparateCN:
		return what + " in a separate CN after the Subject"
	case PlacementNone:
		return "none: Jamf adds nothing to the Subject"
	}
	return fmt.Sprintf("%s appended to the last CN after %q", what, r.Separator)
}

// identifierLength is the characters the profile identifier adds to the
// last CN value: separator plus the identifier's length. Zero unless the
// placement is append-last-cn.
func (r IdentifierRule) identifierLength(profileID int) int {
	if r.Placement != PlacementAppendLastCN {
		return 0
	}
	return len([]rune(r.Separator)) + r.expansionLength(profileID)
}

// expansionLength is the length of the variable's value alone: a known
// Jamf id's digits or stored PayloadIdentifier's characters, 36 for a
// PayloadUUID, else MaxLength.
func (r IdentifierRule) expansionLength(profileID int) int {
	switch r.Value {
	case IdentifierPayloadUUID:
		return uuidLength
	case IdentifierPayloadIdentifier:
		if r.StoredIdentifier != "" {
			return len([]rune(r.StoredIdentifier))
		}
		return r.MaxLength
	}
	if profileID > 0 {
		return len(strconv.Itoa(profileID))
	}
	return r.MaxLength
}

// field returns the dialect field placed at loc with key, if any.
func (d *Dialect) field(loc Location, key string) (string, *DialectField, bool) {
	for _, nf := range d.namedFields() {
		if nf.f.Key != "" && nf.f.Location == loc && nf.f.Key == key {
			return nf.name, nf.f, true
		}
	}
	return "", nil, false
}

// describe returns "location key" for messages.
func (f DialectField) describe() string {
	return fmt.Sprintf("%q in the %s dictionary", f.Key, strings.ToLower(string(f.Location)))
}
