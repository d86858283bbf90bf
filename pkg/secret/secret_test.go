package secret_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zalando/go-keyring"
	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

const canary = "hunter2-Sup3rSecret"

func TestParseRef(t *testing.T) {
	tests := []struct {
		in      string
		kind    secret.Kind
		name    string
		account string
		wantErr string
	}{
		{in: "env:OKTA_SCEP_PASSWORD", kind: secret.Env, name: "OKTA_SCEP_PASSWORD"},
		{in: "env:_x1", kind: secret.Env, name: "_x1"},
		{in: "file:/etc/jamf-scep/okta", kind: secret.File, name: "/etc/jamf-scep/okta"},
		{in: "file:relative/pw.txt", kind: secret.File, name: "relative/pw.txt"},
		{in: "keychain:jamf-scep/prod", kind: secret.Keychain, name: "jamf-scep", account: "prod"},
		{in: "keychain:svc/a/b", kind: secret.Keychain, name: "svc", account: "a/b"},
		{in: "env:", wantErr: "env: needs a variable name of letters, digits and underscores; write env:NAME, for example env:OKTA_SCEP_PASSWORD"},
		{in: "env:1ABC", wantErr: "env: needs a variable name of letters, digits and underscores; write env:NAME, for example env:OKTA_SCEP_PASSWORD"},
		{in: "env:A-B", wantErr: "env: needs a variable name of letters, digits and underscores; write env:NAME, for example env:OKTA_SCEP_PASSWORD"},
		{in: "file:", wantErr: "file: needs a path; write file:PATH, for example file:/etc/jamf-scep/okta-password"},
		{in: "keychain:svc", wantErr: "keychain: needs a service and an account; write keychain:SERVICE/ACCOUNT, for example keychain:jamf-scep/prod"},
		{in: "keychain:/acct", wantErr: "keychain: needs a service and an account; write keychain:SERVICE/ACCOUNT, for example keychain:jamf-scep/prod"},
		{in: "keychain:svc/", wantErr: "keychain: needs a service and an account; write keychain:SERVICE/ACCOUNT, for example keychain:jamf-scep/prod"},
		{in: "evn:X", wantErr: "unknown secret reference kind; did you mean env:? write env:NAME, file:PATH or keychain:SERVICE/ACCOUNT"},
		{in: "kechain:a/b", wantErr: "unknown secret reference kind; did you mean keychain:? write env:NAME, file:PATH or keychain:SERVICE/ACCOUNT"},
		{in: canary, wantErr: "looks like a literal secret, and secrets are never written in the config; put it in an env var and write env:NAME (or use env:NAME, file:PATH or keychain:SERVICE/ACCOUNT)"},
		{in: "pass:" + canary, wantErr: "looks like a literal secret, and secrets are never written in the config; put it in an env var and write env:NAME (or use env:NAME, file:PATH or keychain:SERVICE/ACCOUNT)"},
		{in: "ENV:X", wantErr: "looks like a literal secret, and secrets are never written in the config; put it in an env var and write env:NAME (or use env:NAME, file:PATH or keychain:SERVICE/ACCOUNT)"},
		{in: "", wantErr: "looks like a literal secret, and secrets are never written in the config; put it in an env var and write env:NAME (or use env:NAME, file:PATH or keychain:SERVICE/ACCOUNT)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ref, err := secret.ParseRef(tt.in)
			if tt.wantErr != "" {
				var re *secret.RefError
				if !errors.As(err, &re) {
					t.Fatalf("ParseRef(%q) error = %v, want *RefError", tt.in, err)
				}
				if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
					t.Errorf("ParseRef(%q) error (-want +got):\n%s", tt.in, diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRef(%q): %v", tt.in, err)
			}
			got := []any{ref.Kind(), ref.Name(), ref.Account(), ref.String()}
			want := []any{tt.kind, tt.name, tt.account, tt.in}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseRef(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestRefTextRoundTrip(t *testing.T) {
	var r secret.Ref
	if err := r.UnmarshalText([]byte("keychain:jamf-scep/prod")); err != nil {
		t.Fatal(err)
	}
	b, err := r.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("keychain:jamf-scep/prod", string(b)); diff != "" {
		t.Errorf("MarshalText (-want +got):\n%s", diff)
	}
	if !(secret.Ref{}).IsZero() || r.IsZero() {
		t.Errorf("IsZero: zero Ref must be zero, parsed Ref must not")
	}
}

func TestResolveEnv(t *testing.T) {
	t.Setenv("JS_TEST_SET", canary)
	t.Setenv("JS_TEST_EMPTY", "")
	tests := []struct {
		ref     string
		want    string
		wantErr string
	}{
		{ref: "env:JS_TEST_SET", want: canary},
		{ref: "env:JS_TEST_EMPTY", wantErr: "env:JS_TEST_EMPTY: environment variable JS_TEST_EMPTY is empty; set it to the secret"},
		{ref: "env:JS_TEST_UNSET_0d1f", wantErr: "env:JS_TEST_UNSET_0d1f: environment variable JS_TEST_UNSET_0d1f is not set; export it or change the reference"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			v, err := secret.MustParseRef(tt.ref).Resolve(t.Context())
			checkResolved(t, v, err, tt.want, tt.wantErr)
		})
	}
}

func checkResolved(t *testing.T, v secret.Value, err error, want, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil {
			t.Fatalf("Resolve succeeded, want error %q", wantErr)
		}
		if diff := cmp.Diff(wantErr, err.Error()); diff != "" {
			t.Errorf("Resolve error (-want +got):\n%s", diff)
		}
		if strings.Contains(err.Error(), canary) {
			t.Errorf("Resolve error contains the secret")
		}
		return
	}
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if v.Reveal() != want {
		// Never print the secret in a failure message: lengths only.
		t.Errorf("Resolve revealed %d bytes, want %d bytes", len(v.Reveal()), len(want))
	}
}

func TestResolveFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not enforced on Windows")
	}
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // umask-proof
			t.Fatal(err)
		}
		return p
	}
	plain := write("plain", canary, 0o600)
	lf := write("lf", canary+"\n", 0o400)
	crlf := write("crlf", canary+"\r\n", 0o600)
	two := write("two", canary+"\n\n", 0o600)
	bom := write("bom", "\ufeff"+canary+"\r\n", 0o600)
	lead := write("lead", " "+canary, 0o600)
	trail := write("trail", canary+"\t\n", 0o600)
	zw := write("zw", canary+"\u200b", 0o600)
	empty := write("empty", "\n", 0o600)
	open := write("open", canary, 0o644)
	group := write("group", canary, 0o640)
	big := write("big", strings.Repeat("x", secret.MaxFileSize+1), 0o600)
	missing := filepath.Join(dir, "missing")

	tests := []struct {
		name    string
		path    string
		want    string
		wantErr string
	}{
		{name: "no newline", path: plain, want: canary},
		{name: "one LF trimmed", path: lf, want: canary},
		{name: "CRLF trimmed", path: crlf, want: canary},
		{name: "only one newline trimmed", path: two, wantErr: "file:" + two + ": the secret ends with white space (U+000A) after the one newline a file may end with; remove it, a secret never has edge white space"},
		{name: "BOM dropped", path: bom, want: canary},
		{name: "leading space", path: lead, wantErr: "file:" + lead + ": the secret starts with white space (U+0020); remove it, a secret never has edge white space"},
		{name: "trailing tab", path: trail, wantErr: "file:" + trail + ": the secret ends with white space (U+0009) after the one newline a file may end with; remove it, a secret never has edge white space"},
		{name: "trailing zero-width space", path: zw, wantErr: "file:" + zw + ": the secret ends with white space (U+200B) after the one newline a file may end with; remove it, a secret never has edge white space"},
		{name: "empty", path: empty, wantErr: "file:" + empty + ": the file is empty; write the secret into it"},
		{name: "world readable", path: open, wantErr: "file:" + open + ": mode 0644 lets group or other read the secret; run: chmod 600 " + open},
		{name: "group readable", path: group, wantErr: "file:" + group + ": mode 0640 lets group or other read the secret; run: chmod 600 " + group},
		{name: "too big", path: big, wantErr: "file:" + big + ": is 65537 bytes, larger than the 65536 jamf-scep reads; the file must hold only the secret"},
		{name: "missing", path: missing, wantErr: "file:" + missing + ": cannot open the secret file: no such file or directory"},
		{name: "directory", path: dir, wantErr: "file:" + dir + ": is a directory, not a regular file; point file: at a regular file that holds only the secret (chmod 600), or use env:NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := secret.MustParseRef("file:" + tt.path).Resolve(t.Context())
			checkResolved(t, v, err, tt.want, tt.wantErr)
		})
	}

	t.Run("warn instead of refuse", func(t *testing.T) {
		var warnings []string
		res := secret.Resolver{Warn: func(msg string) { warnings = append(warnings, msg) }}
		v, err := res.Resolve(t.Context(), secret.MustParseRef("file:"+open))
		checkResolved(t, v, err, canary, "")
		want := []string{"file:" + open + ": mode 0644 lets group or other read the secret; run: chmod 600 " + open}
		if diff := cmp.Diff(want, warnings); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	})
}

