package jamf

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Token endpoints, relative to the tenant base URL (Jamf Pro API).
const (
	oauthTokenPath = "api/v1/oauth/token"           // OAuth client credentials, RFC 6749 section 4.4
	userTokenPath  = "api/v1/auth/token"            // Basic -> {token, expires}
	keepAlivePath  = "api/v1/auth/keep-alive"       // user tokens only
	invalidatePath = "api/v1/auth/invalidate-token" // user tokens only, 204
	maxTokenBody   = 64 << 10                       // bytes read from a token answer
	maxRefreshBuf  = 30 * time.Second               // longest refresh buffer
	keptTokens     = 8                              // tokens remembered for redaction
)

// token is one bearer token and when to replace it.
type token struct {
	value     string
	expiry    time.Time // server's expiry on the local clock
	refreshAt time.Time // expiry minus a buffer smaller than the lifetime
}

// tokenSource hands out bearer tokens. It is safe for concurrent use: the
// one-slot channel lock serializes refreshes and respects ctx while waiting.
type tokenSource struct {
	creds     Credentials
	base      *url.URL
	hc        *http.Client // no auth transport; same jar and base transport
	clock     Clock
	retry     retrier
	userAgent string
	log       *slog.Logger

	lock chan struct{} // guards tok
	tok  token

	mu     sync.Mutex // guards issued
	issued []string   // recent token values, for redaction
	extra  []string   // other secrets to redact (Client.Redact)
}

func newTokenSource(creds Credentials, base *url.URL, hc *http.Client, rt retrier, ua string, log *slog.Logger) *tokenSource {
	return &tokenSource{
		creds: creds, base: base, hc: hc, clock: rt.clock, retry: rt, userAgent: ua, log: log,
		lock: make(chan struct{}, 1),
	}
}

func (s *tokenSource) acquire(ctx context.Context) error {
	select {
	case s.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *tokenSource) release() { <-s.lock }

// secrets returns every string that must never leave the client, in every
// form it may come back in: the client secret or password, the Basic
// authorization value built from it, other registered values (Redact) and
// the recent tokens.
func (s *tokenSource) secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	values := append(append([]string{s.creds.secret}, s.extra...), s.issued...)
	if s.creds.secret != "" {
		values = append(values, basicForms(s.creds.id, s.creds.secret)...)
	}
	out := make([]string, 0, 10*len(values))
	for _, v := range values {
		if v == "" {
			continue
		}
		out = append(out, secretForms(v)...)
	}
	return out
}

// basicForms are the Basic authorization values (RFC 7617) of id and
// secret, as a user-token request sends them and a server that echoes the
// request shows them, in both base64 alphabets.
func basicForms(id, secret string) []string {
	pair := []byte(id + ":" + secret)
	return []string{
		base64.StdEncoding.EncodeToString(pair),
		base64.URLEncoding.EncodeToString(pair),
		base64.RawStdEncoding.EncodeToString(pair),
	}
}

// redactAlso adds values that must never leave the client either.
func (s *tokenSource) redactAlso(values []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v != "" {
			s.extra = append(s.extra, v)
		}
	}
}

func (s *tokenSource) remember(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued = append(s.issued, v)
	if len(s.issued) > keptTokens {
		s.issued = s.issued[len(s.issued)-keptTokens:]
	}
}

// token returns a bearer token valid now, fetching or renewing one when the
// current one has reached its refresh time. A freshly fetched token is
// always used once, even when its lifetime is shorter than any buffer, so a
// short lifetime costs one fetch per request and never a loop.
func (s *tokenSource) token(ctx context.Context) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer s.release()
	now := s.clock.Now()
	if s.tok.value != "" && now.Before(s.tok.refreshAt) {
		return s.tok.value, nil
	}
	if s.creds.kind == credUser && s.tok.value != "" && now.Before(s.tok.expiry) {
		if t, err := s.fetch(ctx, keepAlivePath, s.tok.value); err == nil {
			s.tok = t
			return t.value, nil
		}
		// A failed keep-alive falls through to a new token.
	}
	return s.refreshLocked(ctx)
}

// refreshAfter401 replaces the token that drew a 401. When another request
// has already replaced it, the newer token is returned without a fetch, so
// a burst of 401s on one expired token costs one refresh.
func (s *tokenSource) refreshAfter401(ctx context.Context, rejected string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer s.release()
	if s.tok.value != "" && s.tok.value != rejected {
		return s.tok.value, nil
	}
	return s.refreshLocked(ctx)
}

func (s *tokenSource) refreshLocked(ctx context.Context) (string, error) {
	s.tok = token{}
	path := oauthTokenPath
	if s.creds.kind == credUser {
		path = userTokenPath
	}
	t, err := s.fetch(ctx, path, "")
	if err != nil {
		return "", err
	}
	s.tok = t
	return t.value, nil
}

