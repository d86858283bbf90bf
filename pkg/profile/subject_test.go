package profile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSubject(t *testing.T) {
	tests := []struct {
		in   string
		want Subject
	}{
		{"CN=$COMPUTERNAME ma $UDID", Subject{{{"CN", "$COMPUTERNAME ma $UDID"}}}},
		{"CN=a,OU=b", Subject{{{"CN", "a"}}, {{"OU", "b"}}}},
		{"cn = a , ou = b", Subject{{{"CN", "a"}}, {{"OU", "b"}}}},
		{"/C=US/O=Acme/CN=x", Subject{{{"C", "US"}}, {{"O", "Acme"}}, {{"CN", "x"}}}},
		{"/O=Acme, Inc./CN=x", Subject{{{"O", "Acme, Inc."}}, {{"CN", "x"}}}},
		{`/O=a\/b/CN=x`, Subject{{{"O", "a/b"}}, {{"CN", "x"}}}},
		{`CN=a/b`, Subject{{{"CN", "a/b"}}}},
		{`O=Acme\, Inc.,CN=x`, Subject{{{"O", "Acme, Inc."}}, {{"CN", "x"}}}},
		{`O=Acme\2C Inc.`, Subject{{{"O", "Acme, Inc."}}}},
		{`CN=B\C3\BCro`, Subject{{{"CN", "Büro"}}}},
		{`CN=a\+b`, Subject{{{"CN", "a+b"}}}},
		{`CN=back\\slash`, Subject{{{"CN", `back\slash`}}}},
		{`CN=\ padded\ `, Subject{{{"CN", " padded "}}}},
		{`CN=a=b`, Subject{{{"CN", "a=b"}}}},
		{"CN=a+2.5.4.5=b", Subject{{{"CN", "a"}, {"2.5.4.5", "b"}}}},
		{"1.2.5.3=bar", Subject{{{"1.2.5.3", "bar"}}}},
		{"OID.2.5.4.3=x", Subject{{{"2.5.4.3", "x"}}}},
		{"oid.2.5.4.5=x,CN=y", Subject{{{"2.5.4.5", "x"}}, {{"CN", "y"}}}},
		{`CN=\#1 Mac`, Subject{{{"CN", "#1 Mac"}}}},
		{`CN=Mac #1`, Subject{{{"CN", "Mac #1"}}}},
		{`CN=a\;b`, Subject{{{"CN", "a;b"}}}},
		{`/CN=a;b`, Subject{{{"CN", "a;b"}}}},
		{"CN=Büro-MacBook-Pro-Jürgen", Subject{{{"CN", "Büro-MacBook-Pro-Jürgen"}}}},
		{`CN=x "quoted" <tag> & co`, Subject{{{"CN", `x "quoted" <tag> & co`}}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSubject(tt.in)
			if err != nil {
				t.Fatalf("ParseSubject(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSubject(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseSubjectErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"", "subject is empty"},
		{"   ", "subject is empty"},
		{"emailAddress=a@b.c", "write its OID instead: 1.2.840.113549.1.9.1=value"},
		{"E=a@b.c", "1.2.840.113549.1.9.1"},
		{"UID=x", "0.9.2342.19200300.100.1.1"},
		{"DC=example", "0.9.2342.19200300.100.1.25"},
		{"serialNumber=1", "2.5.4.5"},
		{"title=boss", "2.5.4.12"},
		{"GN=Ann", "2.5.4.42"},
		{"SN=Lee", "2.5.4.4"},
		{"FOO=bar", `"FOO" is unknown; use C, L, ST, O, OU, CN or a dotted OID`},
		{"3.1=x", `"3.1" is unknown`},
		{"1.02=x", `"1.02" is unknown`},
		{"=x", "no type before '='"},
		{"CN=", "CN (RDN 1) has an empty value"},
		{"CN=a,,OU=b", "subject RDN 2 is empty"},
		{"CN=a,", "subject RDN 2 is empty"},
		{"CN=a,justtext", `subject RDN 2 ("justtext") has no '='`},
		{`CN=a\`, `lone '\'`},
		{`CN=\FF`, "not valid UTF-8"},
		// QA report 2: RFC 1779/4514 forms Jamf's text Subject cannot take
		// must not be read as something else.
		{"CN=foo;O=bar", `subject has an unescaped ';' in RDN 1, which RFC 1779 reads as a separator between RDNs; separate RDNs with a comma (CN=a,O=b), or write \; for a ';' inside a value`},
		{"CN=#04034d6163", `subject attribute CN (RDN 1) starts with '#', which RFC 4514 reads as a hex-encoded BER value; Jamf takes text: write the value as text, or \# for a value that starts with '#'`},
		{`CN="a, b"`, `subject attribute CN (RDN 1) is quoted; quotes are not supported (RFC 4514 has none): drop them and escape a comma in the value as \, (CN=a\, b)`},
		{`CN="a"`, `is quoted; quotes are not supported`},
		{"OID.CN=x", `"OID.CN" is unknown`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseSubject(tt.in)
			if err == nil {
				t.Fatalf("ParseSubject(%q) = nil error, want one containing %q", tt.in, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseSubject(%q) error = %q, want it to contain %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestSubjectString(t *testing.T) {
	tests := []struct {
		in   Subject
		want string
	}{
		{Subject{{{"CN", "$COMPUTERNAME ma $UDID"}}}, "CN=$COMPUTERNAME ma $UDID"},
		{Subject{{{"C", "US"}}, {{"O", "Acme, Inc."}}, {{"CN", "x"}}}, `C=US,O=Acme\, Inc.,CN=x`},
		{Subject{{{"CN", "a"}, {"2.5.4.5", "b+c"}}}, `CN=a+2.5.4.5=b\+c`},
		{Subject{{{"CN", " #lead"}}}, `CN=\ #lead`},
		{Subject{{{"CN", "#x "}}}, `CN=\#x\ `},
		{Subject{{{"CN", `a\b"c<d>e;f`}}}, `CN=a\\b\"c\<d\>e\;f`},
		{Subject{{{"CN", "tab\there"}}}, `CN=tab\09here`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			back, err := ParseSubject(tt.in.String())
			if err != nil {
				t.Fatalf("ParseSubject(String()) error: %v", err)
			}
			if diff := cmp.Diff(tt.in, back); diff != "" {
				t.Errorf("ParseSubject(String()) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSubjectPlistShape(t *testing.T) {
	s := Subject{{{"C", "US"}}, {{"CN", "a"}, {"2.5.4.5", "b"}}}
	want := []any{
		[]any{[]any{"C", "US"}},
		[]any{[]any{"CN", "a"}, []any{"2.5.4.5", "b"}},
	}
	if diff := cmp.Diff(want, s.plistValue()); diff != "" {
		t.Errorf("plistValue mismatch (-want +got):\n%s", diff)
	}
	back, err := subjectFromPlist(want)
	if err != nil {
		t.Fatalf("subjectFromPlist: %v", err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("subjectFromPlist mismatch (-want +got):\n%s", diff)
	}
}

func TestSubjectFromPlistErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"not array", "CN=x", "is a string"},
		{"rdn not array", []any{"x"}, "[0] is a string"},
		{"empty rdn", []any{[]any{}}, "[0] is an array, want a non-empty"},
		{"short pair", []any{[]any{[]any{"CN"}}}, "[0][0] is not a [type, value] pair"},
		{"phantom empty array", []any{[]any{[]any{"CN", "x"}}, []any{}}, "[1] is an array"},
		{"non-string", []any{[]any{[]any{"CN", uint64(1)}}}, "[0][0] is not a [type, value] pair"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := subjectFromPlist(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("subjectFromPlist error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// FuzzParseSubject checks that parsing never panics and that any parsed
// subject renders to a string that parses back to the same subject.
func FuzzParseSubject(f *testing.F) {
	for _, s := range []string{
		"CN=$COMPUTERNAME ma $UDID", "CN=a,OU=b", "/C=US/O=Acme/CN=x", `O=Acme\, Inc.`,
		"CN=a+2.5.4.5=b", "1.2.5.3=bar", `CN=\ x\ `, `CN=B\C3\BCro`, "emailAddress=x", "", `\`, "CN=#x",
		`O=\ ACME\ `, `CN=a\09b`, "CN=x 🔐", "O=Acme",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSubject(in)
		if err != nil {
			return
		}
		back, err := ParseSubject(s.String())
		if err != nil {
			t.Fatalf("ParseSubject(%q).String() = %q does not parse: %v", in, s.String(), err)
		}
		if diff := cmp.Diff(s, back); diff != "" {
			t.Fatalf("round trip of %q via %q mismatch (-want +got):\n%s", in, s.String(), diff)
		}
		// A Subject Check accepts holds only values Jamf stores as given,
		// and a CN.
		if s.Check() == nil {
			if _, j := lastCN(s); j < 0 {
				t.Fatalf("Check accepted %q without a CN", in)
			}
			for _, rdn := range s {
				for _, a := range rdn {
					if CheckJamfText(a.Value) != nil {
						t.Fatalf("Check accepted %q with value %q", in, a.Value)
					}
				}
			}
		}
	})
}
