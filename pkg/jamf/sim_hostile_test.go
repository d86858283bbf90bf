package jamf_test

import (
	"crypto/x509"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

var simStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// TestSimTokenEndpointTransient: a token, user-token or keep-alive request
// answered 429, 502, 503, 504 or reset once is sent again after the
// server's Retry-After, at the start of a run and when a token is renewed
// in the middle of one, and the request that needed the token succeeds.
func TestSimTokenEndpointTransient(t *testing.T) {
	oauth := jamf.OAuthClient(simClientID, simClientSecret)
	user := jamf.UserAccount(simUser, simPassword)
	tests := []struct {
		name     string
		creds    jamf.Credentials
		path     string
		midRun   time.Duration // advance the clock this far after a first request
		fault    jamfsim.Fault
		wantWait []time.Duration
	}{
		{"oauth 503 Retry-After 1", oauth, logOAuth, 0, jamfsim.Fault{Status: 503, RetryAfter: time.Second}, []time.Duration{time.Second}},
		{"oauth 429 Retry-After 2", oauth, logOAuth, 0, jamfsim.Fault{Status: 429, RetryAfter: 2 * time.Second}, []time.Duration{2 * time.Second}},
		{"oauth 502", oauth, logOAuth, 0, jamfsim.Fault{Status: 502, RetryAfter: time.Second}, []time.Duration{time.Second}},
		{"oauth 504", oauth, logOAuth, 0, jamfsim.Fault{Status: 504, RetryAfter: time.Second}, []time.Duration{time.Second}},
		{"oauth reset", oauth, logOAuth, 0, jamfsim.Fault{Reset: true, Count: 2}, nil},
		{"oauth refresh mid-run 503", oauth, logOAuth, 5 * time.Minute, jamfsim.Fault{Status: 503, RetryAfter: time.Second}, []time.Duration{time.Second}},
		{"user token 503", user, logUser, 0, jamfsim.Fault{Status: 503, RetryAfter: time.Second}, []time.Duration{time.Second}},
		{"user keep-alive 503 mid-run", user, logKeep, 29*time.Minute + 45*time.Second, jamfsim.Fault{Status: 503, RetryAfter: time.Second}, []time.Duration{time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := jamfsim.NewClock(simStart)
			opts := simOptions(0)
			opts.Now = clock.Now
			sim := jamfsimtest.New(t, opts)
			c := newSimClientCreds(t, sim.URL(), tt.creds, jamf.WithClock(clock))
			if tt.midRun > 0 {
				warm(t, sim, c)
				clock.Advance(tt.midRun)
			}
			f := tt.fault
			f.Method, f.PathPrefix = "POST", tt.path
			sim.InjectFault(f)
			if _, err := c.ListProfiles(t.Context()); err != nil {
				t.Fatalf("ListProfiles through one transient token failure: %v", err)
			}
			if got := sim.Count("POST", tt.path); got < 2 {
				t.Errorf("%d requests to %s, want the failed one sent again", got, tt.path)
			}
			if tt.wantWait != nil {
				if diff := cmp.Diff(tt.wantWait, clock.Slept()); diff != "" {
					t.Errorf("waits (-want +got):\n%s", diff)
				}
			}
			if got := sim.Count("GET", logProfiles); got != 1 {
				t.Errorf("%d profile lists, want 1 (the token failure is not a second retry loop)", got)
			}
		})
	}
}

// TestSimTokenRetryBounded: a token endpoint that keeps failing is tried
// within the policy's attempts and time; Retry-After past the budget ends
// the run instead of sleeping; a refusal (401) is never retried.
func TestSimTokenRetryBounded(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter time.Duration
		attempts   int
	}{
		{"503 every time", 503, 0, jamf.DefaultRetryPolicy.MaxAttempts},
		{"Retry-After one hour", 503, time.Hour, 1},
		{"400 is final", 400, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := jamfsim.NewClock(simStart)
			opts := simOptions(0)
			opts.Now = clock.Now
			sim := jamfsimtest.New(t, opts)
			c := newSimClient(t, sim.URL(), jamf.WithClock(clock))
			sim.InjectFault(jamfsim.Fault{Method: "POST", PathPrefix: logOAuth, Count: 100, Status: tt.status, RetryAfter: tt.retryAfter})
			_, err := c.ListProfiles(t.Context())
			var jerr *jamf.Error
			if !errors.As(err, &jerr) || jerr.StatusCode != tt.status {
				t.Fatalf("err = %v, want a *jamf.Error with status %d", err, tt.status)
			}
			if got := sim.Count("POST", logOAuth); got != tt.attempts {
				t.Errorf("%d token requests, want %d", got, tt.attempts)
			}
			var total time.Duration
			for _, d := range clock.Slept() {
				total += d
			}
			if total > jamf.DefaultRetryPolicy.MaxElapsed {
				t.Errorf("waited %s, more than the %s budget", total, jamf.DefaultRetryPolicy.MaxElapsed)
			}
			if got := sim.Count("GET", logProfiles); got != 0 {
				t.Errorf("%d profile lists sent without a token", got)
			}
		})
	}
}

