package jamf_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// TestSimOAuthRefreshMidRun runs 16 requests 20 s apart on a shared fake
// clock against 60 s OAuth tokens: the run (300 s) outlives five tokens,
// and none of them is ever used after it expired.
func TestSimOAuthRefreshMidRun(t *testing.T) {
	clock := jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	opts := simOptions(60 * time.Second)
	opts.Now = clock.Now
	sim := jamfsimtest.New(t, opts)
	c := newSimClient(t, sim.URL(), jamf.WithClock(clock))
	for i := range 16 {
		if _, err := c.ListProfiles(t.Context()); err != nil {
			t.Fatalf("request %d at +%ds: %v", i, i*20, err)
		}
		clock.Advance(20 * time.Second)
	}
	if n := countStatus(sim, http.StatusUnauthorized); n != 0 {
		t.Errorf("%d requests answered 401; the client used an expired token", n)
	}
	// Replaced a quarter-lifetime (15 s) before expiry: tokens fetched at
	// +0, +60, +120, +180, +240 and +300 s.
	if n := sim.Count("POST", logOAuth); n != 6 {
		t.Errorf("%d token requests, want 6 (one per 60 s token)", n)
	}
}

// TestSimExpiredTokenRefreshedOnce: after the server expires every token,
// a burst of requests costs exactly one new token, and each request is
// sent again once.
func TestSimExpiredTokenRefreshedOnce(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	c := newSimClient(t, sim.URL())
	ctx := t.Context()
	if _, err := c.ListProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	sim.ExpireTokens()
	sim.ResetRequests()

	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = c.ListProfiles(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if got := sim.Count("POST", logOAuth); got != 1 {
		t.Errorf("%d token requests after expiry, want exactly 1", got)
	}
	unauthorized := countStatus(sim, http.StatusUnauthorized)
	if ok := sim.Count("GET", logProfiles) - unauthorized; ok != n || unauthorized < 1 {
		t.Errorf("%d GETs answered 200 and %d answered 401; want %d and at least 1", ok, unauthorized, n)
	}
}

// TestSimPersistent401NotLooped: a server that keeps answering 401 gets
// one refresh and one repeat, then the caller gets ErrUnauthorized.
func TestSimPersistent401NotLooped(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	c := newSimClient(t, sim.URL())
	sim.InjectFault(jamfsim.Fault{Method: "GET", PathPrefix: logProfiles, Count: 100, Status: http.StatusUnauthorized})
	_, err := c.ListProfiles(t.Context())
	if !errors.Is(err, jamf.ErrUnauthorized) {
		t.Errorf("err = %v, want ErrUnauthorized", err)
	}
	if got := sim.Count("GET", logProfiles); got != 2 {
		t.Errorf("%d GETs, want 2 (the request and its one repeat)", got)
	}
	if got := sim.Count("POST", logOAuth); got != 2 {
		t.Errorf("%d token requests, want 2 (the first and one refresh)", got)
	}
}

// TestSimUserKeepAliveAndInvalidate: a user-account token is renewed with
// keep-alive before it expires and invalidated by Close; the client then
// starts a new session when used again.
func TestSimUserKeepAliveAndInvalidate(t *testing.T) {
	clock := jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	opts := simOptions(0)
	opts.Now = clock.Now
	opts.UserTokenLifetime = 10 * time.Minute
	sim := jamfsimtest.New(t, opts)
	c := newSimClientCreds(t, sim.URL(), jamf.UserAccount(simUser, simPassword), jamf.WithClock(clock))
	ctx := t.Context()

	if _, err := c.ListProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Advance(9*time.Minute + 40*time.Second) // past the refresh point, before expiry
	if _, err := c.ListProfiles(ctx); err != nil {
		t.Fatal(err)
	}
	if got := sim.Count("POST", logKeep); got != 1 {
		t.Errorf("%d keep-alive calls, want 1", got)
	}
	if got := sim.Count("POST", logUser); got != 1 {
		t.Errorf("%d token requests, want 1 (keep-alive renews)", got)
	}

	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := sim.Requests()
	if last := reqs[len(reqs)-1]; last.Path != logInval || last.Status != http.StatusNoContent {
		t.Errorf("last request = %s %s %d, want POST %s 204", last.Method, last.Path, last.Status, logInval)
	}
	if _, err := c.ListProfiles(ctx); err != nil {
		t.Fatalf("request after Close: %v", err)
	}
	if got := sim.Count("POST", logUser); got != 2 {
		t.Errorf("%d token requests, want 2 (a new session after Close)", got)
	}
	if n := countStatus(sim, http.StatusUnauthorized); n != 0 {
		t.Errorf("%d requests answered 401", n)
	}
}

// TestSimOAuthCloseSendsNothing: OAuth tokens have no revocation endpoint.
func TestSimOAuthCloseSendsNothing(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	c := newSimClient(t, sim.URL())
	if _, err := c.ListProfiles(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := sim.Count("", logInval); n != 0 {
		t.Errorf("OAuth Close sent %d invalidate-token requests, want 0", n)
	}
}

// warm fetches a token so that later request counts hold only the calls
// under test.
func warm(t *testing.T, sim *jamfsim.Server, c *jamf.Client) {
	t.Helper()
	if _, err := c.ListProfiles(t.Context()); err != nil {
		t.Fatal(err)
	}
	sim.ResetRequests()
}

// TestSimRetryAfterThenSuccess: two 503s with Retry-After, then success.
func TestSimRetryAfterThenSuccess(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	clock := jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	c := newSimClient(t, sim.URL(), jamf.WithClock(clock))
	warm(t, sim, c)
	sim.InjectFault(jamfsim.Fault{Method: "GET", PathPrefix: logProfiles, Count: 2, Status: 503, RetryAfter: 3 * time.Second})
	if _, err := c.ListProfiles(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sim.Count("GET", logProfiles); got != 3 {
		t.Errorf("%d GETs, want 3", got)
	}
	if diff := cmp.Diff([]time.Duration{3 * time.Second, 3 * time.Second}, clock.Slept()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

// TestSimRetryBounded: retryable statuses are retried within the policy's
// attempts and total time; final statuses are not retried at all.
func TestSimRetryBounded(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter time.Duration
		attempts   int
	}{
		{"503 without Retry-After uses every attempt", 503, 0, jamf.DefaultRetryPolicy.MaxAttempts},
		{"429 without Retry-After", 429, 0, jamf.DefaultRetryPolicy.MaxAttempts},
		{"502", 502, 0, jamf.DefaultRetryPolicy.MaxAttempts},
		{"504", 504, 0, jamf.DefaultRetryPolicy.MaxAttempts},
		{"Retry-After 60s exhausts the 90s budget after one wait", 503, 60 * time.Second, 2},
		{"400 is final", 400, 0, 1},
		{"403 is final", 403, 0, 1},
		{"404 is final", 404, 0, 1},
		{"409 is final", 409, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, simOptions(0))
			clock := jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			c := newSimClient(t, sim.URL(), jamf.WithClock(clock))
			warm(t, sim, c)
			sim.InjectFault(jamfsim.Fault{Method: "GET", PathPrefix: logProfiles, Count: 100, Status: tt.status, RetryAfter: tt.retryAfter})
			_, err := c.ListProfiles(t.Context())
			var jerr *jamf.Error
			if !errors.As(err, &jerr) || jerr.StatusCode != tt.status {
				t.Fatalf("err = %v, want a *jamf.Error with status %d", err, tt.status)
			}
			if got := sim.Count("GET", logProfiles); got != tt.attempts {
				t.Errorf("%d attempts, want %d", got, tt.attempts)
			}
			var total time.Duration
			for _, d := range clock.Slept() {
				total += d
			}
			if total > jamf.DefaultRetryPolicy.MaxElapsed {
				t.Errorf("waited %s in all, more than the %s budget", total, jamf.DefaultRetryPolicy.MaxElapsed)
			}
		})
	}
}

// TestSimPostNeverRetried: neither a 503 nor a connection reset makes the
// client send a create twice.
func TestSimPostNeverRetried(t *testing.T) {
	tests := []struct {
		name  string
		fault jamfsim.Fault
	}{
		{"503", jamfsim.Fault{Method: "POST", PathPrefix: logProfiles, Status: 503, RetryAfter: time.Second}},
		{"connection reset", jamfsim.Fault{Method: "POST", PathPrefix: logProfiles, Reset: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, simOptions(0))
			c := newSimClient(t, sim.URL(), jamf.WithClock(jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))))
			warm(t, sim, c)
			sim.InjectFault(tt.fault)
			if _, err := c.CreateProfile(t.Context(), newProfile("Okta SCEP", trickyPlist(t))); err == nil {
				t.Fatal("CreateProfile succeeded through the fault")
			}
			if got := sim.Count("POST", logProfile(0)); got != 1 {
				t.Errorf("%d POSTs, want 1", got)
			}
			if len(sim.Profiles()) != 0 {
				t.Error("a profile was created")
			}
		})
	}
}

