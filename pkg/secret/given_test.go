package secret_test

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// TestGivenRef pins the flag layer of a secret: it resolves to the value
// without reading the environment, a file or the keychain, prints as the
// flag, and is never written to a config file.
func TestGivenRef(t *testing.T) {
	const pw = "given-hunter2"
	ref := secret.GivenRef(secret.New(pw), "--password-stdin")
	res := secret.Resolver{LookupEnv: func(string) (string, bool) {
		t.Error("a given secret looked up the environment")
		return "", false
	}}
	v, err := res.Resolve(t.Context(), ref)
	if err != nil || v.Reveal() != pw {
		t.Errorf("Resolve = %q, %v; want the given secret", v.Reveal(), err)
	}
	if ref.Kind() != secret.Given || ref.IsZero() {
		t.Errorf("Kind = %v, IsZero = %v; want given, not zero", ref.Kind(), ref.IsZero())
	}
	for name, out := range map[string]string{"String": ref.String(), "%v": fmt.Sprintf("%v", ref), "%+v": fmt.Sprintf("%+v", ref), "%#v": fmt.Sprintf("%#v", ref)} {
		if strings.Contains(out, pw) {
			t.Errorf("%s shows the secret: %s", name, out)
		}
	}
	if got := ref.String(); got != "--password-stdin" {
		t.Errorf("String = %q, want the flag", got)
	}
	if b, err := yaml.Marshal(map[string]secret.Ref{"password": ref}); err == nil {
		t.Errorf("yaml.Marshal wrote a given secret to a config: %s", b)
	}
}
