package profile

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Severity ranks a [Finding]. The zero value is SeverityError, so a Finding
// built without a severity is never silently ignored.
type Severity int

// Severities, most severe first.
const (
	SeverityError Severity = iota
	SeverityWarning
	SeverityInfo
)

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText encodes the severity as its String form, so JSON output says
// "error" rather than 0.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses "error", "warning" or "info".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	case "info":
		*s = SeverityInfo
	default:
		return fmt.Errorf("unknown severity %q; options are error, warning, info", b)
	}
	return nil
}

// Finding is one problem or note about a profile or its inputs.
//
// Path names where: for [Build], the config key ("profile.scep.url"); for
// [Lint], the plist key path ("PayloadContent[0].PayloadContent.Key Usage").
// Message says what is wrong and Fix what to do. Neither ever contains a
// secret value.
type Finding struct {
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
}

// String renders the finding on one line: "error: PATH: MESSAGE (fix: FIX)".
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Severity.String())
	b.WriteString(": ")
	if f.Path != "" {
		b.WriteString(f.Path)
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	if f.Fix != "" {
		b.WriteString(" (fix: ")
		b.WriteString(f.Fix)
		b.WriteString(")")
	}
	return b.String()
}

// Findings is an ordered list of findings.
type Findings []Finding

// HasErrors reports whether any finding has SeverityError.
func (fs Findings) HasErrors() bool {
	for _, f := range fs {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns the findings with SeverityError, in order.
func (fs Findings) Errors() Findings { return fs.filter(SeverityError) }

// Warnings returns the findings with SeverityWarning, in order.
func (fs Findings) Warnings() Findings { return fs.filter(SeverityWarning) }

func (fs Findings) filter(s Severity) Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// Err returns nil when there are no errors, else a *FindingsError holding
// every error finding (not just the first).
func (fs Findings) Err() error {
	errs := fs.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &FindingsError{Findings: errs}
}

// MarshalJSON encodes the findings as a JSON array, never null.
func (fs Findings) MarshalJSON() ([]byte, error) {
	if fs == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]Finding(fs))
}

// FindingsError is the error [Build] returns: every error finding at once.
// Inspect it with errors.As to print one line per finding.
type FindingsError struct {
	Findings Findings
}

// Error joins the findings, one per line.
func (e *FindingsError) Error() string {
	lines := make([]string, len(e.Findings))
	for i, f := range e.Findings {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}