const xhtmlLogin = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Sign in</title></head>
<body><form action="/login"><input name="user"/></form></body></html>`

// TestSimWrongDocumentIsAnError: a 200 that is not the document asked
// for is an error matching ErrWrongDocument on every Classic and Jamf Pro
// API read, never an empty answer.
func TestSimWrongDocumentIsAnError(t *testing.T) {
	listProfiles := func(c *jamf.Client) error { _, err := c.ListProfiles(t.Context()); return err }
	getProfile := func(c *jamf.Client) error { _, err := c.GetProfile(t.Context(), 1); return err }
	buildings := func(c *jamf.Client) error { _, err := c.Buildings(t.Context()); return err }
	groups := func(c *jamf.Client) error { _, err := c.ComputerGroups(t.Context()); return err }
	members := func(c *jamf.Client) error { _, err := c.ComputerGroupMembers(t.Context(), 1); return err }
	inventory := func(c *jamf.Client) error {
		_, err := c.ComputersInventory(t.Context(), jamf.InventoryQuery{})
		return err
	}
	tests := []struct {
		name   string
		prefix string
		call   func(*jamf.Client) error
		body   string
		ctype  string
	}{
		{"XHTML login page for the profile list", logProfiles, listProfiles, xhtmlLogin, "application/xhtml+xml"},
		{"XHTML login page labelled XML", logProfiles, listProfiles, xhtmlLogin, "application/xml"},
		{"HTML page without type", logProfiles, listProfiles, "<html><body>Sign in</body></html>", ""},
		{"JSON where XML belongs", logProfiles, listProfiles, `{"totalCount":0,"results":[]}`, "application/json"},
		{
			"list size larger than entries", logProfiles, listProfiles,
			`<os_x_configuration_profiles><size>2</size><os_x_configuration_profile><id>1</id><name>a</name></os_x_configuration_profile></os_x_configuration_profiles>`, "application/xml",
		},
		{
			"list size zero with entries", logProfiles, listProfiles,
			`<os_x_configuration_profiles><size>0</size><os_x_configuration_profile><id>1</id><name>a</name></os_x_configuration_profile></os_x_configuration_profiles>`, "application/xml",
		},
		{"list without size", logProfiles, listProfiles, `<os_x_configuration_profiles></os_x_configuration_profiles>`, "application/xml"},
		{
			"list with id 0", logProfiles, listProfiles,
			`<os_x_configuration_profiles><size>1</size><os_x_configuration_profile><id>0</id><name>a</name></os_x_configuration_profile></os_x_configuration_profiles>`, "application/xml",
		},
		{
			"another profile's record", logProfile(1), getProfile,
			`<os_x_configuration_profile><general><id>2</id><name>x</name></general></os_x_configuration_profile>`, "application/xml",
		},
		{"a computer record for a profile", logProfile(1), getProfile, `<computer><general><id>1</id></general></computer>`, "text/xml"},
		{
			"group record of another group", "/JSSResource/computergroups/id/1", members,
			`<computer_group><id>9</id><name>g</name><computers><size>0</size></computers></computer_group>`, "application/xml",
		},
		{
			"group size disagrees", "/JSSResource/computergroups/id/1", members,
			`<computer_group><id>1</id><name>g</name><computers><size>3</size><computer><id>1</id></computer></computers></computer_group>`, "application/xml",
		},
		{"empty object for a page", "/api/v1/buildings", buildings, `{}`, "application/json"},
		{"null for a page", "/api/v1/buildings", buildings, `null`, "application/json"},
		{"XML for a page", "/api/v1/buildings", buildings, `<buildings/>`, "application/xml"},
		{"HTML for groups", "/api/v1/computer-groups", groups, `<html><title>Sign in</title></html>`, "text/html"},
		{"null for groups", "/api/v1/computer-groups", groups, `null`, "application/json"},
		{"object for groups", "/api/v1/computer-groups", groups, `{"results":[]}`, "application/json"},
		{
			"page larger than page-size", "/api/v4/computers-inventory", inventory,
			`{"totalCount":501,"results":[` + strings.Repeat(`{"id":"1"},`, 500) + `{"id":"1"}]}`, "application/json",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, simOptions(0))
			sim.AddProfile(jamfsim.Profile{Name: "a"})
			c := newOffSchemaSimClient(t, sim.URL(), jamf.OAuthClient(simClientID, simClientSecret))
			warm(t, sim, c)
			if _, err := c.Version(t.Context()); err != nil {
				t.Fatal(err)
			}
			sim.InjectFault(jamfsim.Fault{Method: "GET", PathPrefix: tt.prefix, Count: 100, Body: tt.body, ContentType: tt.ctype})
			err := tt.call(c)
			if !errors.Is(err, jamf.ErrWrongDocument) {
				t.Fatalf("err = %v, want ErrWrongDocument", err)
			}
		})
	}
}

// TestSimPagesDisagree: a Jamf Pro API listing whose pages disagree about
// totalCount, or hold fewer or more results than it, is an error.
func TestSimPagesDisagree(t *testing.T) {
	tests := []struct {
		name  string
		pages []string // by page number; later pages repeat the last
	}{
		{"totalCount grows on page 1", []string{page(2, 0, 1), page(3, 1, 1)}},
		{"empty page before totalCount", []string{page(3, 0, 1), page(3, 1, 0)}},
		{"more results than totalCount", []string{page(1, 0, 2)}},
		{"totalCount -1", []string{page(-1, 0, 0)}},
		{"totalCount 10^12", []string{page(1_000_000_000_000, 0, 1)}},
		{"totalCount beyond int64", []string{`{"totalCount":99999999999999999999,"results":[]}`}},
		{"totalCount not a number", []string{`{"totalCount":"3","results":[]}`}},
		{"results not a list", []string{`{"totalCount":0,"results":{}}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, simOptions(0))
			c := newOffSchemaSimClient(t, sim.URL(), jamf.OAuthClient(simClientID, simClientSecret))
			warm(t, sim, c)
			for i, p := range tt.pages {
				n := 1
				if i == len(tt.pages)-1 {
					n = 100
				}
				sim.InjectFault(jamfsim.Fault{Method: "GET", PathPrefix: "/api/v1/departments", Count: n, Body: p, ContentType: "application/json"})
			}
			got, err := c.Departments(t.Context())
			if !errors.Is(err, jamf.ErrWrongDocument) {
				t.Fatalf("got %d departments, err = %v; want ErrWrongDocument", len(got), err)
			}
			if n := sim.Count("GET", "/api/v1/departments"); n > 2 {
				t.Errorf("%d pages read, want at most 2", n)
			}
		})
	}
}

