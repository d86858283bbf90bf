package profile

import (
	"net/url"
	"regexp"
	"strings"
)

// URLSecretMarker replaces a credential found inside a URL.
const URLSecretMarker = "[REDACTED]"

// MaskURLSecrets returns s with the credentials a URL in it may carry
// replaced by [URLSecretMarker]: the userinfo of every absolute URL
// ("https://user:password@host/..." becomes "https://[REDACTED]@host/...",
// RFC 3986 section 3.2.1 deprecates a password there but clients still
// send one) and the value of every query parameter whose name
// [LooksSecret] ("?token=..."). s may be a URL or text holding URLs. It
// is the URL half of the one secret rule: a value read from Jamf is masked
// by [SecretRule] when its key is secret, and by MaskURLSecrets whatever
// its key. masked reports whether anything changed.
func MaskURLSecrets(s string) (out string, masked bool) {
	if !strings.Contains(s, "://") {
		return s, false
	}
	out = urlRE.ReplaceAllStringFunc(s, maskOneURL)
	return out, out != s
}

// urlRE matches an absolute URL: a scheme, "://", then everything up to
// white space, a quote or markup.
var urlRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>]*`)

// queryParamRE matches one query parameter "name=value" after its "?",
// "&" or ";".
var queryParamRE = regexp.MustCompile(`([?&;])([^=&;#]*)=([^&;#]*)`)

func maskOneURL(u string) string {
	i := strings.Index(u, "://") + len("://")
	rest := u[i:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		rest = URLSecretMarker + rest[at:]
		end = end - at + len(URLSecretMarker)
	}
	q := strings.IndexByte(rest[end:], '?')
	if q < 0 {
		return u[:i] + rest
	}
	head, query := rest[:end+q], rest[end+q:]
	query = queryParamRE.ReplaceAllStringFunc(query, func(p string) string {
		m := queryParamRE.FindStringSubmatch(p)
		name, err := url.QueryUnescape(m[2])
		if err != nil {
			name = m[2]
		}
		if m[3] == "" || m[3] == URLSecretMarker || !LooksSecret(name) {
			return p
		}
		return m[1] + m[2] + "=" + URLSecretMarker
	})
	return u[:i] + head + query
}

// MaskTree replaces, in place, every secret in a decoded plist tree by
// marker and returns the key paths it masked (profile lint's notation), in
// walk order: every value under a key rule calls secret (whatever its type
// or depth), and every string holding a URL credential
// ([MaskURLSecrets]), where only the credential is replaced. The walk is
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
			if s, ok := MaskURLSecrets(x); ok {
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
