package scepcheck_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/smallstep/scep"

	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

func FuzzParseCaps(f *testing.F) {
	f.Add([]byte("AES\r\nPOSTPKIOperation\r\nSCEPStandard\r\nSHA-256\r\n"))
	f.Add([]byte("\n\n  \n"))
	f.Add([]byte("DES3\nSHA-1"))
	f.Add([]byte("AES\rPOSTPKIOperation\rSHA-256\r"))
	f.Add([]byte("AES\u0085SHA-256\u2028Renewal\tSHA-512\x00DES3\xff"))
	f.Fuzz(func(t *testing.T, body []byte) {
		caps := scepcheck.ParseCaps(body)
		seen := map[string]bool{}
		if len(caps) > 64 {
			t.Fatalf("%d keywords kept, want at most 64", len(caps))
		}
		for _, k := range caps {
			if k == "" || !utf8.ValidString(k) || strings.IndexFunc(k, func(r rune) bool {
				return unicode.IsSpace(r) || unicode.IsControl(r)
			}) >= 0 {
				t.Fatalf("keyword %q is blank, invalid UTF-8, or holds white space or a control character", k)
			}
			if seen[strings.ToLower(k)] {
				t.Fatalf("keyword %q repeated", k)
			}
			seen[strings.ToLower(k)] = true
		}
	})
}

// seedCert makes a small certificate for seeds: ECDSA keeps it fast.
func seedCert(f *testing.F, isCA bool) *x509.Certificate {
	f.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "seed"},
		NotBefore: now, NotAfter: now.AddDate(1, 0, 0),
		BasicConstraintsValid: true, IsCA: isCA,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		f.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		f.Fatal(err)
	}
	return c
}

func FuzzParseCACert(f *testing.F) {
	ca, ra := seedCert(f, true), seedCert(f, false)
	bundle, err := scep.DegenerateCertificates([]*x509.Certificate{ra, ca})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(true, ca.Raw)
	f.Add(false, bundle)
	f.Add(false, ca.Raw)
	f.Add(true, []byte{0x30, 0x80})
	f.Fuzz(func(t *testing.T, der bool, body []byte) {
		ct := scepcheck.ContentTypeCARACert
		if der {
			ct = scepcheck.ContentTypeCACert
		}
		got, err := scepcheck.ParseCACert(ct, body)
		if err != nil {
			return
		}
		if got.CA == nil {
			t.Fatal("ParseCACert succeeded without a CA")
		}
		if !der && (!got.CA.IsCA || !got.CA.BasicConstraintsValid) {
			t.Fatal("bundle CA lacks the CA basic constraint")
		}
	})
}

// FuzzServerText: whatever a server sends back, the line put in a message
// is short, on one line, valid UTF-8, and never holds the secret.
func FuzzServerText(f *testing.F) {
	f.Add([]byte("<html><p>DN /CN=x already exists</p></html>"), "s3cr3t")
	f.Add([]byte("bad s3cr3t\r\nand s3c<b>r3t"), "s3cr3t")
	f.Add([]byte{0xff, 0xfe, 0x00, '<'}, "x")
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		if len(secret) < 4 || strings.ContainsFunc(secret, func(r rune) bool {
			return r == '<' || r == '>' || r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r)
		}) {
			t.Skip("not a plausible secret")
		}
		got := scepcheck.ServerText(body, secret)
		if n := utf8.RuneCountInString(got); n > 201 || !utf8.ValidString(got) || strings.ContainsFunc(got, unicode.IsControl) {
			t.Fatalf("ServerText = %q: %d characters, or invalid, or holds a control character", got, n)
		}
		if strings.Contains(got, secret) {
			t.Fatalf("ServerText = %q shows the secret %q", got, secret)
		}
	})
}