// The keychain tests switch go-keyring's global provider, so they do not run
// in parallel.
func TestResolveKeychain(t *testing.T) {
	keyring.MockInit()
	if _, err := secret.Store(t.Context(), "jamf-scep", "prod", secret.New(canary)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref     string
		want    string
		wantErr string
	}{
		{ref: "keychain:jamf-scep/prod", want: canary},
		{ref: "keychain:jamf-scep/dev", wantErr: `keychain:jamf-scep/dev: no keychain item with service "jamf-scep" and account "dev"; store it with the setup wizard, or on macOS: security add-generic-password -s "jamf-scep" -a "dev" -w`},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			v, err := secret.MustParseRef(tt.ref).Resolve(t.Context())
			checkResolved(t, v, err, tt.want, tt.wantErr)
		})
	}

	t.Run("no keychain", func(t *testing.T) {
		keyring.MockInitWithError(errors.New("dbus: DBUS_SESSION_BUS_ADDRESS not set"))
		t.Cleanup(keyring.MockInit)
		v, err := secret.MustParseRef("keychain:jamf-scep/prod").Resolve(t.Context())
		checkResolved(t, v, err, "", "keychain:jamf-scep/prod: the OS keychain is not available (dbus: DBUS_SESSION_BUS_ADDRESS not set); where no keychain exists (CI, containers, SSH sessions without D-Bus) use env:NAME or file:PATH instead")
	})

	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := secret.MustParseRef("keychain:jamf-scep/prod").Resolve(ctx); err == nil {
			t.Errorf("Resolve with a canceled context succeeded")
		}
	})
}

