package profile

import (
	"slices"

	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// SecretRule is the one rule for which plist values are secret, used by
// every command that shows a profile (plan, apply, profile pull, profile
// lint, the dialect report): a value is secret when any key on its path
// LooksSecret or is the dialect's password key, whatever the value's type
// (a string, data, a number, or a whole array or dictionary) and however
// deep it sits.
type SecretRule struct {
	passwordKeys []string
}

// NewSecretRule returns the rule for dialects ds: a key is secret when it
// LooksSecret or is the password key of any of them. A nil dialect, or
// none, stands for [DefaultDialect]. Several dialects serve a capture,
// which may read profiles written under each dialect a run names.
func NewSecretRule(ds ...*Dialect) SecretRule {
	if len(ds) == 0 {
		ds = []*Dialect{nil}
	}
	var r SecretRule
	for _, d := range ds {
		if d == nil {
			d = DefaultDialect()
		}
		if k := d.Fields.Password.Key; k != "" && !slices.Contains(r.passwordKeys, k) {
			r.passwordKeys = append(r.passwordKeys, k)
		}
	}
	return r
}

// IsSecret reports whether the value under key is a secret.
func (r SecretRule) IsSecret(key string) bool {
	return redact.LooksSecret(key) || slices.Contains(r.passwordKeys, key)
}

// Contains reports whether v holds a secret anywhere: a dictionary key,
// at any depth, that IsSecret.
func (r SecretRule) Contains(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if r.IsSecret(k) || r.Contains(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if r.Contains(e) {
				return true
			}
		}
	}
	return false
}
