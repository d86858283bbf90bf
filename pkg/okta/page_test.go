package okta_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/jamf-scep/jamf-scep/pkg/okta"
)

const ndesPage = "<HTML><Head><Title>Network Device Enrollment Service</Title></Head><Body>\r\n" +
	"<P> The thumbprint (hash value) for the CA certificate is: <B> 0A 1B 2C 3D 4E 5F 60 71 82 93 A4 B5 C6 D7 E8 F9 0A 1B 2C 3D </B>\r\n" +
	"<P> The enrollment challenge password is: <B> Zm9vYmFyLWNoYWxsZW5nZS0xMjM0NTY3 </B>\r\n" +
	"<P> This password can be used only once.</P></Body></HTML>"

const ndesToken = "Zm9vYmFyLWNoYWxsZW5nZS0xMjM0NTY3"

func utf16(t testing.TB, order unicode.Endianness, bom unicode.BOMPolicy, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, bom).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodePage(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{"UTF-16LE with BOM", utf16(t, unicode.LittleEndian, unicode.UseBOM, ndesPage)},
		{"UTF-16BE with BOM", utf16(t, unicode.BigEndian, unicode.UseBOM, ndesPage)},
		{"UTF-16LE without BOM", utf16(t, unicode.LittleEndian, unicode.IgnoreBOM, ndesPage)},
		{"UTF-16BE without BOM", utf16(t, unicode.BigEndian, unicode.IgnoreBOM, ndesPage)},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, ndesPage...)},
		{"UTF-8", []byte(ndesPage)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := okta.DecodePage(tt.body); got != ndesPage {
				t.Errorf("DecodePage gave %q, want the page", got)
			}
		})
	}
}

func TestParsePage(t *testing.T) {
	tests := []struct {
		name    string
		page    string
		want    string
		wantErr error
	}{
		{name: "NDES page, thumbprint first", page: ndesPage, want: ndesToken},
		{name: "lower-case tags and label", page: "the enrollment challenge password is:<b>abc-DEF_123</b>", want: "abc-DEF_123"},
		{name: "strong tag with attribute and newline", page: "Challenge Password is:\r\n  <strong class=x>\n tok </strong >", want: "tok"},
		{name: "entity-escaped token", page: "challenge password is: <B>a&amp;b</B>", want: "a&b"},
		{name: "nbsp padding", page: "challenge password is: <B>&nbsp;tok&nbsp;</B>", want: "tok"},
		{name: "thumbprint only", page: "<P> The thumbprint (hash value) for the CA certificate is: <B> 0A 1B </B>", wantErr: okta.ErrNoChallenge},
		{name: "empty bold", page: "challenge password is: <B>  </B>", wantErr: okta.ErrNoChallenge},
		{name: "label without bold", page: "challenge password is: tok", wantErr: okta.ErrNoChallenge},
		{name: "space inside token", page: "challenge password is: <B>to k</B>", wantErr: okta.ErrNoChallenge},
		{name: "cache full", page: "<P> The password cache is full. </P>", wantErr: okta.ErrCacheFull},
		{name: "permission", page: "<P>You do not have sufficient permission to enroll with SCEP.", wantErr: okta.ErrPermission},
		{name: "login page", page: "<html><title>Sign In</title></html>", wantErr: okta.ErrNoChallenge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := okta.ParsePage(tt.page)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParsePage error = %v, want %v", err, tt.wantErr)
			}
			if c.Reveal() != tt.want {
				// Test data, not a real secret: printing it helps.
				t.Errorf("ParsePage = %q, want %q", c.Reveal(), tt.want)
			}
		})
	}
}

func FuzzParsePage(f *testing.F) {
	f.Add([]byte(ndesPage))
	f.Add(utf16(f, unicode.LittleEndian, unicode.UseBOM, ndesPage))
	f.Add(utf16(f, unicode.BigEndian, unicode.UseBOM, ndesPage))
	f.Add([]byte("challenge password is: <b></b>"))
	f.Add([]byte("The password cache is full."))
	f.Add([]byte{0xFF, 0xFE, 0x00})
	f.Fuzz(func(t *testing.T, body []byte) {
		page := okta.DecodePage(body)
		if !utf8.ValidString(page) {
			t.Fatalf("DecodePage returned invalid UTF-8")
		}
		c, err := okta.ParsePage(page)
		if err != nil {
			if !c.IsZero() {
				t.Fatalf("ParsePage returned a challenge with error %v", err)
			}
			return
		}
		tok := c.Reveal()
		if tok == "" || strings.ContainsAny(tok, " \t\r\n<>") {
			t.Fatalf("ParsePage returned a malformed token %q", tok)
		}
	})
}

func BenchmarkDecodeAndParsePage(b *testing.B) {
	body := utf16(b, unicode.LittleEndian, unicode.UseBOM, ndesPage)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := okta.ParsePage(okta.DecodePage(body)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParsePageAmbiguousOrUnknown pins QA report 2 (P3): a page with two
// different challenges was accepted (the first taken); it is refused as
// ambiguous. A page not understood (a localized NDES page) says so and
// shows its first line of text, with anything that looks like a token
// redacted, never the page.
func TestParsePageAmbiguousOrUnknown(t *testing.T) {
	_, err := okta.ParsePage("challenge password is: <B>tokA1</B> ... challenge password is: <B>tokB2</B>")
	if !errors.Is(err, okta.ErrAmbiguousChallenge) {
		t.Errorf("two challenges: ParsePage error = %v, want ErrAmbiguousChallenge", err)
	}
	if c, err := okta.ParsePage("challenge password is: <B>same1</B> challenge password is: <B>same1</B>"); err != nil || c.Reveal() != "same1" {
		t.Errorf("the same challenge twice: ParsePage = %v, want it", err)
	}
	german := "<HTML><Head><Title>Network Device Enrollment Service</Title></Head><Body>\n<P>Das Kennwort f\u00fcr die Registrierungsabfrage lautet: <B>0123456789ABCDEF</B></P></Body></HTML>"
	_, err = okta.ParsePage(german)
	if !errors.Is(err, okta.ErrNoChallenge) {
		t.Fatalf("German page: ParsePage error = %v, want ErrNoChallenge", err)
	}
	if want := `the page was not understood; its first line reads "Network Device Enrollment Service"`; !strings.Contains(err.Error(), want) {
		t.Errorf("German page: error = %q, want it to contain %q", err, want)
	}
	_, err = okta.ParsePage("<P>Kennwort: 0123456789ABCDEF \x1b[31m</P>")
	if err == nil || strings.Contains(err.Error(), "0123456789ABCDEF") || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("first line not redacted: %q", err)
	}
}
