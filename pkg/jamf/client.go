package jamf

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/build"
)

// DefaultMaxConcurrency is Jamf's advice: at most 5 concurrent connections
// per server ("Jamf Pro API scalability best practices").
const DefaultMaxConcurrency = 5

// DefaultTimeout bounds one HTTP exchange, body included.
const DefaultTimeout = 60 * time.Second

// maxBody caps a response body in bytes (a 2,000-computer inventory page
// with four sections is a few MiB).
const maxBody = 64 << 20

// Client talks to one Jamf Pro tenant. It is safe for concurrent use; build
// it with [New] and release it with [Client.Close].
type Client struct {
	base      *url.URL // always ends in "/"
	userAgent string
	hc        *http.Client // auth transport, cookie jar, timeout
	tokens    *tokenSource
	log       *slog.Logger
	retry     RetryPolicy
	sem       chan struct{} // one slot per request in flight
	clock     Clock
	jitter    func(time.Duration) time.Duration

	versionMu     sync.Mutex
	version       string         // cached jamf-pro-version
	versionFlight *versionFlight // the jamf-pro-version request out, nil when none
	inventoryV    int            // computers-inventory version in use, 0 until known
	shapeSaid     bool           // the newer-than-known note was logged
}

// Option configures a [Client] in [New].
type Option func(*settings)

type settings struct {
	hc          *http.Client
	userAgent   string
	log         *slog.Logger
	retry       RetryPolicy
	concurrency int
	clock       Clock
	timeout     time.Duration
	capture     *Capture
}

// WithCapture records every response the client receives into cp,
// sanitized (see [Capture]).
func WithCapture(cp *Capture) Option { return func(s *settings) { s.capture = cp } }

// WithHTTPClient makes the client use hc's Transport, Timeout and Jar. The
// client keeps its own *http.Client (it adds the auth transport) and gives
// it a cookie jar when hc has none. hc itself is not modified.
func WithHTTPClient(hc *http.Client) Option { return func(s *settings) { s.hc = hc } }

// WithUserAgent sets the User-Agent header; the default is
// "jamf-scep/<version>".
func WithUserAgent(ua string) Option { return func(s *settings) { s.userAgent = ua } }

// WithLogger sends debug records (method, path, status, duration, retry and
// token decisions; never a secret or a body) to l. The default discards.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.log = l } }

// WithRetryPolicy replaces [DefaultRetryPolicy]; zero fields keep their
// defaults.
func WithRetryPolicy(p RetryPolicy) Option { return func(s *settings) { s.retry = p } }

// WithMaxConcurrency caps requests in flight (default 5, Jamf's advice).
// Values below 1 are treated as 1.
func WithMaxConcurrency(n int) Option { return func(s *settings) { s.concurrency = n } }

// WithClock replaces the wall clock used for token expiry and retry waits.
func WithClock(c Clock) Option { return func(s *settings) { s.clock = c } }

