package secret

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/zalando/go-keyring"

	"github.com/jamf-scep/jamf-scep/internal/crash"
)

// MaxFileSize is the largest secret file [Resolver.Resolve] reads, in bytes.
// A secret is a password or token; a bigger file is the wrong file.
const MaxFileSize = 64 << 10

// KeychainStore is the part of an OS keychain jamf-scep uses. Service and account
// name the item (macOS: the generic password's service and account).
type KeychainStore interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
}

// OSKeychain is the OS keychain through github.com/zalando/go-keyring: macOS
// Keychain, the Linux Secret Service over D-Bus, Windows Credential Manager.
// Tests switch it to memory with keyring.MockInit.
type OSKeychain struct{}

// Get returns the secret of the item; keyring.ErrNotFound if none exists.
func (OSKeychain) Get(service, account string) (string, error) { return keyring.Get(service, account) }

// Set creates or replaces the item.
func (OSKeychain) Set(service, account, secret string) error {
	return keyring.Set(service, account, secret)
}

// Resolver reads secrets. The zero Resolver uses the process environment,
// the file system and the OS keychain, and refuses secret files that group
// or other can read.
type Resolver struct {
	// LookupEnv reads an environment variable; nil means os.LookupEnv.
	LookupEnv func(name string) (string, bool)
	// Keychain is the keychain to use; nil means OSKeychain.
	Keychain KeychainStore
	// Warn, when set, turns a secret file readable by group or other from an
	// error into a warning passed to Warn (the message names the file and
	// the chmod fix, never the secret).
	Warn func(msg string)
}

// Resolve reads the secret r points to with the zero [Resolver].
func (r Ref) Resolve(ctx context.Context) (Value, error) {
	var res Resolver
	return res.Resolve(ctx, r)
}

// Resolve reads the secret ref points to. Errors start with the reference
// ("env:OKTA_SCEP_PASSWORD: ...") and say how to fix it:
//
//   - env: the variable must be set and non-empty.
//   - file: the file must exist, be a regular file (a FIFO, socket or
//     device is refused before it is opened, as it could block forever),
//     hold at most [MaxFileSize] bytes and, on Unix, not be readable by
//     group or other (chmod 600).
//   - keychain: the item must exist; where no keychain is reachable (no
//     D-Bus session, unsupported OS) the error says to use env: or file:.
//   - given ([GivenRef]): the secret it holds, without I/O.
//
// The text read from env:, file: or keychain: goes through [CleanText]: a
// leading byte order mark and one trailing newline are dropped, and any
// other white space at either end is refused.
//
// ctx bounds the keychain call, which may wait on an unlock prompt.
func (res *Resolver) Resolve(ctx context.Context, ref Ref) (Value, error) {
	if err := ctx.Err(); err != nil {
		return Value{}, err
	}
	var (
		s   string
		err error
	)
	switch ref.kind {
	case Env:
		s, err = res.env(ref)
	case File:
		s, err = res.file(ref)
	case Keychain:
		s, err = res.keychain(ctx, ref)
	case Given:
		return ref.given, nil
	default:
		return Value{}, errors.New("no secret reference; write " + Forms)
	}
	if err == nil {
		s, err = CleanText(s)
	}
	if err != nil {
		return Value{}, &ResolveError{Ref: ref, Err: err}
	}
	return New(s), nil
}

// ResolveError is Resolve's failure to read the secret a reference points
// to: the reference was well formed, but the secret was not there (an
// unset variable, an unreadable file, a missing keychain item). The fix is
// on this machine, not in the tenant's url or credentials.
type ResolveError struct {
	Ref Ref
	Err error // what went wrong, with its own fix ("... is not set; export it ...")
}

// Error reads "env:NAME: environment variable NAME is not set; export it
// or change the reference".
func (e *ResolveError) Error() string { return e.Ref.String() + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *ResolveError) Unwrap() error { return e.Err }