// TestSimConnectionResetRetried: a GET that ends in connection resets is
// sent again until it gets an answer. The simulator logs every reset
// request, including any that net/http retries on its own.
func TestSimConnectionResetRetried(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	c := newSimClient(t, sim.URL(), jamf.WithClock(jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))))
	warm(t, sim, c)
	sim.InjectFault(jamfsim.Fault{Method: "GET", PathPrefix: logProfiles, Count: 2, Reset: true})
	if _, err := c.ListProfiles(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sim.Count("GET", logProfiles); got != 3 {
		t.Errorf("%d GETs, want 3 (two reset, one answered)", got)
	}
}

// dropJar is a cookie jar that forgets every cookie: a client with it has
// no Jamf Cloud node affinity.
type dropJar struct{}

func (dropJar) SetCookies(*url.URL, []*http.Cookie) {}
func (dropJar) Cookies(*url.URL) []*http.Cookie     { return nil }

// TestSimCookieJarReadAfterWrite: on a two-node tenant with a 60 s
// replication lag, the client's jar keeps every request on one node, so a
// read after a write sees it. A plain *http.Client without a jar gets one
// from the client; a jar that drops cookies shows what the lag does.
func TestSimCookieJarReadAfterWrite(t *testing.T) {
	tests := []struct {
		name     string
		opts     []jamf.Option
		wantLags bool
	}{
		{"default jar", nil, false},
		{"plain http.Client gets a jar", []jamf.Option{jamf.WithHTTPClient(&http.Client{})}, false},
		{"cookies dropped", []jamf.Option{jamf.WithHTTPClient(&http.Client{Jar: dropJar{}})}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			opts := simOptions(0)
			opts.Now = clock.Now
			sim := jamfsimtest.New(t, opts)
			c := newSimClient(t, sim.URL(), tt.opts...)
			ctx := t.Context()

			id, err := c.CreateProfile(ctx, newProfile("Okta SCEP", trickyPlist(t)))
			if err != nil {
				t.Fatal(err)
			}
			// Two reads: without affinity they land on both nodes.
			var missed int
			for range 2 {
				_, err := c.GetProfile(ctx, id)
				switch {
				case errors.Is(err, jamf.ErrNotFound):
					missed++
				case err != nil:
					t.Fatal(err)
				}
			}
			if lags := missed > 0; lags != tt.wantLags {
				t.Errorf("%d of 2 reads right after the create missed it; want lag = %v", missed, tt.wantLags)
			}
			if !tt.wantLags {
				nodes := map[int]bool{}
				for _, r := range sim.Requests() {
					nodes[r.Node] = true
				}
				if len(nodes) != 1 {
					t.Errorf("requests went to nodes %v, want one node", nodes)
				}
			}
			clock.Advance(61 * time.Second)
			for range 2 {
				if _, err := c.GetProfile(ctx, id); err != nil {
					t.Errorf("read after the replication lag: %v", err)
				}
			}
		})
	}
}

