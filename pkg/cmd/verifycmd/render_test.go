package verifycmd

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// TestRenderEscapesServerStrings pins QA report 2, item 12 for verify: a
// computer name (or serial, command state, certificate CN, note) from
// Jamf Pro holding ESC, BEL, CR or a bidi override is shown escaped in the
// text table, on a terminal or piped, and in CSV (which keeps the data but
// no raw control character), while the CSV formula guard still applies.
func TestRenderEscapesServerStrings(t *testing.T) {
	const evil = "\x1b]0;PWNED\x07\u202e\r"
	r := &verify.Report{Macs: []verify.Mac{
		{
			ID: 1, Name: "mac" + evil, Serial: "C02" + evil, Status: verify.Status("pending"), Notes: []string{"note" + evil},
			Command: &verify.Command{State: "Pending" + evil},
		},
		{ID: 2, Name: "=cmd" + evil, Serial: "S2", Status: verify.Status("pending")},
	}}
	for _, aligned := range []bool{true, false} {
		var b bytes.Buffer
		if err := writeTable(&b, r, aligned, 0); err != nil {
			t.Fatal(err)
		}
		assertEscaped(t, "table", b.String(), `mac\x1b]0;PWNED\x07\u202e\r`)
	}
	var b bytes.Buffer
	if err := writeCSV(&b, []tenantResult{{Tenant: "prod", Report: r}}); err != nil {
		t.Fatal(err)
	}
	assertEscaped(t, "csv", b.String(), `mac\x1b]0;PWNED\x07\u202e\r`)
	if !strings.Contains(b.String(), `'=cmd\x1b`) {
		t.Errorf("csv lost the formula guard: %q", b.String())
	}
}

func assertEscaped(t *testing.T, what, got, want string) {
	t.Helper()
	if i := strings.IndexAny(got, "\x1b\x07\u202e"); i >= 0 {
		t.Errorf("%s holds a raw control or bidi character at %d: %q", what, i, got)
	}
	if strings.Contains(strings.ReplaceAll(got, "\r\n", "\n"), "\r") {
		t.Errorf("%s holds a raw carriage return: %q", what, got)
	}
	if !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to show %q", what, got, want)
	}
}
