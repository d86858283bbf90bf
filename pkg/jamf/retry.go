package jamf

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds how the client retries idempotent requests (GET, PUT,
// DELETE) and token requests (OAuth token, user token, keep-alive: each
// only issues a token) after a network error or a 429, 502, 503 or 504.
// Other POSTs are never retried: a retried create meets its own name and
// answers 409. A host name that does not resolve or an untrusted
// certificate is never retried.
//
// The wait before retry n is the server's Retry-After (RFC 9110 section
// 10.2.3: seconds or an HTTP date) when given, else BaseDelay*2^(n-1) capped
// at MaxDelay, with jitter in [d/2, d]. The client gives up when MaxAttempts
// attempts are spent or when the next wait would end past MaxElapsed since
// the first attempt; it never sleeps past either bound, and ctx cancels a
// wait at once.
type RetryPolicy struct {
	MaxAttempts int           // attempts including the first; 1 disables retries
	BaseDelay   time.Duration // first backoff
	MaxDelay    time.Duration // cap on one computed backoff (Retry-After may exceed it within MaxElapsed)
	MaxElapsed  time.Duration // total budget from the first attempt
}

// DefaultRetryPolicy is 5 attempts, 500 ms doubling to at most 20 s, within
// 90 s in all.
var DefaultRetryPolicy = RetryPolicy{
	MaxAttempts: 5,
	BaseDelay:   500 * time.Millisecond,
	MaxDelay:    20 * time.Second,
	MaxElapsed:  90 * time.Second,
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy
	if p.MaxAttempts > 0 {
		d.MaxAttempts = p.MaxAttempts
	}
	if p.BaseDelay > 0 {
		d.BaseDelay = p.BaseDelay
	}
	if p.MaxDelay > 0 {
		d.MaxDelay = p.MaxDelay
	}
	if p.MaxElapsed > 0 {
		d.MaxElapsed = p.MaxElapsed
	}
	return d
}

// backoff is the computed wait before attempt n+1 (n >= 1), before jitter.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// retrier runs the wait between attempts of one request under a policy.
type retrier struct {
	policy RetryPolicy
	clock  Clock
	jitter func(time.Duration) time.Duration
	log    *slog.Logger
}

// wait is called after failed attempt n of a request first sent at start.
// It sleeps until the next attempt and returns nil, or returns the error
// to give up with: final wrapped with the attempts spent when the policy
// is exhausted, or ctx's error. The wait is the server's Retry-After when
// given, else the jittered backoff; either way it never ends past
// MaxElapsed.
func (r retrier) wait(ctx context.Context, start time.Time, n int, header http.Header, method, path, reason string, final error) error {
	p := r.policy
	wait, fromHeader := parseRetryAfter(header.Get("Retry-After"), r.clock.Now())
	if !fromHeader {
		wait = r.jitter(p.backoff(n))
	}
	elapsed := r.clock.Now().Sub(start)
	// Both are bounded (wait by maxRetryAfter or MaxDelay), so the sum
	// cannot overflow.
	if n >= p.MaxAttempts || elapsed+wait > p.MaxElapsed {
		r.log.LogAttrs(ctx, slog.LevelDebug, "jamf giving up",
			slog.String("method", method), slog.String("path", path),
			slog.String("reason", reason), slog.Int("attempts", n),
			slog.Duration("elapsed", elapsed), slog.Duration("next_wait", wait))
		if fromHeader && n < p.MaxAttempts {
			return fmt.Errorf("jamf: gave up after %d attempts in %s: the server asked to wait %s (Retry-After), over what is left of the retry budget of %s: %w",
				n, elapsed.Round(time.Millisecond), wait, p.MaxElapsed, final)
		}
		return fmt.Errorf("jamf: gave up after %d attempts in %s: %w", n, elapsed.Round(time.Millisecond), final)
	}
	r.log.LogAttrs(ctx, slog.LevelDebug, "jamf retry",
		slog.String("method", method), slog.String("path", path),
		slog.String("reason", reason), slog.Int("attempt", n),
		slog.Duration("wait", wait), slog.Bool("retry_after", fromHeader))
	if err := r.clock.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("jamf: %s %s: %w", method, path, err)
	}
	return nil
}

// idempotent reports whether a request with method may be sent twice.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryableStatus reports whether status is worth another attempt.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// parseRetryAfter reads a Retry-After header (RFC 9110 section 10.2.3):
// delay-seconds or an HTTP date. ok is false when absent or unreadable; a
// date in the past gives 0.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		const maxSecs = int64(maxRetryAfter / time.Second)
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	// Compared as times, not as a Duration: t.Sub saturates for a date
	// centuries away, and the budget check would then overflow.
	if t.After(now.Add(maxRetryAfter)) {
		return maxRetryAfter, true
	}
	return max(t.Sub(now), 0), true
}

// maxRetryAfter caps a server's Retry-After, in either form: far above any
// budget, far below the limits of a time.Duration.
const maxRetryAfter = 24 * time.Hour

// halfJitter returns a duration in [d/2, d].
func halfJitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// Clock is the client's view of time, replaceable in tests with
// [WithClock]. Sleep returns ctx.Err() if ctx ends first.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
