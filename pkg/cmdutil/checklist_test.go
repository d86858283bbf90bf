package cmdutil

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/check"
)

func TestWriteChecklist(t *testing.T) {
	results := []check.Result{
		{Check: "config", Status: check.Pass, Message: "valid", Details: []check.Detail{{Name: "hidden", Value: "on pass"}}},
		{Check: "jamf prod: privileges", Status: check.Fail, Message: `the API role lacks "Read Computers"`, Fix: "add it"},
		{Check: "jamf prod: scope", Status: check.Skip, Message: "not run"},
		{Check: "okta: GetCACert", Status: check.Warn, Message: "CA expires soon", Fix: "plan a new CA", Details: []check.Detail{{Name: "CA valid", Value: "to 2027-01-01"}}},
	}
	var b bytes.Buffer
	if err := writeChecklist(&b, results, textStyle); err != nil {
		t.Fatal(err)
	}
	want := `PASS config: valid
FAIL jamf prod: privileges: the API role lacks "Read Computers"
      fix: add it
SKIP jamf prod: scope: not run
WARN okta: GetCACert: CA expires soon
      CA valid: to 2027-01-01
      fix: plan a new CA

1 passed, 1 warnings, 1 failed, 1 skipped
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("checklist (-want +got):\n%s", diff)
	}
	b.Reset()
	if err := writeChecklist(&b, results[:1], ttyStyle); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !bytes.Contains([]byte(got), []byte("\x1b[32m✓\x1b[0m config: valid")) {
		t.Errorf("tty checklist = %q, want a green check mark", got)
	}
}
