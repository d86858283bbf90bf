package scepcheck

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// NewHTTPClient returns the client for SCEP and challenge requests: timeout
// bounds each whole request (connect, TLS, headers and body), the TLS
// handshake and response headers are bounded by it too, redirects are
// refused with a *RedirectError, and each request is logged to log at debug
// level (method, host, path, status, duration; never the query, headers or
// bodies, which carry PKCS#7 messages and credentials). log nil logs
// nothing. Proxies come from the environment, as with http.DefaultTransport.
func NewHTTPClient(timeout time.Duration, log *slog.Logger) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSHandshakeTimeout = timeout
	t.ResponseHeaderTimeout = timeout
	var rt http.RoundTripper = t
	if log != nil {
		rt = &loggingTransport{next: t, log: log}
	}
	return &http.Client{Transport: rt, Timeout: timeout, CheckRedirect: refuseRedirect}
}

// RedirectError is a 3xx answer with a Location. jamf-scep never follows a
// redirect from a SCEP or Challenge URL: the request may carry the Okta
// password (Basic auth) or a challenge, and the new origin may be another
// host or plain http.
type RedirectError struct {
	From   string // the URL asked, without query or user info
	To     string // the Location, resolved, without query or user info
	Status int    // e.g. 302
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d, a redirect to %s; redirects are never followed, because they could carry the credentials elsewhere",
		e.From, e.Status, e.To)
}

// refuseRedirect is an http.Client CheckRedirect that stops at the first
// redirect, before anything is sent to the new location.
func refuseRedirect(req *http.Request, via []*http.Request) error {
	from := ""
	if len(via) > 0 {
		from = LogURL(via[len(via)-1].URL)
	}
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return &RedirectError{From: from, To: LogURL(req.URL), Status: status}
}

// LogURL is how a request URL appears in errors and logs: scheme, host and
// path only. The query may hold a PKCS#7 message (GET PKIOperation) and
// user info a password.
func LogURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return c.String()
}

// Answer is an HTTP answer read whole by [Send].
type Answer struct {
	Status int         // HTTP status code
	Header http.Header // response headers
	Body   []byte      // at most the limit passed to Send
}

// Send sends req with client and reads the whole answer, at most limit
// bytes; a longer answer is an error, so a hostile server cannot exhaust
// memory. Whatever client is passed, redirects are refused (a copy of the
// client with CheckRedirect replaced is used): the error then wraps a
// *RedirectError. op names the request in errors ("SCEP GetCACaps",
// "the Challenge URL").
func Send(client *http.Client, req *http.Request, op string, limit int64) (*Answer, error) {
	c := *client
	c.CheckRedirect = refuseRedirect
	resp, err := c.Do(req)
	if err != nil {
		var re *RedirectError
		if errors.As(err, &re) {
			return nil, fmt.Errorf("%s: %w", op, re)
		}
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the answer: %w", op, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s: the answer is larger than %d bytes; check that the URL points at the intended server", op, limit)
	}
	return &Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// ServerText turns a server's error body into one short line for a
// message: tags dropped, control characters and runs of space folded,
// at most 200 characters, and every secret replaced by redact.Text, "(sensitive)"
// (before and after the folding, so a secret split by a tag or spaces
// is caught). Empty when nothing readable is left.
func ServerText(body []byte, secrets ...string) string {
	const max = 200
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	s = redactAll(s, secrets)
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
			b.WriteRune(' ')
		case r == '>' && inTag:
			inTag = false
		case inTag:
		case unicode.IsControl(r) || unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	s = redactAll(strings.Join(strings.Fields(b.String()), " "), secrets)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return s
}

func redactAll(s string, secrets []string) string { return redact.Secrets(s, secrets...) }

// loggingTransport logs each round trip at debug level.
type loggingTransport struct {
	next http.RoundTripper
	log  *slog.Logger
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("method", req.Method), slog.String("host", req.URL.Host),
		slog.String("path", req.URL.Path), slog.Duration("duration", time.Since(start)),
	}
	if err != nil {
		t.log.LogAttrs(req.Context(), slog.LevelDebug, "http request failed", append(attrs, slog.String("error", err.Error()))...)
		return nil, err
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode))
	if loc := resp.Header.Get("Location"); loc != "" {
		if u, perr := req.URL.Parse(loc); perr == nil {
			attrs = append(attrs, slog.String("location", LogURL(u)))
		}
	}
	t.log.LogAttrs(req.Context(), slog.LevelDebug, "http request", attrs...)
	return resp, nil
}