// TestSimConcurrencyCap fires 20 concurrent GETs at a slow simulator and
// measures, in a proxy in front of it, the most requests in flight: five
// with the default cap. A client with a cap of 20 shows that the proxy
// would have seen more.
func TestSimConcurrencyCap(t *testing.T) {
	tests := []struct {
		name    string
		opts    []jamf.Option
		atMost  int
		atLeast int
	}{
		{"default cap", nil, jamf.DefaultMaxConcurrency, 2},
		{"cap raised to 20", []jamf.Option{jamf.WithMaxConcurrency(20)}, 20, jamf.DefaultMaxConcurrency + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := jamfsimtest.New(t, simOptions(0))
			proxy := newFlightProxy(t, sim, nil)
			c := newSimClient(t, proxy.URL(sim), tt.opts...)
			warm(t, sim, c)
			sim.SetLatency(25 * time.Millisecond)
			var wg sync.WaitGroup
			for range 20 {
				wg.Go(func() {
					if _, err := c.ListProfiles(t.Context()); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if m := proxy.Max(); m > tt.atMost || m < tt.atLeast {
				t.Errorf("at most %d requests in flight, want %d..%d", m, tt.atLeast, tt.atMost)
			}
		})
	}
}

// TestSimCancelMidRequest cancels while the server holds the request.
func TestSimCancelMidRequest(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	arrived := make(chan string, 16)
	proxy := newFlightProxy(t, sim, arrived)
	c := newSimClient(t, proxy.URL(sim))
	warm(t, sim, c)
	for len(arrived) > 0 {
		<-arrived
	}
	sim.SetLatency(time.Hour)
	t.Cleanup(func() { sim.SetLatency(0) })

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.ListProfiles(ctx)
		done <- err
	}()
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestSimCancelMidBackoff cancels while the client waits to retry a 503.
func TestSimCancelMidBackoff(t *testing.T) {
	sim := jamfsimtest.New(t, simOptions(0))
	clock := blockingClock{sleeping: make(chan time.Duration, 1)}
	c := newSimClient(t, sim.URL(), jamf.WithClock(clock))
	warm(t, sim, c)
	sim.InjectFault(jamfsim.Fault{Method: "GET", PathPrefix: logProfiles, Status: 503, RetryAfter: 30 * time.Second})

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.ListProfiles(ctx)
		done <- err
	}()
	if d := <-clock.sleeping; d != 30*time.Second {
		t.Errorf("backoff = %s, want the server's Retry-After 30s", d)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got := sim.Count("GET", logProfiles); got != 1 {
		t.Errorf("%d GETs, want 1", got)
	}
}
