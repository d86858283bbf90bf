package jamf

import (
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A server that quotes the request back in its error page (as some proxies
// and Classic API errors do) must not make the client print a payload
// secret registered with Redact, in any of its escaped forms.
func TestRedactEchoedPayloadSecret(t *testing.T) {
	const secret = `okta&pw"canary"42`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/oauth/token") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"tok-1","token_type":"Bearer","expires_in":300}`)
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusConflict)
		_, _ = io.WriteString(w, "<html><body><p>Error: Unable to update the database: "+html.EscapeString(string(body))+" / "+secret+"</p></body></html>")
	}))
	defer srv.Close()
	c, err := New(srv.URL+"/", OAuthClient("id", "client-secret"))
	if err != nil {
		t.Fatal(err)
	}
	c.Redact(secret)
	_, err = c.CreateProfile(t.Context(), &Profile{General: General{Name: "x", Payloads: `<plist><dict><key>Password</key><string>` + html.EscapeString(secret) + `</string></dict></plist>`}})
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("err = %v, want *Error", err)
	}
	for _, form := range []string{secret, html.EscapeString(secret), "canary"} {
		if strings.Contains(err.Error(), form) || strings.Contains(je.Body, form) {
			t.Errorf("error or body contains %q:\n%v\n%s", form, err, je.Body)
		}
	}
}