// page is a departments page: totalCount, and n results numbered from
// first.
func page(total int64, first, n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":"%d","name":"D%d"}`, first+i+1, first+i+1)
	}
	return fmt.Sprintf(`{"totalCount":%d,"results":[%s]}`, total, strings.Join(items, ","))
}

// TestSimTokenNumbersBounded: a token answer's expires_in and a body past
// the cap are clear errors or clamped, never a panic or an overflowed
// expiry that makes the client use a dead token.
func TestSimTokenNumbersBounded(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantErr string // "" : the request succeeds
	}{
		{"negative expires_in", `{"access_token":"t","expires_in":-5}`, "expires_in"},
		{"missing expires_in", `{"access_token":"t"}`, "expires_in"},
		{"huge expires_in is clamped", `{"access_token":"t","expires_in":9223372036854775807}`, ""},
		{"body past the cap", `{"access_token":"` + strings.Repeat("x", 70<<10) + `","expires_in":60}`, "larger than"},
		{"HTML page", `<html><title>Sign in</title></html>`, "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := jamfsim.NewClock(simStart)
			opts := simOptions(0)
			opts.Now = clock.Now
			sim := jamfsimtest.New(t, opts)
			c := newOffSchemaSimClient(t, sim.URL(), jamf.OAuthClient(simClientID, simClientSecret), jamf.WithClock(clock))
			sim.InjectFault(jamfsim.Fault{Method: "POST", PathPrefix: logOAuth, Body: tt.body, ContentType: "application/json"})
			_, err := c.ListProfiles(t.Context())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("ListProfiles: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
			}
			if tt.wantErr == "" {
				// The clamped token is replaced within a day, not never.
				clock.Advance(25 * time.Hour)
				sim.ResetRequests()
				if _, err := c.ListProfiles(t.Context()); err != nil {
					t.Fatal(err)
				}
				if n := sim.Count("POST", logOAuth); n != 1 {
					t.Errorf("%d token requests a day later, want 1 (the clamped token replaced)", n)
				}
			}
		})
	}
}

