package safedecode

import (
	"errors"
	"testing"
)

// TestPlistMalformedDicts pins QA report 2 (P3): a stored plist whose dict
// holds a key twice, or a key without a value, decoded to "No changes"
// (howett.net/plist keeps the last value, or drops the key). Plist reports
// it as ErrMalformed, naming the key and line; where howett.net/plist reads
// the document anyway it still decodes v, so a plan can show the
// difference and rewrite it.
func TestPlistMalformedDicts(t *testing.T) {
	const head = `<?xml version="1.0"?>` + "\n" + `<plist version="1.0">` + "\n"
	tests := []struct{ name, in, wantErr string }{
		{"well formed", head + `<dict><key>a</key><string>1</string><key>b</key><dict><key>a</key><string>2</string></dict></dict></plist>`, ""},
		{
			"duplicate key", head + `<dict><key>a</key><string>1</string>` + "\n" + `<key>a</key><string>2</string></dict></plist>`,
			`malformed property list: line 4: the key "a" appears twice in one dict`,
		},
		{
			"nested duplicate", head + `<dict><key>PayloadContent</key><array><dict><key>URL</key><string>x</string><key>URL</key><string>y</string></dict></array></dict></plist>`,
			`malformed property list: line 3: the key "URL" appears twice in one dict`,
		},
		{
			"key without value at end", head + `<dict><key>a</key><string>1</string><key>b</key></dict></plist>`,
			`malformed property list: line 3: the key "b" has no value`,
		},
		{
			"key followed by key", head + `<dict><key>a</key><key>b</key><string>1</string></dict></plist>`,
			`malformed property list: line 3: the key "a" has no value`,
		},
		{
			"value without key", head + `<dict><string>1</string></dict></plist>`,
			`malformed property list: line 3: a <string> value has no key`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			err := Plist([]byte(tt.in), &v)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Plist = %v, want nil", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr || !errors.Is(err, ErrMalformed) {
				t.Fatalf("Plist error = %v, want %q (ErrMalformed)", err, tt.wantErr)
			}
			if tt.name == "duplicate key" && v == nil {
				t.Errorf("Plist left v empty on ErrMalformed; want what the parser read")
			}
		})
	}
}
