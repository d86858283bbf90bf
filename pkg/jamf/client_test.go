package jamf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const pingPath = "api/v1/jamf-pro-version"

func pingHandler(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, 200, `{"version":"11.30.0-t1727000000"}`)
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	creds := OAuthClient("id", "secret")
	tests := []struct {
		name, url, wantErr string
	}{
		{"no scheme", "example.jamfcloud.com", "want https://"},
		{"ftp", "ftp://example.com", "want https://"},
		{"plain http remote", "http://jamf.example.com", "plain http"},
		{"credentials in URL", "https://user:pw@jamf.example.com", "must not carry credentials"},
		{"query", "https://jamf.example.com/?x=1", "remove the query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.url, creds)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New(%q) error = %v, want it to contain %q", tt.url, err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "pw@") {
				t.Errorf("error repeats the URL password: %v", err)
			}
		})
	}
}

func TestNewRejectsEmptyCredentials(t *testing.T) {
	for _, creds := range []Credentials{{}, OAuthClient("", "s"), OAuthClient("id", ""), UserAccount("u", "")} {
		if _, err := New("https://jamf.example.com", creds); err == nil {
			t.Errorf("New with %v: want an error", creds)
		}
	}
}

func TestBaseURLKeepsPathPrefix(t *testing.T) {
	for _, in := range []string{"https://jamf.example.com:8443/jamf", "https://jamf.example.com:8443/jamf/"} {
		c, err := New(in, OAuthClient("id", "secret"))
		if err != nil {
			t.Fatal(err)
		}
		got := c.BaseURL().JoinPath(profilesPath).String()
		if want := "https://jamf.example.com:8443/jamf/JSSResource/osxconfigurationprofiles"; got != want {
			t.Errorf("base %q resolves to %q, want %q", in, got, want)
		}
	}
}

