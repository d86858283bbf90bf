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

// Placements a [IdentifierRule] may name.
const (
	PlacementAppendLastCN Placement = "append-last-cn"
	PlacementNone         Placement = "none"
)

// IdentifierRule describes the $PROFILE_IDENTIFIER Jamf adds to the
// Subject when it redistributes a profile (inferred; docs/jamf-behavior.md,
// 'Unknowns').
type IdentifierRule struct {
	Variable  string    `yaml:"variable"`   // "$PROFILE_IDENTIFIER"
	Placement Placement `yaml:"placement"`  // append-last-cn | none
	Separator string    `yaml:"separator"`  // text between CN value and identifier
	MaxLength int       `yaml:"max_length"` // characters assumed while the profile id is unknown
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
	case PlacementAppendLastCN, PlacementNone:
	default:
		bad("profile_identifier.placement is %q; options are append-last-cn, none", pi.Placement)
	}
	if pi.MaxLength < 0 || pi.MaxLength > 64 {
		bad("profile_identifier.max_length is %d; give a character count 0..64", pi.MaxLength)
	}
	return errors.Join(errs...)
}

// identifierLength is the characters the profile identifier adds to the
// last CN value: separator plus digits of profileID when known (> 0), else
// MaxLength. Zero when the placement is none.
func (r IdentifierRule) identifierLength(profileID int) int {
	if r.Placement != PlacementAppendLastCN {
		return 0
	}
	return len([]rune(r.Separator)) + r.expansionLength(profileID)
}

// expansionLength is the length of the variable's value alone.
func (r IdentifierRule) expansionLength(profileID int) int {
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
