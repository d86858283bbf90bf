package jamf_test

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// Credentials of the accounts the simulator tests create. They look like
// secrets so that the redaction tests can search for them.
const (
	simClientID     = "sim-client-id"
	simClientSecret = "client-SECRET-5e1b0c" //nolint:gosec // test value
	simUser         = "sim-admin"
	simPassword     = "password-SECRET-7a2f" //nolint:gosec // test value
)

// simOptions returns simulator options with one API client and one user,
// both holding every privilege; lifetime is the OAuth token lifetime
// (zero: the simulator's default).
func simOptions(lifetime time.Duration) jamfsim.Options {
	return jamfsim.Options{
		APIClients: []jamfsim.APIClient{{
			ID: simClientID, Secret: simClientSecret, Privileges: jamfsim.AllPrivileges(), TokenLifetime: lifetime,
		}},
		Users: []jamfsim.User{{Name: simUser, Password: simPassword, Privileges: jamfsim.AllPrivileges()}},
	}
}

// newSimClient returns an OAuth client for sim's URL (always under the
// non-empty base path "/jamf/"), closed when t ends.
func newSimClient(tb testing.TB, base string, opts ...jamf.Option) *jamf.Client {
	tb.Helper()
	return newSimClientCreds(tb, base, jamf.OAuthClient(simClientID, simClientSecret), opts...)
}

func newSimClientCreds(tb testing.TB, base string, creds jamf.Credentials, opts ...jamf.Option) *jamf.Client {
	tb.Helper()
	if !strings.HasSuffix(strings.TrimSuffix(base, "/"), "/jamf") {
		tb.Fatalf("simulator URL %q is not under the base path /jamf/", base)
	}
	// Every exchange is checked against Jamf's published schema for the
	// simulator's default version; a test's own WithHTTPClient wins.
	checked := jamfschema.Wrap(tb, base, jamfsim.Version11_30)
	c, err := jamf.New(base, creds, append([]jamf.Option{jamf.WithHTTPClient(checked)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close(context.WithoutCancel(tb.Context())) })
	return c
}

// newOffSchemaSimClient is newSimClientCreds without the schema check, for
// tests whose server answers off Jamf's schema on purpose (a proxy's login
// page, a lying totalCount, an echoed request): there the client itself
// must refuse the answer, and the contract check would only report the
// fault the test injected.
func newOffSchemaSimClient(tb testing.TB, base string, creds jamf.Credentials, opts ...jamf.Option) *jamf.Client {
	tb.Helper()
	c, err := jamf.New(base, creds, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close(context.WithoutCancel(tb.Context())) })
	return c
}

// blockingClock is a real-time-free clock whose Sleep reports that it
// started waiting and then waits for ctx alone: a test cancels the
// context once it sees the client in a backoff.
type blockingClock struct {
	sleeping chan time.Duration
}

func (blockingClock) Now() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }

func (c blockingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.sleeping <- d
	<-ctx.Done()
	return ctx.Err()
}

// flightProxy is a reverse proxy in front of a simulator that records how
// many requests are in flight at the server side at once, and can signal
// each arrival. It is the test-only hook for the concurrency cap and for
// canceling a request while the server holds it.
type flightProxy struct {
	srv *httptest.Server

	mu       sync.Mutex
	inFlight int
	max      int
	arrived  chan string // "METHOD path" of each request, if non-nil
}

func newFlightProxy(tb testing.TB, sim *jamfsim.Server, arrived chan string) *flightProxy {
	tb.Helper()
	target, err := url.Parse(sim.URL())
	if err != nil {
		tb.Fatal(err)
	}
	target.Path = "/"
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = log.New(io.Discard, "", 0) // canceled requests are expected
	p := &flightProxy{arrived: arrived}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.inFlight++
		p.max = max(p.max, p.inFlight)
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.inFlight--
			p.mu.Unlock()
		}()
		if p.arrived != nil {
			select {
			case p.arrived <- r.Method + " " + r.URL.Path:
			default:
			}
		}
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(p.srv.Close)
	return p
}

// URL is the proxy's URL for the simulator's base path.
func (p *flightProxy) URL(sim *jamfsim.Server) string {
	u, _ := url.Parse(sim.URL())
	return p.srv.URL + u.Path
}

func (p *flightProxy) Max() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max
}

// countStatus returns how many logged requests answered status.
func countStatus(sim *jamfsim.Server, status int) int {
	n := 0
	for _, r := range sim.Requests() {
		if r.Status == status {
			n++
		}
	}
	return n
}

// Paths of the simulator's request log (relative to the base, leading "/").
const (
	logProfiles = "/JSSResource/osxconfigurationprofiles"
	logOAuth    = "/api/v1/oauth/token"
	logUser     = "/api/v1/auth/token"
	logKeep     = "/api/v1/auth/keep-alive"
	logInval    = "/api/v1/auth/invalidate-token"
)

func logProfile(id int) string { return logProfiles + "/id/" + strconv.Itoa(id) }
