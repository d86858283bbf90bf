package scepcheck

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/smallstep/pkcs7"
	"github.com/smallstep/scep"
	"github.com/smallstep/scep/x509util"
)

// The pkcs7 library chooses its digest and content cipher through package
// variables only, defaulting to SHA-1 and DES-CBC. A Mac enrolling against a
// server that advertises SHA-256 and AES uses those, so this package sets
// SHA-256 and AES-128-CBC (the cipher the "AES" capability names in the IANA
// SCEP CA Capabilities registry, RFC 8894) once, at start-up, for the whole
// program. A server offering neither will reject the test enrollment;
// CheckCACaps warns about that case first.
func init() {
	pkcs7.ContentEncryptionAlgorithm = pkcs7.EncryptionAlgorithmAES128CBC
	if err := pkcs7.SetDefaultDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256); err != nil {
		panic(err) // SHA-256 is always supported: a failure is a library change.
	}
}

// KeyBits is the RSA key size of a test enrollment, the size the Okta
// Device Access profile asks Macs to generate (Okta's guide "Dynamic SCEP
// for macOS with Jamf Pro": Key Size 2048).
const KeyBits = 2048

// oidFailInfoText is id-scep-failInfoText (RFC 8894 section 3.2.1.4.5), a
// UTF8String a CA may add to a FAILURE answer.
var oidFailInfoText = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 24, 1}

// DefaultMaxPolls bounds how many PENDING answers EnrollTest waits through
// when EnrollRequest.MaxPolls is zero.
const DefaultMaxPolls = 3

// EnrollRequest describes one test enrollment.
type EnrollRequest struct {
	// SCEPURL is the SCEP endpoint (Okta: https://ORG.okta.com/pki/<CA>/scep/<RA>).
	SCEPURL string
	// Subject is the requested Subject as an RDN sequence, as the profile's
	// Subject array gives it, e.g. [[CN=Test Mac ma 0000...]].
	Subject pkix.RDNSequence
	// Challenge is the challenge password put in the CSR; a one-time
	// challenge is used up once the CA sees the request.
	Challenge Challenge
	// Clock gives the current time: read once for the self-signed request
	// certificate and again when the CA's answer has arrived, to verify
	// the issued certificate. Note that the PKCS#7 signing time inside
	// messages comes from the wall clock (library).
	Clock func() time.Time
	// ClockSkew is how far the CA's clock may be ahead of Clock: an issued
	// certificate that starts up to ClockSkew in the future is accepted
	// (Enrollment.ClockAhead says by how much), one further ahead fails.
	// doctor passes its SkewLimit, the tolerance of its Jamf clock check.
	ClockSkew time.Duration
	// Key is the key to certify. Nil means a fresh RSA key of KeySize
	// bits, which is what doctor must use; tests pass a shared key to stay
	// fast.
	Key *rsa.PrivateKey
	// KeySize is the RSA key size in bits when Key is nil; 0 means
	// KeyBits.
	KeySize int
	// MaxPolls is how many PENDING answers to wait through before giving
	// up; 0 means DefaultMaxPolls, negative means none.
	MaxPolls int
	// PollInterval is the wait between polls; 0 means none.
	PollInterval time.Duration
}

// Enrollment is the outcome of a successful test enrollment.
type Enrollment struct {
	// Certificate is the certificate the CA issued.
	Certificate *x509.Certificate
	// CA is the GetCACert answer the request was encrypted to.
	CA *CACert
	// Polls counts the PENDING answers waited through.
	Polls int
	// Subject is how the issued Subject compares with the requested one:
	// NamesEqual, or NamesReordered (same attributes, RDNs reordered or
	// regrouped), which Macs accept.
	Subject NameMatch
	// ClockAhead is how far the certificate's notBefore lies after the
	// clock when the answer arrived: the CA's clock is at least that far
	// ahead. Zero when the certificate was already valid.
	ClockAhead time.Duration
}

// RejectedError is a SCEP FAILURE answer (pkiStatus 2) to a PKCSReq.
type RejectedError struct {
	FailInfo scep.FailInfo // badAlg, badMessageCheck, badRequest, badTime or badCertID
	// Text is the CA's failInfoText (RFC 8894), one line; often empty.
	Text string
}

