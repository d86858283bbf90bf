package oktatest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/smallstep/pkcs7"
	"github.com/smallstep/scep"
	"golang.org/x/text/encoding/unicode"
)

// encode renders page in e, with a byte order mark where e has one.
func encode(e Encoding, page string) []byte {
	switch e {
	case UTF8:
		return []byte(page)
	case UTF8BOM:
		return append([]byte{0xEF, 0xBB, 0xBF}, page...)
	}
	order := unicode.LittleEndian
	if e == UTF16BE {
		order = unicode.BigEndian
	}
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(page))
	if err != nil {
		panic(err) // the page is valid UTF-8 built above
	}
	return b
}

const maxMessage = 64 << 10

// serveSCEP answers GetCACaps, GetCACert and PKIOperation (RFC 8894).
func (s *Server) serveSCEP(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("ca") != s.CAID || r.PathValue("ra") != s.RAID {
		http.NotFound(w, r)
		return
	}
	switch op := r.URL.Query().Get("operation"); op {
	case "GetCACaps":
		caps := s.opts.Caps
		if caps == nil {
			caps = []string{"AES", "POSTPKIOperation", "SCEPStandard", "SHA-1", "SHA-256", "SHA-512"}
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, strings.Join(caps, "\n"))
	case "GetCACert":
		if s.RA == nil {
			w.Header().Set("Content-Type", "application/x-x509-ca-cert")
			_, _ = w.Write(s.CA.Raw)
			return
		}
		deg, err := scep.DegenerateCertificates([]*x509.Certificate{s.RA, s.CA})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-x509-ca-ra-cert")
		_, _ = w.Write(deg)
	case "PKIOperation":
		s.servePKIOperation(w, r)
	default:
		http.Error(w, "unknown operation "+op, http.StatusBadRequest)
	}
}

func (s *Server) servePKIOperation(w http.ResponseWriter, r *http.Request) {
	var data []byte
	if r.Method == http.MethodPost {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMessage))
		if err != nil {
			http.Error(w, "message too large", http.StatusRequestEntityTooLarge)
			return
		}
		data = b
	} else {
		b, err := base64.StdEncoding.DecodeString(r.URL.Query().Get("message"))
		if err != nil {
			http.Error(w, "message is not base64", http.StatusBadRequest)
			return
		}
		data = b
	}
	msg, err := scep.ParsePKIMessage(data)
	if err != nil {
		http.Error(w, "not a SCEP message", http.StatusBadRequest)
		return
	}
	// The RA, when there is one, is the recipient and the signer.
	cert, key := s.CA, s.caKey
	if s.RA != nil {
		cert, key = s.RA, s.raKey
	}
	reply := func(m *scep.PKIMessage, err error) {
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-pki-message")
		_, _ = w.Write(m.Raw)
	}
	if msg.MessageType != scep.PKCSReq {
		reply(msg.Fail(cert, key, scep.BadRequest))
		return
	}
	if err := msg.DecryptPKIEnvelope(cert, key); err != nil {
		reply(msg.Fail(cert, key, scep.BadMessageCheck))
		return
	}
	tid := string(msg.TransactionID)
	s.mu.Lock()
	left, polling := s.pending[tid]
	s.mu.Unlock()
	if !polling {
		// First sight of this transaction: the challenge is consumed now,
		// whatever happens next.
		if !s.useChallenge(msg.CSRReqMessage.ChallengePassword) {
			reply(msg.Fail(cert, key, scep.BadRequest))
			return
		}
		left = s.opts.PendingPolls
	}
	if left > 0 {
		s.mu.Lock()
		s.pending[tid] = left - 1
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-pki-message")
		raw, err := pendingReply(msg, cert, key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(raw)
		return
	}
	s.mu.Lock()
	delete(s.pending, tid)
	s.mu.Unlock()
	crt, err := s.issue(msg.CSRReqMessage.CSR)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	reply(msg.Success(cert, key, crt))
}

// issue signs a one-year client certificate for the CSR's key and Subject,
// as Okta's CA does (docs/jamf-behavior.md, 'Okta URLs and challenge').
func (s *Server) issue(csr *x509.CertificateRequest) (*x509.Certificate, error) {
	ku := x509.KeyUsageDigitalSignature
	if s.opts.OmitDigitalSignature {
		ku = x509.KeyUsageKeyEncipherment
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		RawSubject:   csr.RawSubject,
		NotBefore:    s.now.Add(-time.Hour),
		NotAfter:     s.now.Add(365 * 24 * time.Hour),
		KeyUsage:     ku,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.CA, csr.PublicKey, s.caKey)
	if err != nil {
		return nil, err
	}
	crt, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.issued = append(s.issued, crt)
	s.mu.Unlock()
	return crt, nil
}

// SCEP signed attribute OIDs (RFC 8894 section 3.2.1); the scep library
// does not build PENDING answers, so this file does.
var (
	oidMessageType    = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 2}
	oidPKIStatus      = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 3}
	oidSenderNonce    = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 5}
	oidRecipientNonce = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 6}
	oidTransactionID  = asn1.ObjectIdentifier{2, 16, 840, 1, 113733, 1, 9, 7}
)

// pendingReply builds a CertRep with pkiStatus PENDING and no content
// (RFC 8894 section 3.3.2.2).
func pendingReply(req *scep.PKIMessage, cert *x509.Certificate, key *rsa.PrivateKey) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(nil)
	if err != nil {
		return nil, err
	}
	err = sd.AddSigner(cert, key, pkcs7.SignerInfoConfig{ExtraSignedAttributes: []pkcs7.Attribute{
		{Type: oidTransactionID, Value: req.TransactionID},
		{Type: oidPKIStatus, Value: scep.PENDING},
		{Type: oidMessageType, Value: scep.CertRep},
		{Type: oidSenderNonce, Value: []byte(randomBytes(16))},
		{Type: oidRecipientNonce, Value: []byte(req.SenderNonce)},
	}})
	if err != nil {
		return nil, err
	}
	return sd.Finish()
}
