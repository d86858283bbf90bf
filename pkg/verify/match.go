package verify

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// matcher matches certificates against a Subject template's last CN.
type matcher struct {
	cn   string // the template's last CN value; "" when the Subject has none
	rule profile.IdentifierRule
}

func newMatcher(s profile.Subject, rule profile.IdentifierRule) matcher {
	m := matcher{rule: rule}
	for _, rdn := range s {
		for _, a := range rdn {
			if a.Type == "CN" || a.Type == "2.5.4.3" {
				m.cn = a.Value
			}
		}
	}
	return m
}

var variableRE = regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`)

// cnMatch reports whether a certificate CN matches for one Mac.
type cnMatch func(cn string) bool

// forMac returns the CN test for one Mac's variables. The common case (no
// $PROFILE_IDENTIFIER in the template) compares strings; a template that
// names the variable compiles a pattern, where it stands for one token
// without spaces.
func (m matcher) forMac(vars map[string]string) cnMatch {
	var b strings.Builder
	var parts []string // literal text around each identifier variable
	last := 0
	for _, loc := range variableRE.FindAllStringIndex(m.cn, -1) {
		b.WriteString(m.cn[last:loc[0]])
		last = loc[1]
		name := m.cn[loc[0]:loc[1]]
		v, ok := vars[strings.TrimPrefix(name, "$")]
		switch {
		case m.rule.Variable != "" && name == m.rule.Variable:
			parts = append(parts, b.String())
			b.Reset()
		case ok && profile.KnownVariable(name):
			b.WriteString(v)
		default:
			b.WriteString(name) // Jamf leaves it as text
		}
	}
	b.WriteString(m.cn[last:])
	if parts != nil {
		var re strings.Builder
		re.WriteString("^")
		for _, p := range parts {
			re.WriteString(regexp.QuoteMeta(p) + `\S+`)
		}
		re.WriteString(regexp.QuoteMeta(b.String()) + "$")
		return regexp.MustCompile(re.String()).MatchString
	}
	want := b.String()
	appends := m.rule.Placement == profile.PlacementAppendLastCN
	sep := m.rule.Separator
	return func(cn string) bool {
		if cn == want {
			return true
		}
		rest, ok := strings.CutPrefix(cn, want+sep)
		return appends && ok && rest != "" && !strings.ContainsFunc(rest, unicode.IsSpace)
	}
}

// best returns the matching certificate with the private key and the
// latest expiry.
func (m matcher) best(certs []jamf.Certificate, vars map[string]string) (jamf.Certificate, bool) {
	if m.cn == "" || len(certs) == 0 {
		return jamf.Certificate{}, false
	}
	match := m.forMac(vars)
	var best jamf.Certificate
	found := false
	for _, c := range certs {
		cn := c.CommonName
		if cn == "" {
			cn = subjectCN(c.SubjectName)
		}
		if !match(cn) {
			continue
		}
		if !found || better(c, best) {
			best, found = c, true
		}
	}
	if found && best.CommonName == "" {
		best.CommonName = subjectCN(best.SubjectName)
	}
	return best, found
}

func better(a, b jamf.Certificate) bool {
	if a.Identity != b.Identity {
		return a.Identity
	}
	return a.ExpirationDate.After(b.ExpirationDate.Time)
}

// subjectCN extracts the CN value from a subject name in the slash form
// ("/O=y/CN=x") or the RFC 4514 form ("CN=x,O=y"). Jamf does not document
// which it reports, so both are read; a value holding the separator is cut
// short there.
func subjectCN(s string) string {
	sep := ","
	if strings.HasPrefix(s, "/") {
		sep = "/"
	}
	for part := range strings.SplitSeq(s, sep) {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "CN") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
