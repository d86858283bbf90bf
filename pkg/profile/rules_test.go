package profile

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzCheckSCEPServiceURL checks the SCEP URL rule on any input: no panic,
// and an accepted URL is absolute https without credentials, query or
// fragment, and its reason never repeats the URL.
func FuzzCheckSCEPServiceURL(f *testing.F) {
	for _, s := range []string{"https://acme.okta.com/pki", "http://127.0.0.1/x", "https://u:p@h/x", "https://h/x?y#z", "%zz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := CheckSCEPServiceURL(raw)
		if p != nil {
			if len(raw) > 8 && (repeats(p.Reason, raw) || repeats(p.Fix, raw)) {
				t.Errorf("the problem repeats the URL: %+v", p)
			}
			return
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			t.Errorf("accepted %q", raw)
		}
	})
}

func repeats(s, sub string) bool { return sub != "" && strings.Contains(s, sub) }