func TestStore(t *testing.T) {
	keyring.MockInit()
	tests := []struct {
		name, service, account string
		value                  secret.Value
		wantRef, wantErr       string
	}{
		{name: "ok", service: "jamf-scep", account: "okta", value: secret.New(canary), wantRef: "keychain:jamf-scep/okta"},
		{name: "empty secret", service: "jamf-scep", account: "okta", value: secret.Value{}, wantErr: "refusing to store an empty secret in the keychain"},
		{name: "slash in service", service: "a/b", account: "c", value: secret.New(canary), wantErr: "keychain service contains /; pick a service name without /, for example jamf-scep"},
		{name: "no account", service: "jamf-scep", account: "", value: secret.New(canary), wantErr: "keychain: needs a service and an account; write keychain:SERVICE/ACCOUNT, for example keychain:jamf-scep/prod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := secret.Store(t.Context(), tt.service, tt.account, tt.value)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Store error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantRef, ref.String()); diff != "" {
				t.Errorf("Store ref (-want +got):\n%s", diff)
			}
			v, err := ref.Resolve(t.Context())
			checkResolved(t, v, err, canary, "")
		})
	}
}

func TestResolveZeroRef(t *testing.T) {
	_, err := secret.Ref{}.Resolve(t.Context())
	if err == nil || err.Error() != "no secret reference; write env:NAME, file:PATH or keychain:SERVICE/ACCOUNT" {
		t.Errorf("Resolve(zero Ref) error = %v", err)
	}
}

