package scepcheck

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// Challenge is a SCEP challenge password (RFC 8894 section 2.2): Okta's
// one-time dynamic challenge or a static shared secret. It is a secret, so
// every way of printing or encoding it (String, Format, GoString, LogValue,
// MarshalJSON, MarshalText) shows only its length; [Challenge.Reveal] is the
// one way to read it and should only feed a CSR.
type Challenge struct {
	value string
}

// NewChallenge wraps a challenge password read from a trusted source.
func NewChallenge(value string) Challenge { return Challenge{value: value} }

// Reveal returns the challenge password itself. Never log or print it.
func (c Challenge) Reveal() string { return c.value }

// Len returns the length of the challenge in bytes; safe to report.
func (c Challenge) Len() int { return len(c.value) }

// IsZero reports whether the challenge is empty.
func (c Challenge) IsZero() bool { return c.value == "" }

// String returns a redacted form such as "[challenge: 32 characters]".
func (c Challenge) String() string {
	return fmt.Sprintf("[challenge: %d characters]", len(c.value))
}

// GoString returns the redacted form, so %#v does not reveal the value.
func (c Challenge) GoString() string { return c.String() }

// Format prints the redacted form for every verb.
func (c Challenge) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue logs the redacted form (log/slog).
func (c Challenge) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON encodes the redacted form as a JSON string.
func (c Challenge) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// MarshalText encodes the redacted form (encoding/xml, YAML and the like).
func (c Challenge) MarshalText() ([]byte, error) { return []byte(c.String()), nil }
