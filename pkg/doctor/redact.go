package doctor

import (
	"sync"

	"github.com/jamf-scep/jamf-scep/pkg/check"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Secrets collects every secret value a doctor run resolves or fetches
// (the Okta password, a static or fetched challenge, Jamf credentials), so
// that Run can redact them from every result, whichever server quoted them
// and whichever check ran first. Safe for concurrent use; the zero value
// is ready.
type Secrets struct {
	mu     sync.Mutex
	values []string
}

// Add records values; empty ones are ignored. A nil *Secrets ignores all.
func (s *Secrets) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v != "" {
			s.values = append(s.values, v)
		}
	}
}

// redactResults rewrites every text of rs (message, fix, details, error)
// through jamf.RedactText with the values recorded so far.
func (s *Secrets) redactResults(rs []check.Result) {
	if s == nil {
		return
	}
	s.mu.Lock()
	values := append([]string(nil), s.values...)
	s.mu.Unlock()
	if len(values) == 0 {
		return
	}
	red := func(t string) string { return jamf.RedactText(t, values...) }
	for i := range rs {
		r := &rs[i]
		r.Message, r.Fix = red(r.Message), red(r.Fix)
		for j := range r.Details {
			r.Details[j].Value = red(r.Details[j].Value)
		}
		if r.Err != nil {
			if msg := red(r.Err.Error()); msg != r.Err.Error() {
				r.Err = &redactedError{msg: msg, err: r.Err}
			}
		}
	}
}

// redactedError shows a redacted message and keeps the chain for
// errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