func TestRequestsCarryUserAgentAndPrefix(t *testing.T) {
	f := newFakeJamf(t)
	var ua string
	f.handle("GET "+pingPath, func(w http.ResponseWriter, r *http.Request) {
		ua = r.UserAgent()
		pingHandler(w, r)
	})
	c := f.client(t, WithUserAgent("jamf-scep/1.2.3"))
	if _, err := c.Version(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ua != "jamf-scep/1.2.3" {
		t.Errorf("User-Agent = %q", ua)
	}
	if n := f.count("GET " + pingPath); n != 1 {
		t.Errorf("server saw %d requests under %s, want 1", n, basePrefix)
	}
}

func TestTokenRefreshedBeforeExpiryMidRun(t *testing.T) {
	f := newFakeJamf(t) // 60 s OAuth lifetime
	f.handle("GET "+pingPath, pingHandler)
	c := f.client(t)
	// 13 requests, one every 10 s: 0..120 s. The token is replaced 15 s
	// before expiry (at 45 s of its life): fetched at 0, 50, 100.
	for i := range 13 {
		c.version = "" // defeat the cache
		if _, err := c.Version(t.Context()); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		f.clock.Advance(10 * time.Second)
	}
	fetches, unauthorized := f.stats()
	if fetches != 3 || unauthorized != 0 {
		t.Errorf("token fetches = %d, 401s = %d; want 3 fetches and no 401", fetches, unauthorized)
	}
}

func TestTokenShorterThanBufferDoesNotLoop(t *testing.T) {
	f := newFakeJamf(t)
	f.lifetime = 0 // expires the moment it is issued
	f.handle("GET "+pingPath, pingHandler)
	c := f.client(t)
	for range 3 {
		c.version = ""
		if _, err := c.Version(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if fetches, _ := f.stats(); fetches != 3 {
		t.Errorf("token fetches = %d, want one per request (3)", fetches)
	}
}

func TestUnauthorizedRefreshesOnceAndRetriesOnce(t *testing.T) {
	tests := []struct {
		name        string
		revokeFirst bool // server forgets the first token: the retry succeeds
		always401   bool
		wantHits    int
		wantFetches int
		wantErr     error
	}{
		{name: "revoked token", revokeFirst: true, wantHits: 2, wantFetches: 2},
		{name: "always 401", always401: true, wantHits: 2, wantFetches: 2, wantErr: ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeJamf(t)
			var n atomic.Int32
			f.handle("PUT "+profileIDPath(7), func(w http.ResponseWriter, r *http.Request) {
				if tt.always401 {
					writeJSON(w, 401, `{"httpStatus":401,"errors":[{"code":"INVALID_TOKEN","description":"Unauthorized"}]}`)
					return
				}
				n.Add(1)
				writeXML(w, 201, `<os_x_configuration_profile><id>7</id></os_x_configuration_profile>`)
			})
			c := f.client(t)
			if tt.revokeFirst {
				if _, err := c.tokens.token(t.Context()); err != nil {
					t.Fatal(err)
				}
				f.mu.Lock()
				clear(f.tokens)
				f.mu.Unlock()
			}
			err := c.UpdateProfile(t.Context(), 7, ProfileUpdate{Scope: &Scope{AllComputers: true}})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			fetches, _ := f.stats()
			if got := f.count("PUT " + profileIDPath(7)); got != tt.wantHits || fetches != tt.wantFetches {
				t.Errorf("PUT hits = %d, token fetches = %d; want %d and %d", got, fetches, tt.wantHits, tt.wantFetches)
			}
		})
	}
}

func TestBadClientSecretIsUnauthorized(t *testing.T) {
	f := newFakeJamf(t)
	f.handle("GET "+pingPath, pingHandler)
	c := f.clientWith(t, OAuthClient(testClientID, "wrong-"+testClientSecret))
	_, err := c.Version(t.Context())
	var jerr *Error
	if !errors.As(err, &jerr) || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want *Error matching ErrUnauthorized", err)
	}
	if want := "Client authentication failed for secret (sensitive)"; jerr.Code != "invalid_client" || jerr.Message != want {
		t.Errorf("code %q message %q", jerr.Code, jerr.Message)
	}
	if f.count("GET "+pingPath) != 0 {
		t.Error("request sent without a token")
	}
}

func TestUserAccountKeepAliveAndClose(t *testing.T) {
	f := newFakeJamf(t)
	f.lifetime = 30 * time.Minute
	f.handle("GET "+pingPath, pingHandler)
	c := f.clientWith(t, UserAccount(testUser, testPassword))
	get := func() {
		t.Helper()
		c.version = ""
		if _, err := c.Version(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	get() // t=0: new token, refresh due at 29m30s (30 s buffer)
	f.clock.Advance(29*time.Minute + 45*time.Second)
	get() // inside the buffer, not expired: keep-alive
	get() // the renewed token is fresh: no call
	f.mu.Lock()
	fetches, keepAlives := f.tokenFetches, f.keepAlives
	f.mu.Unlock()
	if fetches != 1 || keepAlives != 1 {
		t.Errorf("token fetches = %d, keep-alives = %d; want 1 and 1", fetches, keepAlives)
	}
	if err := c.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.invalidated) != 1 || !strings.HasPrefix(f.invalidated[0], testTokenPrefix) {
		t.Errorf("invalidated = %q, want the one live token", f.invalidated)
	}
	if len(f.tokens) != 0 {
		t.Errorf("server still holds %d live tokens after Close", len(f.tokens))
	}
}

func TestRetries(t *testing.T) {
	date := func(d time.Duration) string {
		return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC).Add(d).Format(http.TimeFormat)
	}
	tests := []struct {
		name       string
		method     string
		statuses   []int  // answers in order; the last repeats
		retryAfter string // header sent with every non-2xx answer
		policy     RetryPolicy
		wantHits   int
		wantSlept  []time.Duration
		wantErr    error // errors.Is target, nil for success
		wantStatus int   // *Error status when failing
	}{
		{
			name: "503 then ok honors Retry-After seconds", method: "GET", statuses: []int{503, 503, 200}, retryAfter: "2",
			wantHits: 3, wantSlept: []time.Duration{2 * time.Second, 2 * time.Second},
		},
		{
			name: "429 honors Retry-After date", method: "GET", statuses: []int{429, 200}, retryAfter: date(7 * time.Second),
			wantHits: 2, wantSlept: []time.Duration{7 * time.Second},
		},
		{
			name: "502 backs off exponentially", method: "DELETE", statuses: []int{502, 504, 502, 200},
			wantHits: 4, wantSlept: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second},
		},
		{
			name: "gives up after MaxAttempts", method: "GET", statuses: []int{503}, retryAfter: "1",
			wantHits: 5, wantSlept: []time.Duration{time.Second, time.Second, time.Second, time.Second}, wantStatus: 503,
		},
		{
			name: "gives up when Retry-After exceeds the budget", method: "GET", statuses: []int{503}, retryAfter: "3600",
			wantHits: 1, wantStatus: 503,
		},
		{
			name: "gives up within MaxElapsed", method: "PUT", statuses: []int{503}, retryAfter: "4",
			policy: RetryPolicy{MaxAttempts: 100, MaxElapsed: 10 * time.Second}, wantHits: 3,
			wantSlept: []time.Duration{4 * time.Second, 4 * time.Second}, wantStatus: 503,
		},
		{name: "POST never retried", method: "POST", statuses: []int{503, 201}, retryAfter: "1", wantHits: 1, wantStatus: 503},
		{name: "404 final", method: "GET", statuses: []int{404}, wantHits: 1, wantErr: ErrNotFound, wantStatus: 404},
		{name: "409 final", method: "PUT", statuses: []int{409}, wantHits: 1, wantErr: ErrConflict, wantStatus: 409},
		{name: "403 final", method: "GET", statuses: []int{403}, wantHits: 1, wantErr: ErrForbidden, wantStatus: 403},
		{name: "400 final", method: "GET", statuses: []int{400}, wantHits: 1, wantStatus: 400},
		{name: "500 final", method: "GET", statuses: []int{500}, wantHits: 1, wantStatus: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeJamf(t)
			var n atomic.Int32
			f.handle(tt.method+" JSSResource/x", func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				st := tt.statuses[min(i, len(tt.statuses)-1)]
				if st/100 != 2 && tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				writeXML(w, st, "<html><body><p>Error: status "+fmt.Sprint(st)+"</p></body></html>")
			})
			c := f.client(t, WithRetryPolicy(tt.policy))
			_, err := c.do(t.Context(), request{method: tt.method, path: "JSSResource/x", body: []byte("<x/>")})
			if got := f.count(tt.method + " JSSResource/x"); got != tt.wantHits {
				t.Errorf("hits = %d, want %d", got, tt.wantHits)
			}
			if diff := cmp.Diff(tt.wantSlept, f.clock.Slept()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var jerr *Error
			if !errors.As(err, &jerr) || jerr.StatusCode != tt.wantStatus {
				t.Fatalf("err = %v, want *Error with status %d", err, tt.wantStatus)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantErr)
			}
			if want := fmt.Sprintf("status %d", tt.wantStatus); jerr.Message != want {
				t.Errorf("message = %q, want %q", jerr.Message, want)
			}
		})
	}
}

