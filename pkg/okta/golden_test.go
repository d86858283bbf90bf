package okta_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/golden"
)

// golden compares v, as indented JSON, with testdata/name, or rewrites the
// file when -update is set.
func goldenJSON(t *testing.T, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, name, buf.Bytes())
}
