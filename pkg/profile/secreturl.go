package profile

import (
	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// MaskTree replaces, in place, every secret in a decoded plist tree by
// marker and returns the key paths it masked (profile lint's notation), in
// walk order: every value under a key rule calls secret (whatever its type
// or depth), and every string holding a URL credential
// (redact.MaskURLSecrets), where only the credential is replaced. The walk is
// linear in the tree's size whatever its depth (see [KeyPath]).
func MaskTree(root any, rule SecretRule, marker string) []string {
	var masked []string
	path := NewKeyPath(rule)
	var walk func(v any) (any, bool)
	walk = func(v any) (any, bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				path.PushKey(k)
				if path.Secret() {
					x[k] = marker
					masked = append(masked, path.String())
				} else if nv, ok := walk(val); ok {
					x[k] = nv
					masked = append(masked, path.String())
				}
				path.Pop()
			}
		case []any:
			for i, val := range x {
				path.PushIndex(i)
				if nv, ok := walk(val); ok {
					x[i] = nv
					masked = append(masked, path.String())
				}
				path.Pop()
			}
		case string:
			if s, ok := redact.MaskURLSecrets(x); ok {
				return s, true
			}
		}
		return v, false
	}
	if nv, ok := walk(root); ok {
		_ = nv // a bare string root: the caller holds no reference to update
		masked = append(masked, "")
	}
	return masked
}