// TestSimWriteOutcome: a create or update that Jamf may have stored is an
// error matching ErrMayHaveApplied; one it refused with 4xx, or one that
// never left, is not.
func TestSimWriteOutcome(t *testing.T) {
	tests := []struct {
		name        string
		fault       jamfsim.Fault
		mayHave     bool
		wantCreated bool
	}{
		{"502 after store", jamfsim.Fault{Status: 502, AfterStore: true}, true, true},
		{"504 after store", jamfsim.Fault{Status: 504, AfterStore: true}, true, true},
		{"reset after store", jamfsim.Fault{Reset: true, AfterStore: true}, true, true},
		{"502 before store", jamfsim.Fault{Status: 502}, true, false},
		{"500", jamfsim.Fault{Status: 500}, true, false},
		{"201 without the id", jamfsim.Fault{Status: 201, Body: "<html>ok</html>", AfterStore: true}, true, true},
		{"409 refused", jamfsim.Fault{Status: 409}, false, false},
		{"400 refused", jamfsim.Fault{Status: 400}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, simOptions(0))
			c := newSimClient(t, sim.URL(), jamf.WithClock(jamfsim.NewClock(simStart)))
			warm(t, sim, c)
			f := tt.fault
			f.Method, f.PathPrefix = "POST", logProfiles
			sim.InjectFault(f)
			_, err := c.CreateProfile(t.Context(), newProfile("Okta SCEP", trickyPlist(t)))
			if err == nil {
				t.Fatal("CreateProfile succeeded through the fault")
			}
			if got := errors.Is(err, jamf.ErrMayHaveApplied); got != tt.mayHave {
				t.Errorf("errors.Is(%v, ErrMayHaveApplied) = %v, want %v", err, got, tt.mayHave)
			}
			if got := len(sim.Profiles()) == 1; got != tt.wantCreated {
				t.Errorf("created = %v, want %v", got, tt.wantCreated)
			}
			if tt.fault.Status >= 400 {
				var jerr *jamf.Error
				if !errors.As(err, &jerr) || jerr.StatusCode != tt.fault.Status {
					t.Errorf("err = %v, want it to wrap the *jamf.Error %d", err, tt.fault.Status)
				}
			}
		})
	}
	t.Run("update 504 after every retry", func(t *testing.T) {
		sim := jamfsimtest.New(t, simOptions(0))
		id := sim.AddProfile(jamfsim.Profile{Name: "Okta SCEP"})
		c := newSimClient(t, sim.URL(), jamf.WithClock(jamfsim.NewClock(simStart)))
		warm(t, sim, c)
		sim.InjectFault(jamfsim.Fault{Method: "PUT", PathPrefix: logProfiles, Count: 100, Status: 504, AfterStore: true})
		err := c.UpdateProfile(t.Context(), id, jamf.ProfileUpdate{General: &jamf.General{Name: "Okta SCEP", Description: "new"}})
		if !errors.Is(err, jamf.ErrMayHaveApplied) {
			t.Errorf("err = %v, want ErrMayHaveApplied", err)
		}
	})
	t.Run("no token: nothing sent", func(t *testing.T) {
		sim := jamfsimtest.New(t, simOptions(0))
		c := newSimClientCreds(t, sim.URL(), jamf.OAuthClient(simClientID, "wrong"))
		_, err := c.CreateProfile(t.Context(), newProfile("Okta SCEP", trickyPlist(t)))
		if err == nil || errors.Is(err, jamf.ErrMayHaveApplied) {
			t.Errorf("err = %v, want a token refusal that is not ErrMayHaveApplied", err)
		}
	})
}

