package jamf

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// Secrets used by every fake tenant; tests assert they never leak.
const (
	testClientID     = "3f1c-client-id"
	testClientSecret = "client-SECRET-9b7e4a" //nolint:gosec // test value
	testUser         = "api-admin"
	testPassword     = "password-SECRET-41d2" //nolint:gosec // test value
	testTokenPrefix  = "tok-SECRET-"
	basePrefix       = "/jamf/" // every fake tenant lives under a base path
)

// fakeJamf is a minimal Jamf Pro for this package's tests: the token
// endpoints with expiry on the fake clock, bearer checks on every other
// route, and a request count per "METHOD path".
type fakeJamf struct {
	t        testing.TB
	clock    *jamfsim.Clock
	mux      *http.ServeMux
	srv      *httptest.Server
	lifetime time.Duration

	mu           sync.Mutex
	tokens       map[string]time.Time // value -> expiry
	serial       int
	tokenFetches int
	keepAlives   int
	invalidated  []string
	unauthorized int
	hits         map[string]int
}

func newFakeJamf(t testing.TB) *fakeJamf {
	t.Helper()
	f := &fakeJamf{
		t: t, clock: jamfsim.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)), mux: http.NewServeMux(), lifetime: 60 * time.Second,
		tokens: map[string]time.Time{}, hits: map[string]int{},
	}
	f.mux.HandleFunc("POST "+basePrefix+oauthTokenPath, f.oauthToken)
	f.mux.HandleFunc("POST "+basePrefix+userTokenPath, f.userToken)
	f.mux.HandleFunc("POST "+basePrefix+keepAlivePath, f.keepAlive)
	f.mux.HandleFunc("POST "+basePrefix+invalidatePath, f.invalidate)
	f.srv = httptest.NewServer(f.mux)
	t.Cleanup(f.srv.Close)
	return f
}

// handle registers an authenticated route; pattern is "METHOD path" with
// path relative to the base ("GET JSSResource/osxconfigurationprofiles").
func (f *fakeJamf) handle(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	f.mux.HandleFunc(method+" "+basePrefix+path, func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits[r.Method+" "+strings.TrimPrefix(r.URL.Path, basePrefix)]++
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		exp, ok := f.tokens[tok]
		valid := ok && !f.clock.Now().After(exp)
		if !valid {
			f.unauthorized++
		}
		f.mu.Unlock()
		if !valid {
			writeJSON(w, http.StatusUnauthorized, `{"httpStatus":401,"errors":[{"code":"INVALID_TOKEN","description":"Unauthorized","id":"0","field":null}]}`)
			return
		}
		h(w, r)
	})
}

func (f *fakeJamf) issue() string {
	f.serial++
	v := fmt.Sprintf("%s%d", testTokenPrefix, f.serial)
	f.tokens[v] = f.clock.Now().Add(f.lifetime)
	f.tokenFetches++
	return v
}

func (f *fakeJamf) oauthToken(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("grant_type") != "client_credentials" || r.FormValue("client_id") != testClientID || r.FormValue("client_secret") != testClientSecret {
		// Like a careless server, echo what was posted when it is not ours.
		desc := "Client authentication failed"
		if r.FormValue("client_secret") != testClientSecret {
			desc += " for secret " + r.FormValue("client_secret")
		}
		writeJSON(w, http.StatusUnauthorized, mustJSONString(map[string]string{"error": "invalid_client", "error_description": desc}))
		return
	}
	f.mu.Lock()
	v := f.issue()
	f.mu.Unlock()
	writeJSON(w, 200, fmt.Sprintf(`{"access_token":%q,"scope":"api-role:1","token_type":"Bearer","expires_in":%d}`, v, int(f.lifetime/time.Second)))
}

func (f *fakeJamf) userToken(w http.ResponseWriter, r *http.Request) {
	u, p, ok := r.BasicAuth()
	if !ok || u != testUser || p != testPassword {
		writeJSON(w, http.StatusUnauthorized, `{"httpStatus":401,"errors":[]}`)
		return
	}
	f.mu.Lock()
	v := f.issue()
	exp := f.tokens[v]
	f.mu.Unlock()
	writeJSON(w, 200, fmt.Sprintf(`{"token":%q,"expires":%q}`, v, exp.Format("2006-01-02T15:04:05.000Z")))
}

func (f *fakeJamf) keepAlive(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.tokens[tok]; !ok {
		writeJSON(w, http.StatusUnauthorized, `{"httpStatus":401,"errors":[]}`)
		return
	}
	delete(f.tokens, tok)
	f.keepAlives++
	f.tokenFetches-- // issue counts fetches; a keep-alive is not one
	v := f.issue()
	writeJSON(w, 200, fmt.Sprintf(`{"token":%q,"expires":%q}`, v, f.tokens[v].Format(time.RFC3339)))
}

func (f *fakeJamf) invalidate(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.tokens, tok)
	f.invalidated = append(f.invalidated, tok)
	w.WriteHeader(http.StatusNoContent)
}

func (f *fakeJamf) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[key]
}

func (f *fakeJamf) stats() (fetches, unauthorized int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenFetches, f.unauthorized
}

// client returns an OAuth client for f under the base path, with the fake
// clock and no jitter.
func (f *fakeJamf) client(t testing.TB, opts ...Option) *Client {
	t.Helper()
	return f.clientWith(t, OAuthClient(testClientID, testClientSecret), opts...)
}

func (f *fakeJamf) clientWith(t testing.TB, creds Credentials, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithHTTPClient(f.srv.Client()), WithClock(f.clock)}, opts...)
	c, err := New(f.srv.URL+strings.TrimSuffix(basePrefix, "/"), creds, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.jitter = func(d time.Duration) time.Duration { return d }
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func writeXML(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustJSONString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
