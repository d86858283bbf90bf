// Package check is the vocabulary of jamf-scep's checks (doctor, the Okta
// and SCEP probes, the wizard's connection test): a Status, a one-line
// Message, a Fix and Details, returned as data instead of printed, so one
// renderer draws a checklist on a terminal and JSON for CI.
package check

import "fmt"

// Status is the outcome of one check. The zero value is not valid;
// renderers treat it like Fail.
type Status int

// Statuses, from best to worst; Skip means a check did not run because an
// earlier one in its group failed.
const (
	// Pass means nothing to fix.
	Pass Status = iota + 1
	// Info is a fact worth knowing that needs no action.
	Info
	// Warn means deployment can go ahead but something deserves attention.
	Warn
	// Fail means Macs will not get certificates until the fix is applied.
	Fail
	// Skip means the check could not run; the failure before it says why.
	Skip
)

// String returns "pass", "info", "warn", "fail", "skip" or "unknown".
func (s Status) String() string {
	switch s {
	case Pass:
		return "pass"
	case Info:
		return "info"
	case Warn:
		return "warn"
	case Fail:
		return "fail"
	case Skip:
		return "skip"
	}
	return "unknown"
}

// MarshalText encodes the status as its String form, for -o json.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Detail is one named fact behind a result, such as a fingerprint or a
// Mac's Subject. Values never hold secrets.
type Detail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is the outcome of one check, one line in a checklist.
type Result struct {
	// Check names what was checked, e.g. "SCEP GetCACaps".
	Check string `json:"check"`
	// Status is pass, info, warn, fail or skip.
	Status Status `json:"status"`
	// Message is one line saying what was found.
	Message string `json:"message"`
	// Fix says what to do; empty on pass.
	Fix string `json:"fix,omitempty"`
	// Details are the facts behind the message, in display order.
	Details []Detail `json:"details,omitempty"`
	// Err is the underlying error on warn or fail, for errors.Is and
	// errors.As; it never contains a secret and is not serialized.
	Err error `json:"-"`
}

// Add appends a detail with a formatted value.
func (r *Result) Add(name, format string, args ...any) {
	r.Details = append(r.Details, Detail{Name: name, Value: fmt.Sprintf(format, args...)})
}