// holder is the kind of struct callers keep secrets in.
type holder struct {
	User     string       `json:"user" yaml:"user"`
	Password secret.Value `json:"password" yaml:"password"`
	hidden   secret.Value
	ptr      *secret.Value
}

func TestValueRedaction(t *testing.T) {
	v := secret.New(canary)
	h := holder{User: "okta-abc123", Password: v, hidden: v, ptr: &v}
	outputs := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%T"} {
		outputs["value "+verb] = fmt.Sprintf(verb, v)
		outputs["struct "+verb] = fmt.Sprintf(verb, h)
		outputs["pointer "+verb] = fmt.Sprintf(verb, &h)
	}
	outputs["String"] = v.String()
	outputs["GoString"] = v.GoString()
	outputs["Sprint"] = fmt.Sprint(v, h)
	outputs["Errorf"] = fmt.Errorf("wrapped: %v", v).Error()

	j, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outputs["json"] = string(j)
	y, err := yaml.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outputs["yaml"] = string(y)
	tx, err := v.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	outputs["text"] = string(tx)

	for _, handler := range []string{"text", "json"} {
		var buf bytes.Buffer
		var l *slog.Logger
		if handler == "json" {
			l = slog.New(slog.NewJSONHandler(&buf, nil))
		} else {
			l = slog.New(slog.NewTextHandler(&buf, nil))
		}
		l.Info("login", "password", v, "holder", h, slog.Any("any", v))
		outputs["slog "+handler] = buf.String()
	}

	for name, out := range outputs {
		if strings.Contains(out, canary) || strings.Contains(out, fmt.Sprintf("%x", canary)) {
			t.Errorf("%s leaks the secret (output withheld)", name)
		}
	}
	for _, name := range []string{"value %v", "value %s", "json", "yaml", "slog text", "slog json", "text"} {
		if !strings.Contains(outputs[name], secret.Redacted) {
			t.Errorf("%s = %q, want it to contain %q", name, outputs[name], secret.Redacted)
		}
	}
	if diff := cmp.Diff(`"(sensitive)"`, outputs["value %q"]); diff != "" {
		t.Errorf("%%q (-want +got):\n%s", diff)
	}
	if v.Reveal() != canary {
		t.Errorf("Reveal did not return the secret")
	}
}

func TestValueEqual(t *testing.T) {
	a, b, c := secret.New("one"), secret.New("one"), secret.New("two")
	if !a.Equal(b) || a.Equal(c) || !(secret.Value{}).Equal(secret.New("")) {
		t.Errorf("Equal: want a==b, a!=c, zero==empty")
	}
	if !(secret.Value{}).IsZero() || a.IsZero() {
		t.Errorf("IsZero: want zero Value empty, New(\"one\") not")
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"env:A", "file:/x", "keychain:a/b", "evn:X", "", ":", "keychain:/", canary} {
		f.Add(s)
	}
	// ParseRef's errors come from a fixed set, so they can never carry
	// (part of) a literal secret.
	messages := map[string]bool{}
	for _, s := range []string{"env:", "file:", "keychain:x", "evn:X", "fiel:x", "kechain:x", canary} {
		_, err := secret.ParseRef(s)
		messages[err.Error()] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := secret.ParseRef(s)
		if err != nil {
			if !messages[err.Error()] {
				t.Errorf("unexpected error text %q", err)
			}
			return
		}
		again, err := secret.ParseRef(ref.String())
		if err != nil || again != ref {
			t.Errorf("String does not round-trip: %q -> %q", s, ref.String())
		}
	})
}