// fetch asks path for a token. bearer is the current token for keep-alive.
// A network error or a 429, 502, 503 or 504 is retried under the client's
// RetryPolicy, Retry-After honoured within its bounds: asking for a token
// only issues one, so a repeat is safe. A host name that does not resolve
// or an untrusted certificate is not retried.
func (s *tokenSource) fetch(ctx context.Context, path, bearer string) (token, error) {
	start := s.clock.Now()
	for attempt := 1; ; attempt++ {
		raw, status, header, err := s.fetchOnce(ctx, path, bearer)
		if err == nil && status == http.StatusOK {
			return s.parseToken(ctx, path, raw)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return token{}, fmt.Errorf("jamf: POST %s: %w", path, ctxErr)
		}
		var final error
		var reason string
		switch {
		case err != nil:
			final = fmt.Errorf("jamf: POST %s: %w", path, err)
			if permanentNetError(err) || errors.Is(err, errTooLarge) {
				return token{}, final
			}
			reason = "network error"
		case status >= 300 && status < 400:
			e := newRedirectError(http.MethodPost, path, status, header.Get("Location"), s.secrets())
			e.Auth = s.creds.authKind()
			return token{}, e
		default:
			e := newError(http.MethodPost, path, status, raw, s.secrets())
			e.Auth = s.creds.authKind()
			final = e
			if !retryableStatus(status) {
				return token{}, final
			}
			reason = fmt.Sprintf("status %d", status)
		}
		if err := s.retry.wait(ctx, start, attempt, header, http.MethodPost, path, reason, final); err != nil {
			return token{}, err
		}
	}
}

// fetchOnce sends one token request and reads its answer (at most
// maxTokenBody bytes).
func (s *tokenSource) fetchOnce(ctx context.Context, path, bearer string) (raw []byte, status int, header http.Header, err error) {
	var body io.Reader
	if path == oauthTokenPath {
		body = strings.NewReader(s.oauthForm())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base.JoinPath(path).String(), body)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("build token request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", s.userAgent)
	switch {
	case path == oauthTokenPath:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case bearer != "":
		req.Header.Set("Authorization", "Bearer "+bearer)
	default:
		req.SetBasicAuth(s.creds.id, s.creds.secret)
	}
	t0 := s.clock.Now()
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, 0, nil, err
	}
	defer resp.Body.Close()
	raw, err = readCapped(resp.Body, maxTokenBody)
	s.log.LogAttrs(ctx, slog.LevelDebug, "jamf token",
		slog.String("path", path), slog.Int("status", resp.StatusCode),
		slog.Duration("duration", s.clock.Now().Sub(t0)))
	if err != nil {
		return nil, 0, nil, err
	}
	return raw, resp.StatusCode, resp.Header, nil
}

// oauthForm is the body of an OAuth client-credentials request (RFC 6749
// section 4.4.2, client_secret_post).
func (s *tokenSource) oauthForm() string {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {s.creds.id},
		"client_secret": {s.creds.secret},
	}.Encode()
}

// maxTokenLifetime bounds a token lifetime a server supplies; a longer one
// is treated as this long (the token is only replaced sooner).
const maxTokenLifetime = 24 * time.Hour

// parseToken reads a 200 token answer: OAuth {access_token, expires_in}
// or user {token, expires}.
func (s *tokenSource) parseToken(ctx context.Context, path string, raw []byte) (token, error) {
	now := s.clock.Now()
	t, err := parseTokenAnswer(raw, path, now)
	if err != nil {
		return token{}, err
	}
	s.remember(t.value)
	lifetime := t.expiry.Sub(now)
	t.refreshAt = t.expiry.Add(-refreshBuffer(lifetime))
	s.log.LogAttrs(ctx, slog.LevelDebug, "jamf token issued",
		slog.Any("credentials", s.creds),
		slog.Duration("lifetime", lifetime),
		slog.Duration("refresh_in", t.refreshAt.Sub(now)))
	return t, nil
}

// parseTokenAnswer decodes a token answer of path received at now. The
// lifetime must not be negative; one past maxTokenLifetime is cut to it.
func parseTokenAnswer(raw []byte, path string, now time.Time) (token, error) {
	if path == oauthTokenPath {
		var v struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   *int64 `json:"expires_in"` // seconds
		}
		if err := decodeJSON(raw, http.MethodPost, path, false, &v); err != nil {
			return token{}, err
		}
		if v.AccessToken == "" {
			return token{}, fmt.Errorf("jamf: POST %s: answer has no access_token", path)
		}
		if v.ExpiresIn == nil || *v.ExpiresIn < 0 {
			return token{}, fmt.Errorf("jamf: POST %s: answer has no valid expires_in (seconds, 0 or more)", path)
		}
		secs := min(*v.ExpiresIn, int64(maxTokenLifetime/time.Second))
		return token{value: v.AccessToken, expiry: now.Add(time.Duration(secs) * time.Second)}, nil
	}
	var v struct {
		Token   string    `json:"token"`
		Expires time.Time `json:"expires"` // ISO-8601 UTC
	}
	if err := decodeJSON(raw, http.MethodPost, path, false, &v); err != nil {
		return token{}, err
	}
	if v.Token == "" {
		return token{}, fmt.Errorf("jamf: POST %s: answer has no token", path)
	}
	if v.Expires.IsZero() {
		return token{}, fmt.Errorf("jamf: POST %s: answer has no expires", path)
	}
	exp := v.Expires
	if exp.After(now.Add(maxTokenLifetime)) {
		exp = now.Add(maxTokenLifetime)
	}
	return token{value: v.Token, expiry: exp}, nil
}