// TestSimRedactEchoedBasicAuth: a user-token endpoint that echoes the
// request (Authorization: Basic base64(user:password)) in its error page
// leaks neither the password nor its Basic value.
func TestSimRedactEchoedBasicAuth(t *testing.T) {
	srv := newEchoServer(t)
	c := newSimClientCreds(t, srv.URL+"/jamf/", jamf.UserAccount(simUser, simPassword))
	_, err := c.ListProfiles(t.Context())
	var jerr *jamf.Error
	if !errors.As(err, &jerr) {
		t.Fatalf("err = %v, want *jamf.Error", err)
	}
	if !strings.Contains(jerr.Body, "Authorization") {
		t.Fatalf("the echo server did not echo: %s", jerr.Body)
	}
	basic := (&http.Request{Header: http.Header{}})
	basic.SetBasicAuth(simUser, simPassword)
	for _, leak := range []string{simPassword, strings.TrimPrefix(basic.Header.Get("Authorization"), "Basic ")} {
		if strings.Contains(err.Error(), leak) || strings.Contains(jerr.Body, leak) || strings.Contains(jerr.Message, leak) {
			t.Errorf("error shows %q:\n%v\n%s", leak, err, jerr.Body)
		}
	}
}

// newEchoServer answers every request 400 with an HTML page quoting the
// request line, headers and body, as some proxies and servlet containers do.
func newEchoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		fmt.Fprintf(&b, "<html><head><title>Bad request</title></head><body><p>Error: bad request</p><pre>%s %s\n", r.Method, r.URL.Path)
		for k, vs := range r.Header {
			for _, v := range vs {
				fmt.Fprintf(&b, "%s: %s\n", k, html.EscapeString(v))
			}
		}
		body, _ := io.ReadAll(r.Body)
		b.WriteString(html.EscapeString(string(body)))
		b.WriteString("</pre></body></html>")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, b.String())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSimRedactEchoedOAuthForm: the OAuth form body (client_secret
// form-encoded) echoed back is redacted too, for a secret that form
// encoding changes.
func TestSimRedactEchoedOAuthForm(t *testing.T) {
	const secret = "s3cret /+&= x" //nolint:gosec // test value
	srv := newEchoServer(t)
	c := newOffSchemaSimClient(t, srv.URL+"/jamf/", jamf.OAuthClient(simClientID, secret))
	_, err := c.ListProfiles(t.Context())
	var jerr *jamf.Error
	if !errors.As(err, &jerr) {
		t.Fatalf("err = %v, want *jamf.Error", err)
	}
	if !strings.Contains(jerr.Body, "client_secret=") {
		t.Fatalf("the echo server did not echo the form: %s", jerr.Body)
	}
	for _, leak := range []string{secret, url.QueryEscape(secret), "s3cret"} {
		if strings.Contains(err.Error(), leak) || strings.Contains(jerr.Body, leak) {
			t.Errorf("error shows %q:\n%v\n%s", leak, err, jerr.Body)
		}
	}
}

// TestSimTokenUntrustedCertNotRetried: a token request to a server whose
// certificate is not trusted is tried once; retrying cannot help.
func TestSimTokenUntrustedCertNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are expected
	clock := jamfsim.NewClock(simStart)
	c, err := jamf.New(srv.URL+"/jamf/", jamf.OAuthClient(simClientID, simClientSecret), jamf.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListProfiles(t.Context())
	var uerr x509.UnknownAuthorityError
	if !errors.As(err, &uerr) {
		t.Fatalf("err = %v, want an untrusted certificate error", err)
	}
	if len(clock.Slept()) != 0 || n.Load() != 0 {
		t.Errorf("waited %v and reached the handler %d times; want no retry", clock.Slept(), n.Load())
	}
}
