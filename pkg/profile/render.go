package profile

import (
	"bytes"
	"fmt"

	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// RenderOptions control [Profile.MarshalFile] and [Profile.MarshalWire].
type RenderOptions struct {
	// Dialect places Jamf's own settings; nil means [DefaultDialect].
	Dialect *Dialect
	// IncludeSecrets writes the password and static challenge. Without it
	// they are left out and [Profile.Secrets] says which.
	IncludeSecrets bool
}

// SecretField names a secret the profile holds, in the config vocabulary.
type SecretField struct {
	Field string // "profile.scep.challenge.password"
	What  string // "the SCEP admin password"
}

// Secrets lists the secrets the profile holds (set, non-empty), in a fixed
// order. A rendering without IncludeSecrets leaves exactly these out, so
// the command can warn what is missing and how to add it.
func (p *Profile) Secrets() []SecretField {
	var out []SecretField
	if !p.Jamf.Password.IsZero() {
		out = append(out, SecretField{FieldPassword, "the SCEP admin password (dynamic challenge)"})
	}
	if !p.SCEP.Content.Challenge.IsZero() {
		out = append(out, SecretField{FieldChallenge, "the static SCEP challenge"})
	}
	return out
}

// HasSecrets reports whether the profile holds a secret; a rendering with
// IncludeSecrets must then be written with mode 0600.
func (p *Profile) HasSecrets() bool { return len(p.Secrets()) > 0 }

// MarshalFile renders the profile as an XML plist for a .mobileconfig file:
// keys sorted, tab indent, trailing newline. Same profile, same bytes.
func (p *Profile) MarshalFile(o RenderOptions) ([]byte, error) {
	b, err := plist.MarshalIndent(p.plistDicts(dialectOr(o.Dialect), o.IncludeSecrets), plist.XMLFormat, "\t")
	if err != nil {
		return nil, fmt.Errorf("render profile: %w", err)
	}
	return append(b, '\n'), nil
}

// MarshalWire renders the compact XML plist sent to Jamf Pro: no
// whitespace-only text between tags (Jamf turns it into phantom empty
// arrays in the Subject; docs/jamf-behavior.md, 'Phantom arrays'); text
// inside <string> is
// never touched. The Jamf client wraps it for the Classic API.
func (p *Profile) MarshalWire(o RenderOptions) ([]byte, error) {
	b, err := plist.Marshal(p.plistDicts(dialectOr(o.Dialect), o.IncludeSecrets), plist.XMLFormat)
	if err != nil {
		return nil, fmt.Errorf("render profile: %w", err)
	}
	// The encoder writes the body without whitespace but puts the XML
	// declaration and doctype on their own lines; join the prolog only, so
	// the body (and every string in it) stays exactly as encoded.
	i := bytes.Index(b, []byte("<plist"))
	if i < 0 {
		return nil, fmt.Errorf("render profile: encoder wrote no <plist> element")
	}
	prolog := bytes.ReplaceAll(b[:i], []byte("\n"), nil)
	return append(prolog, b[i:]...), nil
}

func dialectOr(d *Dialect) *Dialect {
	if d == nil {
		return DefaultDialect()
	}
	return d
}

// secretOrZero wraps a decoded secret; an absent one is the zero Value.
func secretOrZero(s string) secret.Value {
	if s == "" {
		return secret.Value{}
	}
	return secret.New(s)
}