// WithTimeout bounds one HTTP exchange (default 60 s); retries each get
// their own.
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// New returns a client for the tenant at baseURL, for example
// "https://example.jamfcloud.com" or "https://jamf.example.com:8443/jamf/"
// (paths are resolved relative to it). baseURL must be https; plain http is
// accepted only for loopback hosts (tests, local simulators), because
// credentials and tokens would otherwise cross the network in clear.
//
// New does no I/O: the first request fetches a token.
func New(baseURL string, creds Credentials, opts ...Option) (*Client, error) {
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if err := creds.valid(); err != nil {
		return nil, err
	}
	s := settings{
		userAgent:   build.UserAgent(),
		concurrency: DefaultMaxConcurrency,
		clock:       realClock{},
		timeout:     DefaultTimeout,
	}
	for _, o := range opts {
		o(&s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.concurrency = max(s.concurrency, 1)

	var transport http.RoundTripper = http.DefaultTransport
	var jar http.CookieJar
	if s.hc != nil {
		if s.hc.Transport != nil {
			transport = s.hc.Transport
		}
		jar = s.hc.Jar
		if s.hc.Timeout > 0 {
			s.timeout = s.hc.Timeout
		}
	}
	if jar == nil {
		// One jar for the whole run keeps Jamf Cloud's node affinity cookie
		// (jpro-ingress, older APBALANCEID), so a read after a write lands on
		// the node that took the write.
		jar, _ = cookiejar.New(nil) // never fails with nil options
	}
	var src *tokenSource
	if s.capture != nil {
		transport = s.capture.wrap(transport, base.Path, func() []string { return src.secrets() })
	}
	plain := &http.Client{Transport: transport, Jar: jar, Timeout: s.timeout, CheckRedirect: noRedirect}
	rt := retrier{policy: s.retry.withDefaults(), clock: s.clock, jitter: halfJitter, log: s.log}
	src = newTokenSource(creds, base, plain, rt, s.userAgent, s.log)
	c := &Client{
		base:      base,
		userAgent: s.userAgent,
		hc: &http.Client{
			Transport:     &authTransport{base: transport, src: src, jar: jar},
			Jar:           jar,
			Timeout:       s.timeout,
			CheckRedirect: noRedirect,
		},
		tokens: src,
		log:    s.log,
		retry:  s.retry.withDefaults(),
		sem:    make(chan struct{}, s.concurrency),
		clock:  s.clock,
		jitter: halfJitter,
	}
	return c, nil
}

// noRedirect stops the client from following redirects: a redirect would
// carry the bearer token to wherever it points (Go drops Authorization only
// across hosts) and Jamf's API never redirects a correct request.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("jamf: invalid Jamf Pro URL %q: %w", raw, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return nil, fmt.Errorf("jamf: invalid Jamf Pro URL %q: want https://host[:port][/path]", raw)
	case u.User != nil:
		return nil, fmt.Errorf("jamf: Jamf Pro URL must not carry credentials; pass them as jamf.Credentials")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("jamf: invalid Jamf Pro URL %q: remove the query or fragment", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("jamf: Jamf Pro URL %q is plain http; use https so credentials are not sent in clear", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Redact registers more secret values (an Okta password inside a payload
// the client uploads, say) that the client removes, like its own
// credentials and tokens, from every error and debug record it produces,
// also in their URL- and XML-escaped forms. Safe for concurrent use.
func (c *Client) Redact(values ...string) { c.tokens.redactAlso(values) }

// BaseURL returns a copy of the tenant URL, always ending in "/".
func (c *Client) BaseURL() *url.URL {
	u := *c.base
	return &u
}

// Close ends the session: a user-account token is invalidated on the server
// (POST /api/v1/auth/invalidate-token); an OAuth token is forgotten. The
// client fetches a new token if used again.
func (c *Client) Close(ctx context.Context) error { return c.tokens.close(ctx) }

// request is one API call; path is relative to the base URL.
type request struct {
	method      string
	path        string
	query       url.Values
	body        []byte
	contentType string
	accept      string
}

// do sends r, retrying as RetryPolicy allows, and returns the 2xx body.
// Every other outcome is an error: *Error for an HTTP answer (also after the
// last retry), ctx's error when canceled, a wrapped network error otherwise,
// and an error matching ErrWrongDocument for a 2xx answer whose
// Content-Type is another kind of document than r.accept. For a write
// (POST, PUT, DELETE) an error that leaves open whether Jamf Pro applied it
// also matches ErrMayHaveApplied (see writeOutcome).
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	body, sent, err := c.doRetry(ctx, r)
	if err != nil && !idempotentRead(r.method) {
		return nil, writeOutcome(err, sent)
	}
	return body, err
}

// doRetry is do without the write classification; sent reports whether
// the last attempt may have reached the server.
func (c *Client) doRetry(ctx context.Context, r request) (body []byte, sent bool, err error) {
	rt := c.retrier()
	start := c.clock.Now()
	for attempt := 1; ; attempt++ {
		body, status, header, sent, err := c.send(ctx, r, attempt)
		if err == nil && status/100 == 2 {
			if err := checkContentType(r.method, r.path, r.accept, header.Get("Content-Type")); err != nil {
				return nil, true, err
			}
			return body, true, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, sent, fmt.Errorf("jamf: %s %s: %w", r.method, r.path, ctxErr)
		}
		var final error
		var reason string
		switch {
		case err != nil:
			var jerr *Error
			var terr *tokenError
			if errors.As(err, &jerr) || errors.As(err, &terr) { // no token: not a network error, and already retried
				return nil, false, tokenFailure(err)
			}
			final = fmt.Errorf("jamf: %s %s: %w", r.method, r.path, err)
			if permanentNetError(err) {
				return nil, false, final // retrying cannot help: a wrong host name or certificate
			}
			if errors.Is(err, errTooLarge) {
				return nil, true, final
			}
			reason = "network error"
		case status >= 300 && status < 400:
			e := newRedirectError(r.method, r.path, status, header.Get("Location"), c.tokens.secrets())
			e.Auth = c.tokens.creds.authKind()
			return nil, true, e
		default:
			e := newError(r.method, r.path, status, body, c.tokens.secrets())
			e.Auth = c.tokens.creds.authKind()
			final = e
			if !retryableStatus(status) {
				return nil, true, final
			}
			reason = fmt.Sprintf("status %d", status)
		}
		if !idempotent(r.method) {
			return nil, sent, final
		}
		if err := rt.wait(ctx, start, attempt, header, r.method, r.path, reason, final); err != nil {
			return nil, sent, err
		}
	}
}

// tokenFailure unwraps the error of a token request made for a request:
// the *Error of a refused token, or the token request's own error.
func tokenFailure(err error) error {
	var jerr *Error
	if errors.As(err, &jerr) {
		return jerr
	}
	var terr *tokenError
	if errors.As(err, &terr) {
		return terr.err
	}
	return err
}

func (c *Client) retrier() retrier {
	return retrier{policy: c.retry, clock: c.clock, jitter: c.jitter, log: c.log}
}

// send makes one attempt while holding a concurrency slot. sent is false
// when the request certainly did not reach the server (no slot, no token,
// no connection).
func (c *Client) send(ctx context.Context, r request, attempt int) (body []byte, status int, header http.Header, sent bool, err error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, nil, false, ctx.Err()
	}
	defer func() { <-c.sem }()

	u := c.base.JoinPath(r.path)
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), rd)
	if err != nil {
		return nil, 0, nil, false, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	t0 := c.clock.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.log.LogAttrs(ctx, slog.LevelDebug, "jamf request failed",
			slog.String("method", r.method), slog.String("path", logPath(u)),
			slog.Int("attempt", attempt), slog.Duration("duration", c.clock.Now().Sub(t0)),
			slog.String("error", redactSecrets(err.Error(), c.tokens.secrets())))
		return nil, 0, nil, !notSent(err), err
	}
	defer resp.Body.Close()
	body, err = readCapped(resp.Body, maxBody)
	c.log.LogAttrs(ctx, slog.LevelDebug, "jamf request",
		slog.String("method", r.method), slog.String("path", logPath(u)),
		slog.Int("status", resp.StatusCode), slog.Int("attempt", attempt),
		slog.Int("bytes", len(body)), slog.Duration("duration", c.clock.Now().Sub(t0)))
	if err != nil {
		return nil, 0, nil, true, err
	}
	return body, resp.StatusCode, resp.Header, true, nil
}

// errTooLarge marks an answer past its size cap; retrying cannot help.
var errTooLarge = errors.New("answer too large")

// readCapped reads r to the end, or fails with a clear error once it
// passes limit bytes: a body is never read without bound.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("answer is larger than %s, the most this client reads: %w", byteSize(limit), errTooLarge)
	}
	return body, nil
}

func byteSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// logPath is the path and query as sent, without scheme and host.
func logPath(u *url.URL) string { return u.RequestURI() }

// permanentNetError reports network errors that a retry cannot fix: the
// host name does not exist, or the server's certificate is not trusted or
// not for that name.
func permanentNetError(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return true
	}
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &verify)
}