func (e *RejectedError) Error() string {
	s := fmt.Sprintf("SCEP server rejected the enrollment (failInfo %s)", failInfoName(e.FailInfo))
	if e.Text != "" {
		s += ": the CA says " + strconvQuote(e.Text)
	}
	return s
}

func failInfoName(f scep.FailInfo) string {
	switch f {
	case scep.BadAlg:
		return "badAlg"
	case scep.BadMessageCheck:
		return "badMessageCheck"
	case scep.BadRequest:
		return "badRequest"
	case scep.BadTime:
		return "badTime"
	case scep.BadCertID:
		return "badCertID"
	}
	return fmt.Sprintf("%q", string(f))
}

// ErrInvalidRequest means the EnrollRequest lacks a field; the message
// names it.
var ErrInvalidRequest = errors.New("enroll test: incomplete request")

// ErrStillPending means the server answered PENDING more than MaxPolls times.
var ErrStillPending = errors.New("SCEP enrollment still PENDING")

// IssuedError says the issued certificate is not what a Mac needs.
type IssuedError struct {
	Problem string // e.g. "no digitalSignature key usage"
}

func (e *IssuedError) Error() string { return "issued certificate: " + e.Problem }

// Enroll runs a real SCEP enrollment (RFC 8894 section 3.3.1): GetCACaps,
// GetCACert, then a PKCSReq carrying a CSR for req.Subject with the
// challenge password, sent by POST when the server advertises
// POSTPKIOperation and by GET otherwise. A PENDING answer is polled by
// resending the same request (same transaction ID) up to req.MaxPolls
// times, because the SCEP library cannot build CertPoll messages.
//
// It returns a *RejectedError for a FAILURE answer (a wrong or reused
// challenge gives badRequest), ErrStillPending, a *StatusError for an HTTP
// error, or an *IssuedError when the certificate lacks digitalSignature key
// usage, names another Subject or certifies another key. Enroll issues a
// real certificate: never run it against production without consent.
func Enroll(ctx context.Context, client *http.Client, req EnrollRequest) (*Enrollment, error) {
	switch {
	case len(req.Subject) == 0:
		return nil, fmt.Errorf("%w: Subject is empty; give the profile's Subject", ErrInvalidRequest)
	case req.Challenge.IsZero():
		return nil, fmt.Errorf("%w: challenge is empty; fetch one from the Challenge URL or set the static challenge", ErrInvalidRequest)
	case req.Clock == nil:
		return nil, fmt.Errorf("%w: Clock is nil; pass time.Now", ErrInvalidRequest)
	}
	caps, err := GetCACaps(ctx, client, req.SCEPURL)
	if err != nil {
		return nil, err
	}
	ca, err := GetCACert(ctx, client, req.SCEPURL)
	if err != nil {
		return nil, err
	}
	key := req.Key
	if key == nil {
		bits := cmp.Or(req.KeySize, KeyBits)
		if key, err = rsa.GenerateKey(rand.Reader, bits); err != nil {
			return nil, fmt.Errorf("enroll test: generating the RSA key: %w", err)
		}
	}
	rawSubject, err := asn1.Marshal(req.Subject)
	if err != nil {
		return nil, fmt.Errorf("enroll test: encoding Subject: %w", err)
	}
	csr, err := newCSR(rawSubject, req.Challenge, key)
	if err != nil {
		return nil, err
	}
	signer, err := selfSigned(rawSubject, key, req.Clock())
	if err != nil {
		return nil, err
	}
	all := append([]*x509.Certificate{ca.CA}, ca.RA...)
	recipients := scep.EnciphermentCertsSelector()(all)
	if len(recipients) == 0 {
		recipients = []*x509.Certificate{ca.CA}
	}
	msg, err := scep.NewCSRRequest(csr, &scep.PKIMessage{
		MessageType: scep.PKCSReq,
		Recipients:  recipients,
		SignerKey:   key,
		SignerCert:  signer,
	})
	if err != nil {
		return nil, fmt.Errorf("enroll test: building PKCSReq: %w", err)
	}
	maxPolls := req.MaxPolls
	if maxPolls == 0 {
		maxPolls = DefaultMaxPolls
	}
	for polls := 0; ; polls++ {
		body, err := pkiOperation(ctx, client, req.SCEPURL, caps, msg.Raw, req.Challenge.Reveal())
		if err != nil {
			return nil, err
		}
		rep, err := scep.ParsePKIMessage(body, scep.WithCACerts(all))
		if err != nil {
			return nil, fmt.Errorf("enroll test: CertRep is malformed or not signed by the CA or RA from GetCACert: %w", err)
		}
		if rep.MessageType != scep.CertRep || rep.CertRepMessage == nil {
			return nil, fmt.Errorf("enroll test: answer is message type %s, want CertRep", rep.MessageType)
		}
		if rep.TransactionID != msg.TransactionID || !bytes.Equal(rep.RecipientNonce, msg.SenderNonce) {
			return nil, errors.New("enroll test: CertRep does not answer this request (transaction ID or nonce differ)")
		}
		switch rep.PKIStatus {
		case scep.FAILURE:
			return nil, &RejectedError{FailInfo: rep.FailInfo, Text: failInfoText(rep.Raw, req.Challenge.Reveal())}
		case scep.PENDING:
			if polls >= maxPolls {
				return nil, fmt.Errorf("%w after %d polls", ErrStillPending, polls)
			}
			if err := sleep(ctx, req.PollInterval); err != nil {
				return nil, err
			}
			continue
		}
		if err := rep.DecryptPKIEnvelope(signer, key); err != nil {
			return nil, fmt.Errorf("enroll test: decrypting CertRep: %w", err)
		}
		e := &Enrollment{Certificate: rep.Certificate, CA: ca, Polls: polls}
		return e, verifyIssued(e, req.Subject, key, req.Clock(), req.ClockSkew)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// oidKeyUsage is id-ce-keyUsage (RFC 5280 section 4.2.1.3).
var oidKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}

// newCSR builds a PKCS#10 request with the challengePassword attribute
// (RFC 2985 section 5.4.1) and a keyUsage extension request for
// digitalSignature, as a Mac does for Key Usage 1.
func newCSR(rawSubject []byte, challenge Challenge, key *rsa.PrivateKey) (*x509.CertificateRequest, error) {
	// digitalSignature is bit 0: one bit, set (RFC 5280 section 4.2.1.3).
	ku, err := asn1.Marshal(asn1.BitString{Bytes: []byte{0x80}, BitLength: 1})
	if err != nil {
		return nil, err
	}
	der, err := x509util.CreateCertificateRequest(rand.Reader, &x509util.CertificateRequest{
		CertificateRequest: x509.CertificateRequest{
			RawSubject:         rawSubject,
			SignatureAlgorithm: x509.SHA256WithRSA,
			ExtraExtensions:    []pkix.Extension{{Id: oidKeyUsage, Critical: true, Value: ku}},
		},
		ChallengePassword: challenge.Reveal(),
	}, key)
	if err != nil {
		return nil, fmt.Errorf("enroll test: building CSR: %w", err)
	}
	return x509.ParseCertificateRequest(der)
}

// selfSigned makes the transient certificate that signs the PKCSReq
// (RFC 8894 section 2.3), valid from an hour before now to a day after.
func selfSigned(rawSubject []byte, key *rsa.PrivateKey, now time.Time) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		RawSubject:   rawSubject,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("enroll test: self-signed request certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}

// failInfoText reads the optional failInfoText signed attribute of a
// CertRep, as one redacted line; "" when absent.
func failInfoText(raw []byte, secrets ...string) string {
	p7, err := pkcs7.Parse(raw)
	if err != nil {
		return ""
	}
	var text string
	if err := p7.UnmarshalSignedAttribute(oidFailInfoText, &text); err != nil {
		return ""
	}
	return ServerText([]byte(text), secrets...)
}

func pkiOperation(ctx context.Context, client *http.Client, scepURL string, caps Caps, msg []byte, secret string) ([]byte, error) {
	const op = "PKIOperation"
	var httpReq *http.Request
	if caps.Has(CapPOSTPKIOperation) {
		u, err := operationURL(scepURL, op, "")
		if err != nil {
			return nil, err
		}
		httpReq, err = http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(msg))
		if err != nil {
			return nil, err
		}
		httpReq.Header.Set("Content-Type", "application/x-pki-message")
	} else {
		u, err := operationURL(scepURL, op, base64.StdEncoding.EncodeToString(msg))
		if err != nil {
			return nil, err
		}
		if httpReq, err = http.NewRequestWithContext(ctx, http.MethodGet, u, nil); err != nil {
			return nil, err
		}
	}
	body, _, err := do(client, httpReq, op, maxBody, secret)
	return body, err
}

// EnrollTest runs [Enroll] and judges it: pass when the CA issued a
// certificate with digitalSignature key usage for the requested Subject;
// info when the CA reordered or regrouped the Subject's RDNs (Macs accept
// it); warn when the certificate starts in the future within
// req.ClockSkew ("the CA's clock is about N s ahead"); fail otherwise,
// with the CA's own failure text and a fix for each cause. Details show
// the requested and issued Subjects, the issued certificate and the
// challenge's length only.
func EnrollTest(ctx context.Context, client *http.Client, req EnrollRequest) (*Enrollment, check.Result) {
	r := check.Result{Check: "SCEP test enrollment"}
	r.Add("challenge", "%d characters", req.Challenge.Len())
	r.Add("requested subject", "%s", req.Subject)
	e, err := Enroll(ctx, client, req)
	if e != nil {
		c := e.Certificate
		r.Add("issued subject", "%s", c.Subject)
		r.Add("issuer", "%s", c.Issuer)
		r.Add("serial", "%X", c.SerialNumber)
		r.Add("valid", "%s to %s", c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok {
			r.Add("key", "RSA %d bits", pub.N.BitLen())
		}
		r.Add("key usage", "%s", keyUsageNames(c.KeyUsage))
		if e.Polls > 0 {
			r.Add("polls", "%d", e.Polls)
		}
	}
	if err == nil {
		r.Status = check.Pass
		r.Message = fmt.Sprintf("CA issued %q with digitalSignature key usage", e.Certificate.Subject.String())
		var notes []string
		if e.Subject == NamesReordered {
			r.Status = check.Info
			notes = append(notes, "note: the CA issued the Subject's attributes in another RDN order or grouping; Macs accept it")
		}
		if e.ClockAhead >= time.Second/2 {
			r.Status = check.Warn
			notes = append(notes, fmt.Sprintf("the CA's clock is about %s ahead: the certificate starts in the future", roundSeconds(e.ClockAhead)))
			r.Fix = "ask the CA's operator to set its clock by NTP; Macs whose clocks are behind it see new certificates as not yet valid"
			r.Err = errors.New(notes[len(notes)-1])
		}
		if len(notes) > 0 {
			r.Message += "; " + strings.Join(notes, "; ")
		}
		return e, r
	}
	r.Status, r.Err, r.Message = check.Fail, err, err.Error()
	var (
		rej    *RejectedError
		issued *IssuedError
	)
	switch {
	case errors.As(err, &rej) && rej.FailInfo == scep.BadRequest:
		r.Fix = "the CA refused the request: most often the challenge is wrong, reused or expired (each dynamic challenge is one-time: check the Challenge URL, Username and Password, or the static challenge); some CAs also refuse a Subject they already issued, so read the CA's own text and its log"
	case errors.As(err, &rej):
		r.Fix = "the CA refused the request; read the CA's own text and check the SCEP configuration in Okta (Security > Device integrations > Device Access)"
	case errors.Is(err, ErrStillPending):
		r.Fix = "the CA holds requests for approval; approve it on the CA, or allow more polls"
	case errors.Is(err, ErrInvalidRequest):
		r.Fix = "give the Subject, a challenge and a clock"
	case errors.As(err, &issued) && e != nil && e.ClockAhead > req.ClockSkew:
		r.Fix = "the CA's clock or this machine's is wrong; set both by NTP, then run doctor again"
	case errors.As(err, &issued):
		r.Fix = "Macs need this certificate as configured; check the SCEP configuration and the profile's Subject"
	default:
		r.Fix = fixForHTTP(err, "the SCEP URL (profile.scep.url)")
	}
	return e, r
}