// Fix says how to make the secret available, by the reference's kind.
func (e *ResolveError) Fix() string {
	switch e.Ref.kind {
	case Env:
		return fmt.Sprintf("export %s with the secret in the shell that runs jamf-scep, or change the reference %s in the config", e.Ref.name, e.Ref)
	case File:
		return fmt.Sprintf("write the secret into %s (chmod 600), or change the reference in the config", e.Ref.name)
	case Keychain:
		return fmt.Sprintf("store the secret in the keychain as %s (jamf-scep init does), or use an env: or file: reference", e.Ref)
	}
	return "change the secret reference in the config (" + Forms + ")"
}

func (res *Resolver) env(ref Ref) (string, error) {
	lookup := res.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	s, ok := lookup(ref.name)
	switch {
	case !ok:
		return "", fmt.Errorf("environment variable %s is not set; export it or change the reference", ref.name)
	case s == "":
		return "", fmt.Errorf("environment variable %s is empty; set it to the secret", ref.name)
	}
	return s, nil
}

func (res *Resolver) file(ref Ref) (string, error) {
	b, perm, err := ReadFile(ref.name)
	if err != nil {
		return "", err
	}
	if runtime.GOOS != "windows" && perm&0o077 != 0 {
		msg := fmt.Sprintf("mode %04o lets group or other read the secret; run: chmod 600 %s", perm, ref.name)
		if res.Warn == nil {
			return "", errors.New(msg)
		}
		res.Warn(ref.String() + ": " + msg)
	}
	if len(b) == 0 || string(b) == "\n" || string(b) == "\r\n" {
		return "", errors.New("the file is empty; write the secret into it")
	}
	return string(b), nil
}

func (res *Resolver) keychain(ctx context.Context, ref Ref) (string, error) {
	kc := res.Keychain
	if kc == nil {
		kc = OSKeychain{}
	}
	type result struct {
		s   string
		err error
	}
	// go-keyring takes no context; run it aside so ctx can end the wait on
	// an unlock prompt. The goroutine finishes when the keychain answers.
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() { done <- r }()
		defer crash.Recover(&r.err)
		r.s, r.err = kc.Get(ref.name, ref.account)
	}()
	var r result
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r = <-done:
	}
	switch {
	case errors.Is(r.err, keyring.ErrNotFound):
		return "", fmt.Errorf("no keychain item with service %q and account %q; store it with the setup wizard, or on macOS: security add-generic-password -s %q -a %q -w",
			ref.name, ref.account, ref.name, ref.account)
	case r.err != nil:
		return "", unavailable(r.err)
	case r.s == "":
		return "", errors.New("the keychain item is empty; store the secret in it")
	}
	return r.s, nil
}

func unavailable(err error) error {
	return fmt.Errorf("the OS keychain is not available (%w); where no keychain exists (CI, containers, SSH sessions without D-Bus) use env:NAME or file:PATH instead", err)
}

// Store writes v into the OS keychain under service and account, replacing
// an existing item, and returns the reference to write in the config
// (keychain:SERVICE/ACCOUNT). Service must not contain "/".
func Store(ctx context.Context, service, account string, v Value) (Ref, error) {
	var res Resolver
	return res.Store(ctx, service, account, v)
}

// Store is the package-level [Store] with res's keychain.
func (res *Resolver) Store(ctx context.Context, service, account string, v Value) (Ref, error) {
	ref, err := ParseRef("keychain:" + service + "/" + account)
	if err != nil {
		return Ref{}, err
	}
	if ref.name != service {
		return Ref{}, &RefError{Problem: "keychain service contains /", Fix: "pick a service name without /, for example jamf-scep"}
	}
	if v.IsZero() {
		return Ref{}, errors.New("refusing to store an empty secret in the keychain")
	}
	if err := ctx.Err(); err != nil {
		return Ref{}, err
	}
	kc := res.Keychain
	if kc == nil {
		kc = OSKeychain{}
	}
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer crash.Recover(&err)
		err = kc.Set(service, account, v.Reveal())
	}()
	select {
	case <-ctx.Done():
		return Ref{}, ctx.Err()
	case err = <-done:
	}
	if err != nil {
		return Ref{}, fmt.Errorf("%s: %w", ref, unavailable(err))
	}
	return ref, nil
}
