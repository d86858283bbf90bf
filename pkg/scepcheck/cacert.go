package scepcheck

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/smallstep/pkcs7"
)

// Content types a GetCACert answer may carry (RFC 8894 section 4.2.1).
const (
	// ContentTypeCACert is one DER-encoded CA certificate.
	ContentTypeCACert = "application/x-x509-ca-cert"
	// ContentTypeCARACert is a degenerate PKCS#7 SignedData holding the CA
	// certificate and one or more RA certificates.
	ContentTypeCARACert = "application/x-x509-ca-ra-cert"
)

// expiryMargin is added to the redistribution window when warning that the
// CA expires soon: 90 days to plan and roll out a new CA (issue 5).
const expiryMargin = 90 * 24 * time.Hour

// CACert is a parsed GetCACert answer.
type CACert struct {
	// ContentType is the media type of the answer.
	ContentType string
	// CA is the certificate authority: the only certificate of a
	// ContentTypeCACert answer, or the CA certificate of a bundle.
	CA *x509.Certificate
	// RA holds the other certificates of a bundle (registration
	// authorities), in the order sent; empty for a single certificate.
	RA []*x509.Certificate
}

// ParseCACert parses a GetCACert body by its content type: one DER
// certificate for ContentTypeCACert, a PKCS#7 degenerate bundle for
// ContentTypeCARACert. In a bundle the CA is the certificate with the CA
// basic constraint that is self-issued or, failing that, the first with the
// CA basic constraint.
func ParseCACert(contentType string, body []byte) (*CACert, error) {
	switch contentType {
	case ContentTypeCACert:
		cert, err := x509.ParseCertificate(body)
		if err != nil {
			return nil, fmt.Errorf("GetCACert: %s answer is not one DER certificate: %w", contentType, err)
		}
		return &CACert{ContentType: contentType, CA: cert}, nil
	case ContentTypeCARACert:
		p7, err := pkcs7.Parse(body)
		if err != nil {
			return nil, fmt.Errorf("GetCACert: %s answer is not a PKCS#7 bundle: %w", contentType, err)
		}
		return splitBundle(contentType, p7.Certificates)
	default:
		return nil, fmt.Errorf("GetCACert: unexpected content type %q; want %s or %s",
			contentType, ContentTypeCACert, ContentTypeCARACert)
	}
}

func splitBundle(contentType string, certs []*x509.Certificate) (*CACert, error) {
	ca := -1
	for i, c := range certs {
		if !c.BasicConstraintsValid || !c.IsCA {
			continue
		}
		if ca < 0 || bytes.Equal(c.RawSubject, c.RawIssuer) {
			ca = i
		}
	}
	if ca < 0 {
		return nil, fmt.Errorf("GetCACert: the %d-certificate bundle holds no CA certificate", len(certs))
	}
	out := &CACert{ContentType: contentType, CA: certs[ca]}
	for i, c := range certs {
		if i != ca {
			out.RA = append(out.RA, c)
		}
	}
	return out, nil
}

// GetCACert fetches and parses the CA certificate of the SCEP server at
// scepURL (GET ?operation=GetCACert, RFC 8894 section 4.2).
func GetCACert(ctx context.Context, client *http.Client, scepURL string) (*CACert, error) {
	body, media, err := get(ctx, client, scepURL, "GetCACert", maxBody)
	if err != nil {
		return nil, err
	}
	return ParseCACert(media, body)
}

// Fingerprint returns the hash h (crypto.SHA1 or crypto.SHA256) of the
// certificate's DER bytes as upper-case hex pairs joined by colons, the form
// Keychain Access and openssl show.
func Fingerprint(cert *x509.Certificate, h crypto.Hash) string {
	d := h.New()
	d.Write(cert.Raw)
	s := strings.ToUpper(hex.EncodeToString(d.Sum(nil)))
	var b strings.Builder
	for i := 0; i < len(s); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(s[i : i+2])
	}
	return b.String()
}

// CheckCACert runs GetCACert and judges every certificate in the answer at
// time now: fail when one is expired or not yet valid, warn when one expires
// within redistributionDays + 90 days (the profile is redistributed
// redistributionDays before its certificates expire, and a new CA needs time
// to roll out), pass otherwise. Details give each certificate's subject,
// validity and SHA-1 and SHA-256 fingerprints.
func CheckCACert(ctx context.Context, client *http.Client, scepURL string, now time.Time, redistributionDays int) (*CACert, check.Result) {
	r := check.Result{Check: "SCEP GetCACert"}
	body, media, err := get(ctx, client, scepURL, "GetCACert", maxBody)
	if err != nil {
		r.Status, r.Err, r.Message = check.Fail, err, err.Error()
		r.Fix = fixForHTTP(err, "the SCEP URL (profile.scep.url)")
		return nil, r
	}
	ca, err := ParseCACert(media, body)
	if err != nil {
		r.Status, r.Err, r.Message = check.Fail, err, err.Error()
		r.Fix = "the server at the SCEP URL did not answer like a SCEP CA; check the SCEP URL"
		return nil, r
	}
	r.Add("content type", "%s", ca.ContentType)
	window := time.Duration(redistributionDays)*24*time.Hour + expiryMargin
	r.Status = check.Pass
	certs := append([]*x509.Certificate{ca.CA}, ca.RA...)
	for i, c := range certs {
		role := "CA"
		if i > 0 {
			role = fmt.Sprintf("RA %d", i)
		}
		r.Add(role+" subject", "%s", c.Subject)
		r.Add(role+" valid", "%s to %s", c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly))
		r.Add(role+" SHA-1", "%s", Fingerprint(c, crypto.SHA1))
		r.Add(role+" SHA-256", "%s", Fingerprint(c, crypto.SHA256))
		switch {
		case now.After(c.NotAfter):
			r.Status = check.Fail
			r.Message = fmt.Sprintf("%s certificate %q expired on %s", role, c.Subject.CommonName, c.NotAfter.UTC().Format(time.DateOnly))
			r.Fix = "renew the CA in Okta (Security > Device integrations > Device Access), then redistribute the profile"
		case now.Before(c.NotBefore):
			r.Status = check.Fail
			r.Message = fmt.Sprintf("%s certificate %q is not valid until %s", role, c.Subject.CommonName, c.NotBefore.UTC().Format(time.DateOnly))
			r.Fix = "check this computer's clock; otherwise wait until the certificate is valid"
		case r.Status == check.Pass && c.NotAfter.Sub(now) < window:
			r.Status = check.Warn
			r.Message = fmt.Sprintf("%s certificate %q expires on %s, within the redistribution window of %d days plus 90",
				role, c.Subject.CommonName, c.NotAfter.UTC().Format(time.DateOnly), redistributionDays)
			r.Fix = "plan the CA renewal in Okta before Macs need new certificates"
		}
	}
	if r.Status == check.Pass {
		r.Message = fmt.Sprintf("CA %q valid until %s, SHA-256 %s", ca.CA.Subject.CommonName,
			ca.CA.NotAfter.UTC().Format(time.DateOnly), Fingerprint(ca.CA, crypto.SHA256))
		if len(ca.RA) > 0 {
			r.Message += fmt.Sprintf(", with %d RA certificate(s)", len(ca.RA))
		}
	} else {
		r.Err = errors.New(r.Message)
	}
	return ca, r
}
