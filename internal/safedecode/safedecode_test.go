package safedecode

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"howett.net/plist"
)

var small = Limits{Bytes: 1 << 10, Depth: 4, Values: 5}

func TestCheckPlist(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // "" ok, "limit:WHAT" a LimitError, else error text
	}{
		{name: "profile shape", in: `<?xml version="1.0"?><plist version="1.0"><dict><key>a</key><array><string>x</string></array></dict></plist>`},
		{name: "depth at the limit", in: "<plist><array><array><true/></array></array></plist>"},
		{name: "depth past the limit", in: "<plist><array><array><array><true/></array></array></array></plist>", want: "limit:levels of nesting"},
		{name: "keys are not values", in: "<dict><key>a</key><true/><key>b</key><true/><key>c</key><true/><key>d</key><true/></dict>"},
		{name: "values past the limit", in: "<array><true/><true/><true/><true/><true/></array>", want: "limit:values"},
		{name: "bytes past the limit", in: "<string>" + strings.Repeat("x", 1<<10) + "</string>", want: "limit:bytes"},
		{name: "OpenStep text refused", in: `{ a = ( b ); }`, want: "not an XML or binary property list"},
		{name: "strings-file text refused", in: `a = { b = { c = d; }; };`, want: "not an XML or binary property list"},
		{name: "unknown root refused", in: "<abcd><array/></abcd>", want: "root element is <abcd>"},
		{name: "key as root refused", in: "<key>a</key>", want: "root element is <key>"},
		{name: "empty refused", in: "", want: "not an XML or binary property list"},
		{name: "syntax error left to the parser", in: "<plist><array></dict></plist>"},
		{name: "scan stops at the end of the first element", in: "<plist><true/></plist><array><array><array><array><array></array></array></array></array></array>"},
		{name: "nested elements inside a string count", in: "<plist><string><a><b><c></c></b></a></string></plist>", want: "limit:levels of nesting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPlist([]byte(tt.in), small)
			if diff := cmp.Diff(tt.want, describe(err)); diff != "" && !(tt.want != "" && !strings.HasPrefix(tt.want, "limit:") && err != nil && strings.Contains(err.Error(), tt.want)) {
				t.Errorf("CheckPlist(%q) = %v (-want +got):\n%s", tt.in, err, diff)
			}
		})
	}
}

// describe reduces err to "" (nil), "limit:WHAT" (a LimitError) or its text.
func describe(err error) string {
	var le *LimitError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &le) && errors.Is(err, ErrTooLarge):
		return "limit:" + le.What
	}
	return err.Error()
}

func TestCheckJSON(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "flat", in: `{"a":[1,2,{"b":"c"}]}`},
		{name: "depth at the limit", in: `[[[[1]]]]`},
		{name: "depth past the limit", in: `[[[[[1]]]]]`, want: "limit:levels of nesting"},
		{name: "brackets in strings do not count", in: `["[[[[{{{{", "\"[[[["]`},
		{name: "escaped quote keeps the string open", in: `["\"]]]]"]`},
		{name: "bytes past the limit", in: `"` + strings.Repeat("x", 1<<10) + `"`, want: "limit:bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, describe(CheckJSON([]byte(tt.in), small))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	var v struct{ A []int }
	if err := DecodeJSON(strings.NewReader(`{"A":[1,2]}`), &v); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2}, v.A); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	var x any
	if err := DecodeJSON(strings.NewReader(deep), &x); !errors.Is(err, ErrTooLarge) {
		t.Errorf("deep JSON: err = %v, want ErrTooLarge", err)
	}
	big := io64(JSONLimits.Bytes + 1)
	if err := DecodeJSON(big, &x); !errors.Is(err, ErrTooLarge) {
		t.Errorf("large JSON: err = %v, want ErrTooLarge", err)
	}
}

// io64 is a reader of n spaces, which stops DecodeJSON only by its size.
func io64(n int) *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte(" "), n)) }

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int]string{8 << 20: "8 MiB", 64 << 10: "64 KiB", 100: "100 bytes", 1<<20 + 1: "1048577 bytes"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// depthOf is the nesting of arrays and dictionaries in a decoded plist.
func depthOf(v any) int {
	d := 0
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			d = max(d, depthOf(e))
		}
		return d + 1
	case map[string]any:
		for _, e := range x {
			d = max(d, depthOf(e))
		}
		return d + 1
	}
	return 0
}

// FuzzPlist feeds XML and binary plists to Plist: it must never panic,
// and whatever it accepts is within the limits once decoded.
func FuzzPlist(f *testing.F) {
	f.Add([]byte(`<plist><dict><key>a</key><array><string>x</string></array></dict></plist>`))
	f.Add([]byte("<plist><array><array><array><array></array></array></array></array></plist>"))
	f.Add([]byte(`{ a = ( b ); }`))
	bin, err := plist.Marshal(map[string]any{"a": []any{"b", map[string]any{"c": []any{1}}}}, plist.BinaryFormat)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bin)
	f.Add(bomb(4, 3))
	lim := Limits{Bytes: 1 << 16, Depth: 4, Values: 50}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := PlistWithin(data, &v, lim); err != nil {
			return
		}
		if d := depthOf(v); d > lim.Depth {
			t.Fatalf("accepted a plist %d levels deep, limit %d", d, lim.Depth)
		}
	})
}

// FuzzCheckJSON checks that whatever CheckJSON accepts and encoding/json
// decodes is within the depth limit.
func FuzzCheckJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"]]"}]}`))
	f.Add([]byte(`[[[[[]]]]]`))
	lim := Limits{Bytes: 1 << 16, Depth: 4}
	f.Fuzz(func(t *testing.T, data []byte) {
		if CheckJSON(data, lim) != nil {
			return
		}
		var v any
		if err := jsonUnmarshal(data, &v); err != nil {
			return
		}
		if d := depthOf(v); d > lim.Depth {
			t.Fatalf("accepted JSON %d levels deep, limit %d", d, lim.Depth)
		}
	})
}

// BenchmarkDeepXMLPlist decodes a 1.6 MB XML plist nested 100,000 levels
// deep: "unchecked" is howett.net/plist alone (what every parser did
// before), "checked" is Plist, which refuses it after scanning 257 levels.
func BenchmarkDeepXMLPlist(b *testing.B) {
	const depth = 100_000
	data := []byte("<plist>" + strings.Repeat("<array>", depth) + strings.Repeat("</array>", depth) + "</plist>")
	b.Run("unchecked", func(b *testing.B) {
		for b.Loop() {
			var v any
			if _, err := plist.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("checked", func(b *testing.B) {
		for b.Loop() {
			var v any
			if err := Plist(data, &v); !errors.Is(err, ErrTooLarge) {
				b.Fatal(err)
			}
		}
	})
}
