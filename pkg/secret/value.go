// Package secret holds references to secrets (env:NAME, file:PATH,
// keychain:SERVICE/ACCOUNT), resolves them, and carries the resolved value in
// an opaque type that never prints itself.
//
// A config file names where a secret lives, never the secret: a Jamf API
// client secret, a Jamf account password, the Okta SCEP challenge password
// or a static SCEP challenge. [ParseRef] accepts exactly three forms and
// refuses a literal with the fix; [Ref.Resolve] reads the secret into a
// [Value]; [Store] writes one into the OS keychain for the wizard.
package secret

import (
	"crypto/subtle"
	"fmt"
	"io"
	"log/slog"

	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// Redacted is what a [Value] prints in place of the secret: the one
// redaction text every mask in jamf-scep shows (internal/redact.Text).
const Redacted = redact.Text

// Value is a resolved secret. Every way of printing or encoding it (fmt with
// any verb, log/slog, encoding/json, go.yaml.in/yaml/v3, encoding.TextMarshaler)
// gives [Redacted]; only [Value.Reveal] returns the secret.
//
// The secret sits behind a pointer so that even reflection-based printing of
// a struct holding a Value in an unexported field (which bypasses methods)
// shows an address, not the text. The zero Value is the empty secret.
type Value struct {
	p *string
}

// New wraps s as a secret Value.
func New(s string) Value { return Value{p: &s} }

// Reveal returns the secret text. Call it only where the secret leaves the
// process on purpose (an HTTP Authorization header, a profile written with
// --include-secrets), never to print or log it.
func (v Value) Reveal() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

// IsZero reports whether the secret is empty. It lets YAML omitempty and
// callers test presence without revealing the text.
func (v Value) IsZero() bool { return v.Reveal() == "" }

// Equal reports whether v and w hold the same secret, in constant time with
// respect to their contents, so a plan can say "changed" without showing
// either value.
func (v Value) Equal(w Value) bool {
	return subtle.ConstantTimeCompare([]byte(v.Reveal()), []byte(w.Reveal())) == 1
}

// String returns [Redacted].
func (Value) String() string { return Redacted }

// GoString returns [Redacted] for %#v.
func (Value) GoString() string { return Redacted }

// Format writes [Redacted] for every verb; %q quotes it.
func (Value) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", Redacted)
		return
	}
	_, _ = io.WriteString(f, Redacted)
}

// LogValue implements [slog.LogValuer]: loggers see [Redacted].
func (Value) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalJSON encodes [Redacted] as a JSON string.
func (Value) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText encodes [Redacted]; encoders that use encoding.TextMarshaler
// (XML, map keys) never see the secret.
func (Value) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalYAML implements the go.yaml.in/yaml/v3 Marshaler: [Redacted].
func (Value) MarshalYAML() (any, error) { return Redacted, nil }
