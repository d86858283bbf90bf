package scepcheck

import (
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"
)

// verifyIssued checks what a Mac relies on: the key, the Subject (as an
// X.500 name), the digitalSignature key usage, and that the CA from
// GetCACert issued it. now is read after the answer arrived; a certificate
// that starts up to skew after now is verified at its notBefore and
// reported in e.ClockAhead.
func verifyIssued(e *Enrollment, want pkix.RDNSequence, key *rsa.PrivateKey, now time.Time, skew time.Duration) error {
	c := e.Certificate
	if pub, ok := c.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		return &IssuedError{Problem: "certifies another public key than the one requested"}
	}
	if c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return &IssuedError{Problem: "no digitalSignature key usage"}
	}
	var got pkix.RDNSequence
	if rest, err := asn1.Unmarshal(c.RawSubject, &got); err != nil || len(rest) > 0 {
		return &IssuedError{Problem: "Subject cannot be parsed"}
	}
	match, diff := CompareNames(want, got)
	if match == NamesDiffer {
		return &IssuedError{Problem: fmt.Sprintf("Subject is %q, requested %q (%s)", got, want, strings.Join(diff, ", "))}
	}
	e.Subject = match
	at := now
	if ahead := c.NotBefore.Sub(now); ahead > 0 {
		e.ClockAhead = ahead
		if ahead > skew {
			return &IssuedError{Problem: fmt.Sprintf("not valid until %s, %s from now: the CA's clock is about %s ahead, more than the %s allowed",
				c.NotBefore.UTC().Format(time.RFC3339), roundSeconds(ahead), roundSeconds(ahead), skew)}
		}
		at = c.NotBefore
	}
	inter := x509.NewCertPool()
	for _, ra := range e.CA.RA {
		inter.AddCert(ra)
	}
	roots := x509.NewCertPool()
	roots.AddCert(e.CA.CA)
	if _, err := c.Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}); err != nil {
		return &IssuedError{Problem: "does not chain to the CA from GetCACert: " + err.Error()}
	}
	return nil
}

// roundSeconds renders d as whole seconds rounded up, "30 s", at least
// "1 s": certificate times have whole seconds, so a notBefore was cut
// down by up to a second and the CA's clock is ahead by a little more
// than measured.
func roundSeconds(d time.Duration) string {
	s := (d + time.Second - 1) / time.Second
	return fmt.Sprintf("%d s", max(1, int64(s)))
}

func keyUsageNames(ku x509.KeyUsage) string {
	names := []string{
		"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
		"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
	}
	var out []string
	for i, n := range names {
		if ku&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