// refreshBuffer is how long before expiry a token is replaced: a quarter of
// its lifetime, at most 30 s. A 60 s OAuth token is replaced after 45 s; a
// lifetime of zero or less (clock skew) gives a zero buffer.
func refreshBuffer(lifetime time.Duration) time.Duration {
	if lifetime <= 0 {
		return 0
	}
	return min(lifetime/4, maxRefreshBuf)
}

// close invalidates a user token (POST invalidate-token, 204) and forgets
// any token. OAuth tokens have no revocation endpoint; they are dropped.
func (s *tokenSource) close(ctx context.Context) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.release()
	tok := s.tok.value
	s.tok = token{}
	if tok == "" || s.creds.kind != credUser {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base.JoinPath(invalidatePath).String(), nil)
	if err != nil {
		return fmt.Errorf("jamf: build invalidate-token request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("User-Agent", s.userAgent)
	resp, err := s.hc.Do(req)
	if err != nil {
		return fmt.Errorf("jamf: POST %s: %w", invalidatePath, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody))
	if resp.StatusCode/100 != 2 {
		return newError(http.MethodPost, invalidatePath, resp.StatusCode, raw, s.secrets())
	}
	return nil
}

// authTransport adds the bearer token to each request. On a 401 it
// refreshes the token once and sends the request once more; any other status
// passes through untouched (status handling lives in Client.do).
//
// The client attaches the jar's cookies before RoundTrip runs, so the very
// first request of a run leaves without the affinity cookie that the token
// request it triggers is about to receive. RoundTrip adds the jar's cookies
// to a request that carries none, so that request too lands on the token's
// node and all requests of a run share one node.
type authTransport struct {
	base http.RoundTripper
	src  *tokenSource
	jar  http.CookieJar
}

// RoundTrip implements http.RoundTripper.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tok, err := t.src.token(ctx)
	if err != nil {
		closeBody(req)
		return nil, &tokenError{err: err}
	}
	first := withBearer(req, tok)
	t.addCookies(first)
	resp, err := t.base.RoundTrip(first)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return resp, nil // cannot replay the body
	}
	t.src.log.LogAttrs(ctx, slog.LevelDebug, "jamf 401: refreshing token and retrying once",
		slog.String("method", req.Method), slog.String("path", req.URL.Path))
	tok2, err := t.src.refreshAfter401(ctx, tok)
	if err != nil {
		drain(resp)
		return nil, &tokenError{err: err}
	}
	second := withBearer(req, tok2)
	t.addCookies(second)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			drain(resp)
			return nil, fmt.Errorf("jamf: replay body: %w", err)
		}
		second.Body = body
	}
	drain(resp)
	return t.base.RoundTrip(second)
}

// addCookies gives r the jar's cookies when it has none yet (see
// authTransport). r is a clone owned by RoundTrip.
func (t *authTransport) addCookies(r *http.Request) {
	if t.jar == nil || r.Header.Get("Cookie") != "" {
		return
	}
	for _, c := range t.jar.Cookies(r.URL) {
		r.AddCookie(c)
	}
}

func withBearer(req *http.Request, tok string) *http.Request {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	return r
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// drain reads a little of an unwanted body so the connection can be reused,
// then closes it.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}

// secretForms returns v and the encodings in which a server that quotes a
// request back could show it: URL query, path and form encoding, JSON
// string escaping (with and without HTML-safe escapes), XML and HTML
// escaping, whitespace folded as an HTML page renders it, and the payload
// wire form (XML-escaped in the plist, escaped once more by
// EncodePayloads), itself HTML-escaped in an error page; JSON with "\/";
// and the byte encodings of encodedForms (base64, hex, percent).
func secretForms(v string) []string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(v))
	xmlEsc := b.String()
	wire := EncodePayloads(xmlEsc)
	forms := []string{
		v, url.QueryEscape(v), url.PathEscape(v), html.EscapeString(v), xmlEsc,
		wire, html.EscapeString(wire), html.EscapeString(xmlEsc),
		jsonEscape(v, true), jsonEscape(v, false), strings.ReplaceAll(jsonEscape(v, false), "/", `\/`),
	}
	forms = append(forms, encodedForms(v)...)
	if f := foldSpace(v); f != "" {
		forms = append(forms, f)
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

// jsonEscape is v as it appears inside a JSON string, without the quotes.
func jsonEscape(v string, htmlSafe bool) string {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(htmlSafe)
	_ = e.Encode(v) // a string always encodes
	quoted := strings.TrimSuffix(b.String(), "\n")
	return quoted[1 : len(quoted)-1]
}
