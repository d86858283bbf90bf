// Package oktatest runs a loopback imitation of Okta Device Access dynamic
// SCEP for tests: a real SCEP server (github.com/smallstep/scep messages)
// with its own test CA, and a challenge endpoint speaking the NDES
// mscep_admin page format. The SCEP server accepts only challenges the
// challenge endpoint issued, each once, as Okta does.
//
// URLs have Okta's shapes (docs/jamf-behavior.md, 'Okta URLs and challenge'):
//
//	SCEPURL      http://127.0.0.1:PORT/pki/<40 hex CA id>/scep/<RA id "rac...">
//	ChallengeURL http://127.0.0.1:PORT/api/v1/certificateAuthorities/<CA id>/registrationAuthorities/<RA id>/challenge
//
// Start one per test with [New]; it stops when the test ends. Callers
// without a testing.TB (testscript commands) use [Start] and [Server.Close].
package oktatest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Encoding selects how the challenge endpoint encodes its page.
type Encoding int

const (
	// UTF16LE is UTF-16 little-endian with a byte order mark, as real NDES
	// serves it. The default.
	UTF16LE Encoding = iota
	// UTF16BE is UTF-16 big-endian with a byte order mark.
	UTF16BE
	// UTF8BOM is UTF-8 with a byte order mark.
	UTF8BOM
	// UTF8 is UTF-8 without a byte order mark.
	UTF8
)

// String names the encoding, e.g. "UTF-16LE".
func (e Encoding) String() string {
	switch e {
	case UTF16LE:
		return "UTF-16LE"
	case UTF16BE:
		return "UTF-16BE"
	case UTF8BOM:
		return "UTF-8 with BOM"
	case UTF8:
		return "UTF-8"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Page selects what the challenge endpoint answers to a valid request.
type Page int

const (
	// PageChallenge issues a one-time challenge. The default.
	PageChallenge Page = iota
	// PageCacheFull answers NDES's "The password cache is full." page.
	PageCacheFull
	// PagePermission answers NDES's "You do not have sufficient
	// permission" page.
	PagePermission
)

// Options configure a Server. The zero value is a healthy Okta: UTF-16LE
// pages, a CA valid around now, one DER CA certificate, modern capabilities.
type Options struct {
	// Username and Password for Basic auth on the challenge endpoint;
	// defaults "okta-test01" and a random password.
	Username, Password string
	// Encoding of challenge pages.
	Encoding Encoding
	// Page answered to an authenticated challenge request; see SetPage.
	Page Page
	// Now anchors the CA's and issued certificates' validity; zero means
	// time.Now(). Enrollment needs it near the wall clock, because PKCS#7
	// signing times come from the wall clock.
	Now time.Time
	// ExpiredCA makes the CA certificate expire a day before Now.
	ExpiredCA bool
	// CAValidity is the CA's lifetime from Now; zero means ten years.
	CAValidity time.Duration
	// RABundle makes GetCACert answer application/x-x509-ca-ra-cert with an
	// RA certificate (which then decrypts requests and signs answers) and
	// the CA certificate.
	RABundle bool
	// Caps are the keywords GetCACaps answers, one a line; nil means
	// AES, POSTPKIOperation, SCEPStandard, SHA-1, SHA-256, SHA-512.
	Caps []string
	// PendingPolls makes each enrollment answer PENDING this many times
	// before issuing.
	PendingPolls int
	// OmitDigitalSignature issues certificates without digitalSignature key
	// usage, to prove that checks notice.
	OmitDigitalSignature bool
	// TLS serves https with httptest's certificate (valid for 127.0.0.1);
	// clients trust it through Server.TLSCertificate. Okta URLs are https,
	// and code that insists on https can then be tested end to end.
	TLS bool
}

// Server is a running imitation of Okta's SCEP and challenge endpoints.
type Server struct {
	// SCEPURL is the SCEP endpoint.
	SCEPURL string
	// ChallengeURL is the dynamic challenge endpoint.
	ChallengeURL string
	// Username and Password are the Basic auth credentials it accepts.
	Username, Password string
	// CAID is the 40-hex CA id and RAID the "rac..." RA id in both URLs.
	CAID, RAID string
	// CA is the test CA certificate; RA the RA certificate when
	// Options.RABundle is set, else nil.
	CA, RA *x509.Certificate

	opts   Options
	caKey  *rsa.PrivateKey
	raKey  *rsa.PrivateKey
	now    time.Time
	srv    *httptest.Server
	mu     sync.Mutex
	page   Page
	issued []*x509.Certificate
	// challenges holds the challenges issued and not yet used.
	challenges map[string]bool
	// pending counts PENDING answers still owed per transaction ID.
	pending map[string]int
}

// Test keys are expensive to generate, so every server in a test binary
// shares them; certificates and ids are fresh per server.
var (
	caKeyOnce = sync.OnceValue(mustKey)
	raKeyOnce = sync.OnceValue(mustKey)
)

func mustKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// New starts a Server on loopback and stops it when t ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a Server on loopback for callers without a testing.TB, such
// as testscript commands; the caller stops it with Close.
func Start(opts Options) (*Server, error) {
	s := &Server{
		opts:       opts,
		caKey:      caKeyOnce(),
		now:        opts.Now,
		page:       opts.Page,
		challenges: map[string]bool{},
		pending:    map[string]int{},
		Username:   opts.Username,
		Password:   opts.Password,
	}
	if s.now.IsZero() {
		s.now = time.Now()
	}
	if s.Username == "" {
		s.Username = "okta-test01"
	}
	if s.Password == "" {
		s.Password = randomToken(24)
	}
	if err := s.makeCA(); err != nil {
		return nil, fmt.Errorf("oktatest: making the test CA: %w", err)
	}
	if opts.RABundle {
		s.raKey = raKeyOnce()
		if err := s.makeRA(); err != nil {
			return nil, fmt.Errorf("oktatest: making the test RA: %w", err)
		}
	}
	sum := sha1.Sum(s.CA.Raw)
	s.CAID = hex.EncodeToString(sum[:])
	s.RAID = "rac" + hex.EncodeToString(randomBytes(9))[:17] // shaped like Okta's "rac..." ids

	mux := http.NewServeMux()
	mux.HandleFunc("GET /pki/{ca}/scep/{ra}", s.serveSCEP)
	mux.HandleFunc("POST /pki/{ca}/scep/{ra}", s.serveSCEP)
	mux.HandleFunc("GET /api/v1/certificateAuthorities/{ca}/registrationAuthorities/{ra}/challenge", s.serveChallenge)
	s.srv = httptest.NewUnstartedServer(mux)
	if opts.TLS {
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	s.SCEPURL = s.srv.URL + "/pki/" + s.CAID + "/scep/" + s.RAID
	s.ChallengeURL = s.srv.URL + "/api/v1/certificateAuthorities/" + s.CAID + "/registrationAuthorities/" + s.RAID + "/challenge"
	return s, nil
}

// TLSCertificate is the server's certificate when Options.TLS is set, for a
// client's RootCAs; nil otherwise.
func (s *Server) TLSCertificate() *x509.Certificate { return s.srv.Certificate() }

// Close stops the server; requests are refused afterwards.
func (s *Server) Close() { s.srv.Close() }

// URL is the server's base URL, e.g. http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.srv.URL }

// SetPage switches what the challenge endpoint answers from now on.
func (s *Server) SetPage(p Page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.page = p
}

// Issued returns the certificates issued so far, oldest first.
func (s *Server) Issued() []*x509.Certificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*x509.Certificate(nil), s.issued...)
}

// Outstanding returns how many issued challenges are still unused.
func (s *Server) Outstanding() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.challenges)
}