// TestNetworkErrorRetry drops the connection of the first attempt.
func TestNetworkErrorRetry(t *testing.T) {
	for _, tt := range []struct {
		method   string
		wantHits int32
		wantOK   bool
	}{{"GET", 2, true}, {"POST", 1, false}} {
		t.Run(tt.method, func(t *testing.T) {
			f := newFakeJamf(t)
			var n atomic.Int32
			f.handle(tt.method+" JSSResource/x", func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					conn, _, err := http.NewResponseController(w).Hijack()
					if err == nil {
						conn.Close() // connection reset before any answer
					}
					return
				}
				writeXML(w, 200, "<ok/>")
			})
			c := f.client(t)
			_, err := c.do(t.Context(), request{method: tt.method, path: "JSSResource/x"})
			if (err == nil) != tt.wantOK {
				t.Fatalf("err = %v, want ok=%v", err, tt.wantOK)
			}
			if got := n.Load(); got != tt.wantHits {
				t.Errorf("attempts = %d, want %d", got, tt.wantHits)
			}
		})
	}
}

func TestContextCancellation(t *testing.T) {
	t.Run("in flight", func(t *testing.T) {
		f := newFakeJamf(t)
		arrived := make(chan struct{})
		f.handle("GET "+pingPath, func(w http.ResponseWriter, r *http.Request) {
			close(arrived)
			<-r.Context().Done()
		})
		c := f.client(t)
		ctx, cancel := context.WithCancel(t.Context())
		go func() { <-arrived; cancel() }()
		_, err := c.Version(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("during a retry wait", func(t *testing.T) {
		f := newFakeJamf(t)
		ctx, cancel := context.WithCancel(t.Context())
		f.handle("GET "+pingPath, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			writeJSON(w, 503, `{"httpStatus":503,"errors":[]}`)
			cancel()
		})
		c := f.client(t, WithClock(realClock{})) // a real 30 s wait that ctx must cut short
		_, err := c.Version(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n := f.count("GET " + pingPath); n != 1 {
			t.Errorf("attempts = %d, want 1", n)
		}
	})
}

func TestConcurrencyCap(t *testing.T) {
	for _, limit := range []int{0, 2} { // 0: the default, 5
		want := limit
		if want == 0 {
			want = DefaultMaxConcurrency
		}
		t.Run(fmt.Sprint(want), func(t *testing.T) {
			f := newFakeJamf(t)
			var inflight, peak atomic.Int32
			f.handle("GET "+pingPath, func(w http.ResponseWriter, r *http.Request) {
				n := inflight.Add(1)
				defer inflight.Add(-1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(20 * time.Millisecond) // hold the slot so requests overlap
				pingHandler(w, r)
			})
			var opts []Option
			if limit > 0 {
				opts = append(opts, WithMaxConcurrency(limit))
			}
			c := f.client(t, opts...)
			var wg sync.WaitGroup
			for range 4 * want {
				wg.Go(func() {
					if _, err := c.getPing(t.Context()); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if got := peak.Load(); got != int32(want) {
				t.Errorf("peak concurrent requests on the server = %d, want %d", got, want)
			}
		})
	}
}

// getPing is an uncached version request.
func (c *Client) getPing(ctx context.Context) ([]byte, error) {
	return c.do(ctx, request{method: "GET", path: pingPath})
}

func TestCookieJarKeepsNodeAffinity(t *testing.T) {
	f := newFakeJamf(t)
	var cookies []string
	var mu sync.Mutex
	f.handle("GET "+pingPath, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		c, err := r.Cookie("jpro-ingress")
		if err != nil {
			cookies = append(cookies, "")
			http.SetCookie(w, &http.Cookie{Name: "jpro-ingress", Value: "node-b", Path: "/"})
		} else {
			cookies = append(cookies, c.Value)
		}
		pingHandler(w, r)
	})
	c := f.client(t)
	for range 3 {
		if _, err := c.getPing(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"", "node-b", "node-b"}, cookies); diff != "" {
		t.Errorf("affinity cookie per request (-want +got):\n%s", diff)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	f := newFakeJamf(t)
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("redirect followed; Authorization %q reached another server", r.Header.Get("Authorization"))
	}))
	defer elsewhere.Close()
	f.handle("GET "+pingPath, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL, http.StatusFound)
	})
	c := f.client(t)
	_, err := c.getPing(t.Context())
	var jerr *Error
	if !errors.As(err, &jerr) || jerr.StatusCode != 302 {
		t.Fatalf("err = %v, want *Error 302", err)
	}
}

// TestDebugLogRedactsSecrets runs every kind of exchange, good and bad,
// with a debug logger and checks that no secret reaches the log or an
// error.
func TestDebugLogRedactsSecrets(t *testing.T) {
	f := newFakeJamf(t)
	f.lifetime = 0 // a fresh token for every request: many tokens to leak
	f.handle("GET "+pingPath, pingHandler)
	f.handle("GET JSSResource/echo", func(w http.ResponseWriter, r *http.Request) {
		// A misbehaving proxy that echoes the request headers into its page.
		w.Header().Set("Retry-After", "1")
		writeXML(w, 503, "<html><p>Error: "+r.Header.Get("Authorization")+"</p></html>")
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string
	for _, creds := range []Credentials{
		OAuthClient(testClientID, testClientSecret),
		UserAccount(testUser, testPassword),
		OAuthClient(testClientID, testClientSecret+"-wrong"),
	} {
		c := f.clientWith(t, creds, WithLogger(logger))
		logger.Debug("credentials", "creds", creds)
		if _, err := c.getPing(t.Context()); err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%#v", err))
		}
		if _, err := c.do(t.Context(), request{method: "GET", path: "JSSResource/echo"}); err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%+v %#v", err, err))
		}
		if err := c.Close(t.Context()); err != nil {
			errs = append(errs, err.Error())
		}
		errs = append(errs, fmt.Sprintf("%v %+v %#v %s %d %x %q", creds, creds, creds, creds, creds, creds, creds))
	}
	out := buf.String() + strings.Join(errs, "\n")
	if !strings.Contains(out, `"msg":"jamf request"`) || !strings.Contains(out, "jamf retry") {
		t.Fatalf("debug log lacks request or retry records:\n%s", out)
	}
	for _, secret := range []string{testClientSecret, testPassword, testTokenPrefix, "Bearer tok"} {
		if strings.Contains(out, secret) {
			t.Errorf("a secret (%d bytes) appears in the debug log or an error", len(secret))
		}
	}
}
