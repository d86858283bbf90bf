package check

import (
	"errors"
	"testing"
)

func TestStatusText(t *testing.T) {
	for s, want := range map[Status]string{
		Pass: "pass", Info: "info", Warn: "warn", Fail: "fail", Skip: "skip", 0: "unknown",
	} {
		b, err := s.MarshalText()
		if err != nil || s.String() != want || string(b) != want {
			t.Errorf("Status(%d) = %q / %q, want %q", int(s), s.String(), b, want)
		}
	}
}

func TestResultAdd(t *testing.T) {
	r := Result{Status: Fail, Err: errors.New("x")}
	r.Add("capabilities", "%s, %s", "AES", "SHA-256")
	if len(r.Details) != 1 || r.Details[0] != (Detail{Name: "capabilities", Value: "AES, SHA-256"}) {
		t.Errorf("Details = %+v", r.Details)
	}
}
