package jamf

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestParseRetryAfterBounded: both forms of Retry-After (RFC 9110 section
// 10.2.3) are capped at maxRetryAfter, so a far-future date can neither
// saturate a time.Duration nor overflow the budget arithmetic.
func TestParseRetryAfterBounded(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		want   time.Duration
		ok     bool
	}{
		{"seconds", "3", 3 * time.Second, true},
		{"huge seconds", "99999999999999", maxRetryAfter, true},
		{"date in year 9999", "Fri, 31 Dec 9999 23:59:59 GMT", maxRetryAfter, true},
		{"date in two days", now.Add(48 * time.Hour).Format(http.TimeFormat), maxRetryAfter, true},
		{"date in 10 s", now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second, true},
		{"date in the past", "Mon, 01 Jan 2001 00:00:00 GMT", 0, true},
		{"negative", "-1", 0, false},
		{"garbage", "soon", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.header, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.header, got, ok, tt.want, tt.ok)
			}
		})
	}
}

type recordingClock struct {
	now   time.Time
	slept []time.Duration
}

func (c *recordingClock) Now() time.Time { return c.now }

func (c *recordingClock) Sleep(_ context.Context, d time.Duration) error {
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

// TestRetryAfterOverBudgetSaysWhy: a Retry-After longer than what is left
// of the budget gives up at once, without sleeping, and the error says
// how long the server asked to wait and what the budget is.
func TestRetryAfterOverBudgetSaysWhy(t *testing.T) {
	for _, v := range []string{"3600", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		t.Run(v, func(t *testing.T) {
			clock := &recordingClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			r := retrier{policy: DefaultRetryPolicy, clock: clock, jitter: halfJitter, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			h := http.Header{}
			h.Set("Retry-After", v)
			final := &Error{Method: "GET", Path: "JSSResource/osxconfigurationprofiles", StatusCode: 503}
			err := r.wait(t.Context(), clock.now, 1, h, "GET", final.Path, "status 503", final)
			if err == nil {
				t.Fatal("wait returned nil; want it to give up")
			}
			if len(clock.slept) != 0 {
				t.Errorf("slept %v before giving up", clock.slept)
			}
			var jerr *Error
			if !errors.As(err, &jerr) || jerr.StatusCode != 503 {
				t.Errorf("err = %v, want it to wrap the 503", err)
			}
			for _, want := range []string{"asked to wait", "retry budget of 1m30s"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %q, want it to contain %q", err, want)
				}
			}
		})
	}
}
