package jamfsim

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"howett.net/plist"
)

func TestDecodeEntitiesOnce(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"&amp;amp;", "&amp;"},
		{"a &lt;b&gt; &quot;c&quot; &apos;d&apos;", `a <b> "c" 'd'`},
		{"&#38;&#x26;&#xe9;", "&&é"},
		{"bare & stays", "bare & stays"},
		{"&unknown; &#; &#xZZ; &amp", "&unknown; &#; &#xZZ; &amp"},
	}
	for _, tt := range tests {
		if got := decodeEntitiesOnce(tt.in); got != tt.want {
			t.Errorf("decodeEntitiesOnce(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasBareAmpersand(t *testing.T) {
	for in, want := range map[string]bool{
		"": false, "&amp;": false, "&#10;&lt;": false, "a & b": true, "&amp;&": true, "&x;": true,
		"<![CDATA[a & b]]>": false, "<![CDATA[a]]> & b": true, "<!-- a & b -->": false, "<![CDATA[a &": false,
	} {
		if got := hasBareAmpersand(in); got != want {
			t.Errorf("hasBareAmpersand(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestAddPhantomArrays(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<array><array></array></array>", "<array><array></array></array>"},
		{"<array>\n<array></array>\n</array>", "<array><array/><array></array><array/></array>"},
		{"<array>\n\t<string> </string>\n</array>", "<array>\n\t<string> </string>\n</array>"},
		{"</array> <array/>", "</array><array/><array/>"},
		{"<array>x<array>", "<array>x<array>"},
	}
	for _, tt := range tests {
		if got := addPhantomArrays(tt.in); got != tt.want {
			t.Errorf("addPhantomArrays(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReplaceTopLevelStrings(t *testing.T) {
	in := plistHeader + `<plist version="1.0"><dict><key>PayloadUUID</key><string>old</string>` +
		`<key>Nested</key><dict><key>PayloadUUID</key><string>keep</string></dict>` +
		`<key>PayloadIdentifier</key><string/><key>Other</key><string>old</string></dict></plist>`
	got, err := replaceTopLevelStrings(in, map[string]string{"PayloadUUID": "N&1", "PayloadIdentifier": "N&1"})
	if err != nil {
		t.Fatal(err)
	}
	want := plistHeader + `<plist version="1.0"><dict><key>PayloadUUID</key><string>N&amp;1</string>` +
		`<key>Nested</key><dict><key>PayloadUUID</key><string>keep</string></dict>` +
		`<key>PayloadIdentifier</key><string>N&amp;1</string><key>Other</key><string>old</string></dict></plist>`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestStorePayloadErrors(t *testing.T) {
	rw := payloadRewrite{entityDecode: true, phantomArrays: true}
	for _, in := range []string{"not a plist", plistHeader + "<plist><array></array></plist>", plistHeader + "<plist><dict><key>a</key><string>&amp;</string></dict></plist>"} {
		if _, err := storePayload(in, rw); !errors.Is(err, errDatabase) {
			t.Errorf("storePayload(%q) err = %v, want errDatabase", in, err)
		}
	}
	if got, err := storePayload("  \n", rw); err != nil || got != "" {
		t.Errorf("blank payload: %q, %v", got, err)
	}
}

// FuzzDecodeEntitiesOnce checks that one decode undoes one XML escape.
func FuzzDecodeEntitiesOnce(f *testing.F) {
	for _, s := range []string{"", "a&b", "<x>", `"'`, "&amp;", "é\n\t\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isXMLText(s) {
			t.Skip() // xml.EscapeText replaces such characters
		}
		if got := decodeEntitiesOnce(escapeXML(s)); got != s {
			t.Errorf("decodeEntitiesOnce(escapeXML(%q)) = %q", s, got)
		}
	})
}

// isXMLText reports whether s is valid UTF-8 made of XML 1.0 Chars.
func isXMLText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		ok := r == 0x09 || r == 0x0A || r == 0x0D ||
			(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if !ok {
			return false
		}
	}
	return true
}

// FuzzWireForm checks the central promise: a plist holding any string,
// sent in the wire form, is stored byte for byte (with quirks that rewrite
// it off) and parses back to the same string.
func FuzzWireForm(f *testing.F) {
	for _, s := range []string{"Okta & Co", "<CA>", `"q" 'q'`, "Jürgen", "]]>", "&amp;", "a\tb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := plist.Marshal(map[string]any{"Name": s}, plist.XMLFormat)
		if err != nil {
			t.Skip() // not representable in a plist
		}
		text := string(b)
		var back map[string]any
		if _, err := plist.Unmarshal(b, &back); err != nil || back["Name"] != s {
			t.Skip() // the plist library itself does not round-trip it
		}
		wire := wireForm(text)
		// What encoding/xml hands the server for <payloads>wire</payloads>:
		// the CDATA contents, concatenated.
		var raw strings.Builder
		for part := range strings.SplitSeq(strings.TrimSuffix(strings.TrimPrefix(wire, "<![CDATA["), "]]>"), "]]><![CDATA[") {
			raw.WriteString(part)
		}
		got, err := storePayload(raw.String(), payloadRewrite{entityDecode: true, phantomArrays: true})
		if err != nil {
			t.Fatalf("storing %q: %v", text, err)
		}
		if got != text {
			t.Errorf("stored %q, want %q", got, text)
		}
	})
}
