package jamf_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// tokenSpy is a transport below the client that remembers every bearer
// token it sees, in requests and in token answers, so the redaction test
// knows the values it must not find.
type tokenSpy struct {
	mu     sync.Mutex
	tokens map[string]bool
}

func (s *tokenSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	if v, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
		s.add(v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || !strings.Contains(req.URL.Path, "/auth/") && !strings.Contains(req.URL.Path, "/oauth/") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var v struct {
		AccessToken string `json:"access_token"`
		Token       string `json:"token"`
	}
	if json.Unmarshal(body, &v) == nil {
		s.add(v.AccessToken)
		s.add(v.Token)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func (s *tokenSpy) add(v string) {
	if v == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[v] = true
}

func (s *tokenSpy) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.tokens))
	for v := range s.tokens {
		out = append(out, v)
	}
	return out
}

// TestSimDebugLogRedacted runs full sessions of both credential kinds with
// a debug logger capturing everything: token fetches and refreshes, a
// keep-alive, a profile whose payload holds a challenge, retries, 401s,
// 404s, a 409 and refused credentials. Neither the log nor any error text
// may contain a client secret, a password, a token or the payload secret.
func TestSimDebugLogRedacted(t *testing.T) {
	const payloadSecret = "payload-SECRET-c0ffee" // in testdata/sim/tricky-scep.plist
	clock := jamfsim.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	opts := simOptions(60 * time.Second)
	opts.Now = clock.Now
	opts.UserTokenLifetime = 2 * time.Minute
	sim := jamfsimtest.New(t, opts)

	var logBuf bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&logBuf, &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	spy := &tokenSpy{tokens: map[string]bool{}}
	var errText strings.Builder
	note := func(err error) {
		if err != nil {
			// %+v and %#v show every field of a *jamf.Error, Body included.
			fmt.Fprintf(&errText, "%v\n%+v\n%#v\n", err, err, err)
		}
	}

	session := func(creds jamf.Credentials, name string) {
		c := newSimClientCreds(t, sim.URL(), creds,
			jamf.WithLogger(logger), jamf.WithClock(clock), jamf.WithHTTPClient(&http.Client{Transport: spy}))
		ctx := t.Context()
		id, err := c.CreateProfile(ctx, newProfile(name, trickyPlist(t)))
		if err != nil {
			t.Fatal(err)
		}
		p, err := c.GetProfile(ctx, id)
		note(err)
		clock.Advance(100 * time.Second) // past the refresh point of both token kinds
		sim.InjectFault(jamfsim.Fault{Method: "PUT", Count: 1, Status: 503, RetryAfter: time.Second})
		note(c.UpdateProfile(ctx, id, jamf.ProfileUpdate{General: &p.General}))
		sim.ExpireTokens()
		_, err = c.FindProfileByName(ctx, name)
		note(err)
		_, err = c.GetProfile(ctx, 999)
		note(err)
		_, err = c.CreateProfile(ctx, newProfile(name, trickyPlist(t)))
		note(err)
		note(c.Close(ctx))
	}
	session(jamf.OAuthClient(simClientID, simClientSecret), "OAuth session")
	session(jamf.UserAccount(simUser, simPassword), "User session")
	for _, creds := range []jamf.Credentials{jamf.OAuthClient(simClientID, simPassword), jamf.UserAccount(simUser, simClientSecret)} {
		c := newSimClientCreds(t, sim.URL(), creds, jamf.WithLogger(logger), jamf.WithHTTPClient(&http.Client{Transport: spy}))
		_, err := c.ListProfiles(t.Context())
		if err == nil {
			t.Fatalf("%v: wrong secret accepted", creds)
		}
		note(err)
		fmt.Fprintf(&errText, "%v %+v %#v %s\n", creds, creds, creds, creds)
	}

	if sim.Count("POST", logKeep) == 0 || countStatus(sim, http.StatusUnauthorized) == 0 || countStatus(sim, http.StatusConflict) == 0 {
		t.Fatal("the session did not exercise keep-alive, a 401 and a 409")
	}
	tokens := spy.all()
	if len(tokens) < 4 {
		t.Fatalf("saw %d tokens, want several (refreshes and keep-alive)", len(tokens))
	}
	logMu.Lock()
	logText := logBuf.String()
	logMu.Unlock()
	if !strings.Contains(logText, "jamf retry") || !strings.Contains(logText, "status=409") {
		t.Fatalf("debug log lacks the session's records:\n%s", logText)
	}
	secrets := map[string]string{
		"client secret": simClientSecret, "password": simPassword, "payload secret": payloadSecret,
	}
	for i, tok := range tokens {
		secrets[fmt.Sprintf("token %d", i)] = tok
	}
	for what, secret := range secrets {
		if strings.Contains(logText, secret) {
			t.Errorf("the debug log contains the %s", what) // never the value itself
		}
		if strings.Contains(errText.String(), secret) {
			t.Errorf("an error contains the %s", what)
		}
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
