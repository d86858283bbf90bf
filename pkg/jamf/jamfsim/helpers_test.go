package jamfsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestServer is New for this package's tests: the server is closed
// when the test ends. (Other packages use jamfsimtest.New; it imports
// this package, so these tests cannot.)
func newTestServer(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := New(opts)
	tb.Cleanup(s.Close)
	return s
}

// fakeClock is a controllable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// client is a raw HTTP client for the simulator with a bearer token.
type client struct {
	t     *testing.T
	s     *Server
	hc    *http.Client
	token string
}

// newClient returns a client with a cookie jar and a token for the
// default API client.
func newClient(t *testing.T, s *Server) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, s: s, hc: &http.Client{Jar: jar}}
	c.token = oauthToken(t, c, DefaultClientID, DefaultClientSecret)
	return c
}

// noJar returns a copy of c without cookies, so every request may land on
// another node.
func (c *client) noJar() *client {
	cp := *c
	cp.hc = &http.Client{}
	return &cp
}

func oauthToken(t *testing.T, c *client, id, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	status, body, _ := c.raw(http.MethodPost, "api/v1/oauth/token", form.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if status != http.StatusOK {
		t.Fatalf("oauth token: status %d, body %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("oauth token: bad body %q: %v", body, err)
	}
	return tok.AccessToken
}

// raw sends a request to the base-relative path rel with headers hdr.
func (c *client) raw(method, rel, body string, hdr map[string]string) (int, string, http.Header) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.s.URL()+rel, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, rel, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// do sends an authenticated request; XML bodies get a text/xml type.
func (c *client) do(method, rel, body string) (int, string) {
	c.t.Helper()
	hdr := map[string]string{"Authorization": "Bearer " + c.token}
	if body != "" {
		hdr["Content-Type"] = "text/xml"
	}
	status, b, _ := c.raw(method, rel, body, hdr)
	return status, b
}

// getJSON GETs rel, requires 200 and decodes the body into v.
func (c *client) getJSON(rel string, v any) {
	c.t.Helper()
	status, body := c.do(http.MethodGet, rel, "")
	if status != http.StatusOK {
		c.t.Fatalf("GET %s: status %d, body %s", rel, status, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		c.t.Fatalf("GET %s: decoding %q: %v", rel, body, err)
	}
}

// wireForm is the one form of <payloads> Jamf stores faithfully: the plist
// in CDATA with every '&' escaped once more and "]]>" split.
func wireForm(plist string) string {
	s := strings.ReplaceAll(plist, "&", "&amp;")
	s = strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>")
	return "<![CDATA[" + s + "]]>"
}

// xmlText escapes s as XML character data, as encoding/xml would.
func xmlText(s string) string { return escapeXML(s) }

func profileXML(name, payloads string) string {
	return "<os_x_configuration_profile><general><name>" + xmlText(name) + "</name>" +
		"<distribution_method>Install Automatically</distribution_method><level>System</level>" +
		"<payloads>" + payloads + "</payloads></general></os_x_configuration_profile>"
}