// NewChallenge issues a one-time challenge directly, as a successful GET of
// the ChallengeURL would, for tests that do not exercise the page.
func (s *Server) NewChallenge() string {
	c := randomToken(24)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.challenges[c] = true
	return c
}

// useChallenge consumes c and reports whether it was outstanding.
func (s *Server) useChallenge(c string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := s.challenges[c]
	delete(s.challenges, c)
	return ok
}

func (s *Server) makeCA() error {
	notBefore := s.now.Add(-24 * time.Hour)
	validity := s.opts.CAValidity
	if validity == 0 {
		validity = 10 * 365 * 24 * time.Hour
	}
	notAfter := s.now.Add(validity)
	if s.opts.ExpiredCA {
		notBefore = s.now.Add(-2 * 365 * 24 * time.Hour)
		notAfter = s.now.Add(-24 * time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "oktatest Device Access CA", Organization: []string{"oktatest"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &s.caKey.PublicKey, s.caKey)
	if err != nil {
		return err
	}
	s.CA, err = x509.ParseCertificate(der)
	return err
}

func (s *Server) makeRA() error {
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "oktatest Device Access RA", Organization: []string{"oktatest"}},
		NotBefore:             s.CA.NotBefore,
		NotAfter:              s.CA.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.CA, &s.raKey.PublicKey, s.caKey)
	if err != nil {
		return err
	}
	s.RA, err = x509.ParseCertificate(der)
	return err
}

// serveChallenge answers the NDES mscep_admin page.
func (s *Server) serveChallenge(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("ca") != s.CAID || r.PathValue("ra") != s.RAID {
		http.NotFound(w, r)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.Username)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.Password)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="okta"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	page := s.page
	s.mu.Unlock()
	var body string
	switch page {
	case PageCacheFull:
		body = "<P> The password cache is full. Wait for an unused password to expire, or restart the service.</P>"
	case PagePermission:
		body = "<P> You do not have sufficient permission to enroll with SCEP. Ask your administrator.</P>"
	default:
		sum := sha1.Sum(s.CA.Raw)
		thumb := strings.ToUpper(hex.EncodeToString(sum[:]))
		challenge := s.NewChallenge()
		body = "<P> The thumbprint (hash value) for the CA certificate is: <B> " + thumb + " </B>\r\n" +
			"<P> The enrollment challenge password is: <B> " + challenge + " </B>\r\n" +
			"<P> This password can be used only once and expires within 60 minutes.</P>"
	}
	html := "<HTML><Head><Meta HTTP-Equiv=\"Content-Type\" Content=\"text/html; charset=" + charset(s.opts.Encoding) + "\">\r\n" +
		"<Title>Network Device Enrollment Service</Title></Head>\r\n<Body BgColor=#FFFFFF>\r\n" +
		"<Font ID=locPageFont Face=\"Arial\">\r\n<P ID=locPageTitle> <Font Size=\"+2\"><B>Network Device Enrollment Service</B></Font>\r\n" +
		body + "\r\n</Font></Body></HTML>\r\n"
	w.Header().Set("Content-Type", "text/html; charset="+charset(s.opts.Encoding))
	_, _ = w.Write(encode(s.opts.Encoding, html))
}

func charset(e Encoding) string {
	if e == UTF16LE || e == UTF16BE {
		return "utf-16"
	}
	return "utf-8"
}

// serial returns a random 128-bit certificate serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(err)
	}
	return n
}

// randomBytes returns n random bytes; crypto/rand.Read never fails.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// randomToken returns 4n/3 base64url characters, the alphabet of Okta's
// challenges (24 bytes give 32 characters).
func randomToken(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }
