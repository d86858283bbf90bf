package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// MaskURLSecrets returns s with the credentials a URL in it may carry
// replaced by [Text]: the userinfo of every absolute URL
// ("https://user:password@host/..." becomes "https://(sensitive)@host/...",
// RFC 3986 section 3.2.1 deprecates a password there but clients still
// send one) and the value of every query parameter whose name
// [LooksSecret] ("?token=..."). s may be a URL or text holding URLs. It
// is the URL half of the one secret rule: a value read from Jamf is masked
// by pkg/profile's SecretRule when its key is secret, and by MaskURLSecrets whatever
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
		rest = Text + rest[at:]
		end = end - at + len(Text)
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
		if m[3] == "" || m[3] == Text || !LooksSecret(name) {
			return p
		}
		return m[1] + m[2] + "=" + Text
	})
	return u[:i] + head + query
}
