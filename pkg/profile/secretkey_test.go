package profile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

func TestSecretRule(t *testing.T) {
	d := DefaultDialect()
	d.Fields.Password.Key = "Admin Word" // a dialect key LooksSecret does not catch
	r := NewSecretRule(d)
	if !r.IsSecret("Admin Word") || !r.IsSecret("Secret") || r.IsSecret("Name") {
		t.Errorf("IsSecret: the dialect's password key and LooksSecret keys are secret, others not")
	}
	for _, tt := range []struct {
		v    any
		want bool
	}{
		{map[string]any{"a": []any{map[string]any{"AuthToken": 1}}}, true},
		{[]any{[]any{map[string]any{"Admin Word": []byte("x")}}}, true},
		{map[string]any{"a": []any{"Secret"}}, false}, // a string value is not a key
		{"Secret", false},
	} {
		if got := r.Contains(tt.v); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestKeyPath(t *testing.T) {
	p := NewKeyPath(NewSecretRule(nil))
	p.PushKey("PayloadContent")
	p.PushIndex(0)
	p.PushKey("PayloadContent")
	if p.Secret() {
		t.Error("no secret key yet")
	}
	p.PushKey("AuthToken")
	p.PushIndex(2)
	p.PushKey("inner")
	if diff := cmp.Diff("PayloadContent[0].PayloadContent.AuthToken[2].inner", p.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !p.Secret() {
		t.Error("under AuthToken: want Secret")
	}
	p.Pop()
	p.Pop()
	p.Pop()
	if p.Secret() {
		t.Error("back above AuthToken: want not Secret")
	}
	top := NewKeyPath(SecretRule{})
	top.PushIndex(1)
	top.PushKey("a")
	if got := top.String(); got != "[1].a" {
		t.Errorf("String() = %q", got)
	}
}

// BenchmarkKeyPathDeep walks 100,000 levels and renders the deepest path
// once: memory is linear in depth (a few MiB), where concatenating the
// path at each level allocated O(depth²) bytes (about 10 GB).
func BenchmarkKeyPathDeep(b *testing.B) {
	const depth = 100_000
	for b.Loop() {
		p := NewKeyPath(SecretRule{})
		for range depth {
			p.PushKey("k")
		}
		if s := p.String(); len(s) != 2*depth-1 || !strings.HasPrefix(s, "k.k") {
			b.Fatal(len(s))
		}
	}
}

// TestLintNeverShowsStoredSecrets pins item 9 of issue 13 for lint: a
// profile carrying secrets under any key, at any depth and of any type,
// gets findings that never quote them.
func TestLintNeverShowsStoredSecrets(t *testing.T) {
	p, _, err := Build(Options{SCEPURL: "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1", ChallengeType: ChallengeStatic, Challenge: secret.New("CANARY-static")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.MarshalFile(RenderOptions{IncludeSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	extra := "<key>Secret</key><string>CANARY-1</string><key>AuthToken</key><data>Q0FOQVJZLTI=</data>" +
		"<key>ChallengeSecret</key><array><string>CANARY-3</string></array>" +
		"<key>Vendor</key><dict><key>Token</key><dict><key>v</key><string>CANARY-4</string></dict></dict>"
	data = []byte(strings.ReplaceAll(string(data), "<key>PayloadType</key>", extra+"<key>PayloadType</key>"))
	fs := Lint(data, LintOptions{})
	if len(fs) == 0 {
		t.Fatal("no findings for unknown keys")
	}
	for _, f := range fs {
		if s := f.String(); strings.Contains(s, "CANARY") || strings.Contains(s, "Q0FOQVJZ") {
			t.Errorf("finding shows a secret: %s", s)
		}
	}
}
