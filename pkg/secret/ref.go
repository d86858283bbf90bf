package secret

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Kind says where a [Ref] points.
type Kind int

// The three places a secret can live.
const (
	// Env is an environment variable: env:NAME.
	Env Kind = iota + 1
	// File is a file holding only the secret: file:PATH.
	File
	// Keychain is an item in the OS keychain (macOS Keychain, Linux Secret
	// Service, Windows Credential Manager): keychain:SERVICE/ACCOUNT.
	Keychain
	// Given is a secret given to this run directly, on standard input or in
	// a file a flag names (--password-stdin, --password-file), and held in
	// memory ([GivenRef]). It is the flag layer over a config's reference;
	// it has no text form and is never written to a config file.
	Given
)

// String returns the reference prefix: "env", "file" or "keychain".
func (k Kind) String() string {
	switch k {
	case Env:
		return "env"
	case File:
		return "file"
	case Keychain:
		return "keychain"
	case Given:
		return "given"
	}
	return "unknown"
}

// Forms lists the accepted reference forms, for messages.
const Forms = "env:NAME, file:PATH or keychain:SERVICE/ACCOUNT"

// Ref names where a secret lives. It is not itself secret: String returns the
// reference as written ("env:JAMF_CLIENT_SECRET"). The zero Ref is "no
// reference" ([Ref.IsZero]).
type Ref struct {
	kind Kind
	// name is the variable name, the file path or the keychain service.
	name string
	// account is the keychain account; empty for the other kinds.
	account string
	// given is the secret of a Given reference; name is then the flag
	// that gave it.
	given Value
}

// GivenRef returns a reference holding v, a secret the user gave to this
// run through flag ("--password-stdin"); it resolves to v without I/O and
// prints as flag. v must not be empty.
func GivenRef(v Value, flag string) Ref { return Ref{kind: Given, name: flag, given: v} }

// RefError is the error [ParseRef] returns. It never contains the text it
// was given, which may be a literal secret.
type RefError struct {
	// Problem says what is wrong ("looks like a literal secret").
	Problem string
	// Fix says what to write instead.
	Fix string
}

// Error returns "problem; fix".
func (e *RefError) Error() string { return e.Problem + "; " + e.Fix }

// ParseRef parses a secret reference:
//
//	env:NAME                  NAME matches [A-Za-z_][A-Za-z0-9_]*
//	file:PATH                 PATH is any non-empty path
//	keychain:SERVICE/ACCOUNT  split at the first "/"; both parts non-empty
//
// Anything else is a *[RefError] naming the three forms; a value that looks
// like a literal secret gets "put it in an env var and write env:NAME". The
// error never repeats s.
func ParseRef(s string) (Ref, error) {
	prefix, rest, ok := strings.Cut(s, ":")
	if !ok || !isWord(prefix) {
		return Ref{}, literalError()
	}
	switch prefix {
	case "env":
		if !isEnvName(rest) {
			return Ref{}, &RefError{
				Problem: "env: needs a variable name of letters, digits and underscores",
				Fix:     "write env:NAME, for example env:OKTA_SCEP_PASSWORD",
			}
		}
		return Ref{kind: Env, name: rest}, nil
	case "file":
		if rest == "" {
			return Ref{}, &RefError{Problem: "file: needs a path", Fix: "write file:PATH, for example file:/etc/jamf-scep/okta-password"}
		}
		return Ref{kind: File, name: rest}, nil
	case "keychain":
		service, account, _ := strings.Cut(rest, "/")
		if service == "" || account == "" {
			return Ref{}, &RefError{Problem: "keychain: needs a service and an account", Fix: "write keychain:SERVICE/ACCOUNT, for example keychain:jamf-scep/prod"}
		}
		return Ref{kind: Keychain, name: service, account: account}, nil
	}
	if k, ok := closeKind(prefix); ok {
		return Ref{}, &RefError{
			Problem: "unknown secret reference kind",
			Fix:     "did you mean " + k + ":? write " + Forms,
		}
	}
	return Ref{}, literalError()
}

func literalError() *RefError {
	return &RefError{
		Problem: "looks like a literal secret, and secrets are never written in the config",
		Fix:     "put it in an env var and write env:NAME (or use " + Forms + ")",
	}
}

// MustParseRef is [ParseRef] for references fixed at compile time; it panics
// on error.
func MustParseRef(s string) Ref {
	r, err := ParseRef(s)
	if err != nil {
		panic("secret.MustParseRef: " + err.Error())
	}
	return r
}

// EnvRef returns the reference env:NAME. It panics if name is not a valid
// variable name (a programming error).
func EnvRef(name string) Ref { return MustParseRef("env:" + name) }

// Kind returns where the secret lives; 0 for the zero Ref.
func (r Ref) Kind() Kind { return r.kind }

// Name returns the environment variable name, the file path or the keychain
// service.
func (r Ref) Name() string { return r.name }

// Account returns the keychain account, or "" for other kinds.
func (r Ref) Account() string { return r.account }

// IsZero reports whether r is the zero Ref (no reference).
func (r Ref) IsZero() bool { return r.kind == 0 }

// String returns the reference as written in a config file, or "" for the
// zero Ref.
func (r Ref) String() string {
	switch r.kind {
	case Env, File:
		return r.kind.String() + ":" + r.name
	case Keychain:
		return "keychain:" + r.name + "/" + r.account
	case Given:
		return r.name
	}
	return ""
}

// MarshalText encodes r as [Ref.String]. A [Given] reference is an error:
// a secret given to one run is never written to a config file.
func (r Ref) MarshalText() ([]byte, error) {
	if r.kind == Given {
		return nil, fmt.Errorf("the secret given by %s is not written to a config; write an %s reference", r.name, Forms)
	}
	return []byte(r.String()), nil
}

// UnmarshalText parses text with [ParseRef].
func (r *Ref) UnmarshalText(text []byte) error {
	v, err := ParseRef(string(text))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

func isWord(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// closeKind returns the known kind within two edits of prefix ("evn" ->
// "env"), so a typo is reported as a typo rather than as a literal.
func closeKind(prefix string) (string, bool) {
	for _, k := range []string{"env", "file", "keychain"} {
		if levenshtein.ComputeDistance(prefix, k) <= 2 && len(prefix) >= 2 {
			return k, true
		}
	}
	return "", false
}
