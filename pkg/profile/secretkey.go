package profile

import (
	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// SecretRule is the one rule for which plist values are secret, used by
// every command that shows a profile (plan, apply, profile pull, profile
// lint, the dialect report): a value is secret when any key on its path
// LooksSecret or is the dialect's password key, whatever the value's type
// (a string, data, a number, or a whole array or dictionary) and however
// deep it sits.
type SecretRule struct {
	passwordKey string
}

// NewSecretRule returns the rule for dialect d (nil: [DefaultDialect]).
func NewSecretRule(d *Dialect) SecretRule {
	if d == nil {
		d = DefaultDialect()
	}
	return SecretRule{passwordKey: d.Fields.Password.Key}
}

// IsSecret reports whether the value under key is a secret.
func (r SecretRule) IsSecret(key string) bool {
	return redact.LooksSecret(key) || (r.passwordKey != "" && key == r.passwordKey)
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
