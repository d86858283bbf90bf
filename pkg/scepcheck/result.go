// Package scepcheck checks a SCEP service the way a Mac will use it: its
// capabilities (GetCACaps), its CA certificate (GetCACert) and, only when
// asked, a real enrollment (PKCSReq). The protocol is RFC 8894; messages are
// built and parsed with github.com/smallstep/scep and
// github.com/smallstep/pkcs7.
//
// Every Check function returns a [Result] (pass, warn or fail, a one-line
// message, a fix and details) instead of printing, so that the doctor command
// can render a checklist or JSON. No function reads the clock: the caller
// passes now.
package scepcheck

import (
	"fmt"
	"net/http"
	"time"
)

// Status is the outcome of one check. The zero value is not a valid outcome;
// a renderer should treat it like [Fail].
type Status int

const (
	// Pass means the check found nothing to fix.
	Pass Status = iota + 1
	// Warn means deployment can go ahead but something deserves attention.
	Warn
	// Fail means Macs will not get certificates until the fix is applied.
	Fail
)

// String returns "pass", "warn", "fail" or "unknown".
func (s Status) String() string {
	switch s {
	case Pass:
		return "pass"
	case Warn:
		return "warn"
	case Fail:
		return "fail"
	default:
		return "unknown"
	}
}

// MarshalText encodes the status as its String form, for -o json.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Detail is one named fact a check found, such as a fingerprint or a list of
// capabilities. Values never hold secrets.
type Detail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is the structured outcome of one check.
type Result struct {
	// Check names what was checked, e.g. "SCEP GetCACaps".
	Check string `json:"check"`
	// Status is pass, warn or fail.
	Status Status `json:"status"`
	// Message is one line saying what was found.
	Message string `json:"message"`
	// Fix says what to do; empty on pass.
	Fix string `json:"fix,omitempty"`
	// Details are the facts behind the message, in display order.
	Details []Detail `json:"details,omitempty"`
	// Err is the underlying error on warn or fail, for errors.Is and
	// errors.As; it never contains a secret. It is not serialized.
	Err error `json:"-"`
}

func (r *Result) add(name, format string, args ...any) {
	r.Details = append(r.Details, Detail{Name: name, Value: fmt.Sprintf(format, args...)})
}

// NewHTTPClient returns a plain net/http client for SCEP and challenge
// requests: timeout bounds each whole request (connect, TLS, headers and
// body) and the TLS handshake and response headers are bounded by it too.
// Proxies come from the environment, as with http.DefaultTransport.
func NewHTTPClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSHandshakeTimeout = timeout
	t.ResponseHeaderTimeout = timeout
	return &http.Client{Transport: t, Timeout: timeout}
}
