package jamf

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompactPlist(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{
			name: "phantom-array shape",
			in:   "<plist>\n<array>\n\t<array>\n\t\t<string>CN</string>\n\t</array>\n</array>\n</plist>\n",
			want: "<plist><array><array><string>CN</string></array></array></plist>",
		},
		{
			name: "string whitespace kept",
			in:   "<dict>\n <key> k </key>\n <string>  a\n\tb  </string>\n <string>   </string>\n</dict>",
			want: "<dict><key> k </key><string>  a\n\tb  </string><string>   </string></dict>",
		},
		{
			name: "escapes kept as written",
			in:   "<dict> <string>&amp; &lt; &#x26; &quot;</string> </dict>",
			want: "<dict><string>&amp; &lt; &#x26; &quot;</string></dict>",
		},
		{
			name: "self-closing, comments, doctype, prolog",
			in:   "<?xml version=\"1.0\"?>\n<!DOCTYPE plist>\n<plist version=\"1.0\">\n <!-- c -->\n <dict>\n  <key>a</key>\n  <true/>\n  <array/>\n </dict>\n</plist>\n",
			want: "<?xml version=\"1.0\"?><!DOCTYPE plist><plist version=\"1.0\"><!-- c --><dict><key>a</key><true/><array/></dict></plist>",
		},
		{name: "CR and CR LF become LF, as an XML parser reads them", in: "<plist>\r\n<string>a\rb\r\nc&#13;</string></plist>", want: "<plist><string>a\nb\nc&#13;</string></plist>"},
		{name: "data whitespace kept", in: "<dict><data>\n  AAAA\n  </data></dict>", want: "<dict><data>\n  AAAA\n  </data></dict>"},
		{name: "already compact", in: "<plist><dict/></plist>", want: "<plist><dict/></plist>"},
		{name: "unclosed", in: "<plist><dict>", wantErr: "not well-formed"},
		{name: "mismatched", in: "<plist><dict></array></plist>", wantErr: "not well-formed"},
		{name: "empty", in: " \n", wantErr: "no root element"},
		{name: "text outside root", in: "x<plist/>", wantErr: "outside the root"},
		{name: "two roots", in: "<plist/><plist/>", wantErr: "more than one root"},
		{name: "invalid UTF-8 in a directive", in: "<!0<\xc9>><array></array>", wantErr: "invalid UTF-8"},
		{name: "control character in a comment", in: "<plist><!-- \x01 --></plist>", wantErr: "not allowed in XML"},
		{name: "bare ampersand", in: "<plist><string>a & b</string></plist>", wantErr: "not well-formed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CompactPlist(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodePayloads(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<string>a &amp; b</string>", "<string>a &amp;amp; b</string>"},
		{"&lt;&gt;&quot;&#38;", "&amp;lt;&amp;gt;&amp;quot;&amp;#38;"},
		{"<![CDATA[x]]>", "<![CDATA[x]]&gt;"},
		{"]]]>", "]]]&gt;"},
		{"no specials ✓", "no specials ✓"},
	}
	for _, tt := range tests {
		got := EncodePayloads(tt.in)
		if got != tt.want {
			t.Errorf("EncodePayloads(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := ServerDecodePayloads(got); back != tt.in {
			t.Errorf("ServerDecodePayloads(EncodePayloads(%q)) = %q", tt.in, back)
		}
	}
}

func TestServerDecodePayloads(t *testing.T) {
	tests := []struct{ in, want string }{
		{"&amp;amp;", "&amp;"},
		{"&lt;&gt;&quot;&apos;", `<>"'`},
		{"&#65;&#x42;&#X43;", "ABC"},
		{"a & b", "a & b"}, // bare & kept (the real server answers 409 later)
		{"&unknown; &#xD800; &#;", "&unknown; &#xD800; &#;"},
		{"&amp", "&amp"},
	}
	for _, tt := range tests {
		if got := ServerDecodePayloads(tt.in); got != tt.want {
			t.Errorf("ServerDecodePayloads(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzPayloadsWireRoundTrip sends any well-formed plist through the client's
// encoder, an XML parser, and the server's extra decode, and expects the
// compacted plist back byte for byte.
func FuzzPayloadsWireRoundTrip(f *testing.F) {
	f.Add(testPlist)
	f.Add("<plist><string>a &amp; b ]]&gt; &lt;c&gt;</string></plist>")
	f.Add("<plist><string><![CDATA[]]>]]></string></plist>")
	f.Add("<plist>\n<array>\n<array/>\n</array>\n</plist>")
	f.Add("<plist><string>&#x1F600; Zürich</string></plist>")
	f.Add("<plist><data>\r\nAAAA\r\n</data></plist>")
	f.Fuzz(func(t *testing.T, plist string) {
		compact, err := CompactPlist(plist)
		if err != nil {
			t.Skip()
		}
		body, err := xml.Marshal(General{Name: "n", Payloads: plist})
		if err != nil {
			// encoding/xml refuses characters XML cannot carry.
			t.Skip()
		}
		var wire struct {
			Payloads string `xml:"payloads"`
		}
		if err := xml.Unmarshal(body, &wire); err != nil {
			t.Fatalf("the client's own XML does not parse: %v\n%s", err, body)
		}
		if got := ServerDecodePayloads(wire.Payloads); got != compact {
			t.Fatalf("stored plist differs\nsent:   %q\nstored: %q", compact, got)
		}
		if strings.Count(string(body), "]]>") != 1 {
			t.Fatalf("the wire form has more than one CDATA end: %s", body)
		}
	})
}

// FuzzCompactPlist checks that compaction keeps a plist's meaning: the same
// tokens, minus whitespace-only text in containers, and that it is stable.
func FuzzCompactPlist(f *testing.F) {
	f.Add(testPlist)
	f.Add("<plist> <string> </string> </plist>")
	f.Fuzz(func(t *testing.T, plist string) {
		compact, err := CompactPlist(plist)
		if err != nil {
			return
		}
		again, err := CompactPlist(compact)
		if err != nil || again != compact {
			t.Fatalf("not idempotent: %q -> %q (%v)", compact, again, err)
		}
		if len(compact) > len(plist) {
			t.Fatalf("compaction grew the plist")
		}
	})
}
