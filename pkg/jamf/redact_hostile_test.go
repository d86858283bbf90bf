package jamf

import (
	"html"
	"strings"
	"testing"
)

// TestNewErrorRedactsAcrossTransformations: a secret that markup, entity
// escaping or whitespace folding changes in a Classic HTML error page never
// survives into the message or the body.
func TestNewErrorRedactsAcrossTransformations(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		page   func(secret string) string
	}{
		{"tag inside the secret, quoted raw", "pa<x>ss-42", func(s string) string { return "<p>Error: bad value " + s + "</p>" }},
		{"entity in the secret, quoted raw", "pw&amp;word-42", func(s string) string { return "<p>Error: bad value " + s + "</p>" }},
		{"entity in the secret, escaped once", "pw&amp;word-42", func(s string) string { return "<p>Error: bad value " + html.EscapeString(s) + "</p>" }},
		{"runs of spaces", "pass   word  42", func(s string) string { return "<p>Error: bad value " + s + "</p>" }},
		{"runs of spaces across a line break", "pass   word  42", func(s string) string {
			return "<p>Error: bad value " + strings.ReplaceAll(s, "   ", "\n  ") + "</p>"
		}},
		{"numeric entities", "secret-42", func(string) string { return "<p>Error: bad value &#115;&#101;cret-42</p>" }},
		{"split by a tag", "secret-42", func(string) string { return "<p>Error: bad value sec<b>ret-42</b></p>" }},
		{"JSON-escaped in an ApiError", "a<b>&c-42", func(string) string {
			return `{"httpStatus":400,"errors":[{"code":"X","description":"bad a\u003cb\u003e\u0026c-42"}]}`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "<html><head><title>Status page</title></head><body>" + tt.page(tt.secret) + "</body></html>"
			if strings.HasPrefix(tt.page(tt.secret), "{") {
				body = tt.page(tt.secret)
			}
			e := newError("POST", "JSSResource/x", 409, []byte(body), secretForms(tt.secret))
			folded := foldSpace(tt.secret)
			for _, field := range []string{e.Message, e.Body, e.Error(), html.UnescapeString(e.Body), tagRE.ReplaceAllString(html.UnescapeString(e.Body), "")} {
				if strings.Contains(field, tt.secret) || strings.Contains(field, folded) || strings.Contains(foldSpace(field), folded) {
					t.Errorf("secret survives in %q", field)
				}
			}
			if !strings.Contains(e.Message, redacted) {
				t.Errorf("message %q has no %s marker", e.Message, redacted)
			}
		})
	}
}

// TestDirectoryResolveRefusesBadIDs: a server id that is not a positive
// integer never becomes a scope ref.
func TestDirectoryResolveRefusesBadIDs(t *testing.T) {
	for _, id := range []string{"0", "-5", "x", "99999999999999999999"} {
		d := &Directory{Buildings: []Building{{ID: id, Name: "HQ"}}}
		got, err := d.Resolve(Names{Buildings: []string{"HQ"}})
		if err == nil || len(got.Buildings) != 0 {
			t.Errorf("id %q: resolved %v, err %v; want a problem naming the id", id, got.Buildings, err)
		}
	}
}

// TestNewErrorCapsServerText: a huge error page gives a message, code and
// body of bounded size.
func TestNewErrorCapsServerText(t *testing.T) {
	huge := strings.Repeat("é", 1<<20)
	for _, body := range []string{
		"<p>Error: " + huge + "</p>",
		`{"error":"` + huge + `","error_description":"` + huge + `"}`,
	} {
		e := newError("GET", "x", 500, []byte(body), nil)
		for name, v := range map[string]string{"message": e.Message, "code": e.Code, "body": e.Body} {
			if len(v) > maxErrorBody+len("...(truncated)") {
				t.Errorf("%s is %d bytes", name, len(v))
			}
		}
	}
}
