// Package sceptest runs a third-party SCEP CA on loopback for tests:
// micromdm's open-source SCEP server (github.com/micromdm/scep/v2, the
// packages behind its cmd/scepserver, wired the same way) with a file depot
// in a temporary directory and a static challenge. It is not this
// project's code, so tests against it catch what a CA written to match
// jamf-scep would hide. Behaviour worth knowing, all micromdm's own:
//
//   - GetCACaps answers Renewal, SHA-1, SHA-256, AES, DES3, SCEPStandard
//     and POSTPKIOperation; GetCACert one DER CA certificate.
//   - The issued Subject is the CSR's Subject re-encoded from its parsed
//     fields (crypto/x509/pkix.Name): attributes come back in Go's order
//     (C, O, OU, L, ST, street, postal code, serial number, CN), one per
//     RDN, so a multi-valued RDN is split.
//   - Any refusal (a wrong challenge, a Subject whose CN it already issued
//     and that is not due for renewal) is a CertRep FAILURE with failInfo
//     badRequest and no text.
//   - Certificates start ten minutes before issuance and last a year.
//
// Start one per test with [New]; it stops when the test ends.
package sceptest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	kitlog "github.com/go-kit/kit/log"
	scepdepot "github.com/micromdm/scep/v2/depot"
	filedepot "github.com/micromdm/scep/v2/depot/file"
	scepserver "github.com/micromdm/scep/v2/server"
)

// Options configure a Server.
type Options struct {
	// Challenge is the static challenge the server requires; it must not
	// be empty (micromdm then accepts any request).
	Challenge string
}

// Server is a running micromdm SCEP server.
type Server struct {
	// URL is the SCEP URL, http://127.0.0.1:PORT/scep.
	URL string
	// CA is the CA certificate GetCACert answers.
	CA *x509.Certificate

	depot *recordingDepot
}

// caKey is shared by every server in a test binary: RSA key generation is
// slow and proves nothing here.
var caKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// New starts a Server on loopback and stops it when t ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Challenge == "" {
		t.Fatal("sceptest: Options.Challenge is empty; micromdm would accept any request")
	}
	dir := t.TempDir()
	key := caKey()
	der, err := scepdepot.NewCACert(
		scepdepot.WithCommonName("sceptest micromdm CA"),
		scepdepot.WithOrganization("sceptest"),
		scepdepot.WithCountry("US"),
	).SelfSign(rand.Reader, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("sceptest: self-signing the CA: %v", err)
	}
	write := func(name, typ string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatalf("sceptest: %v", err)
		}
	}
	write("ca.pem", "CERTIFICATE", der)
	write("ca.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key))
	fd, err := filedepot.NewFileDepot(dir)
	if err != nil {
		t.Fatalf("sceptest: file depot: %v", err)
	}
	d := &recordingDepot{Depot: fd}
	crts, caKey, err := d.CA(nil)
	if err != nil {
		t.Fatalf("sceptest: reading the CA back: %v", err)
	}
	// cmd/scepserver's defaults: renewal allowed 14 days before expiry,
	// client certificates valid 365 days.
	signer := scepserver.StaticChallengeMiddleware(opts.Challenge, scepserver.SignCSRAdapter(
		scepdepot.NewSigner(d, scepdepot.WithAllowRenewalDays(14), scepdepot.WithValidityDays(365))))
	svc, err := scepserver.NewService(crts[0], caKey, signer)
	if err != nil {
		t.Fatalf("sceptest: service: %v", err)
	}
	srv := httptest.NewServer(scepserver.MakeHTTPHandler(scepserver.MakeServerEndpoints(svc), svc, kitlog.NewNopLogger()))
	t.Cleanup(srv.Close)
	return &Server{URL: srv.URL + "/scep", CA: crts[0], depot: d}
}

// Issued returns the certificates the server issued, oldest first.
func (s *Server) Issued() []*x509.Certificate {
	s.depot.mu.Lock()
	defer s.depot.mu.Unlock()
	return append([]*x509.Certificate(nil), s.depot.issued...)
}

// recordingDepot remembers every certificate the signer stores.
type recordingDepot struct {
	scepdepot.Depot
	mu     sync.Mutex
	issued []*x509.Certificate
}

func (d *recordingDepot) Put(name string, crt *x509.Certificate) error {
	if err := d.Depot.Put(name, crt); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.issued = append(d.issued, crt)
	return nil
}
