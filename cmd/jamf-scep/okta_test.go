package main

import (
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/pkg/okta/oktatest"
)

func init() {
	scriptCmds["oktasim"] = cmdOktasim
}

// cmdOktasim drives a loopback Okta Device Access (pkg/okta/oktatest):
//
//	oktasim start [-encoding utf16le|utf16be|utf8bom|utf8] [-page challenge|cache-full|permission]
//	              [-expired-ca] [-ra-bundle] [-no-digital-signature] [-redirect-challenge]
//	    starts it and exports OKTA_SCEP_URL, OKTA_CHALLENGE_URL, OKTA_USERNAME
//	    and OKTA_SCEP_PASSWORD (the challenge password, as the config's
//	    env:OKTA_SCEP_PASSWORD reference reads it). It serves https; its
//	    certificate is trusted through SSL_CERT_FILE.
//	oktasim issued        print how many certificates were issued, then for
//	                      each "digitalSignature=BOOL CN=..."
//	oktasim outstanding   print how many fetched challenges are unused
//	oktasim fetched       print how many challenges the Challenge URL issued
//	oktasim redirect-hits print how many requests reached the -redirect-challenge target
func cmdOktasim(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: oktasim start|issued|outstanding ...")
	}
	if args[0] == "start" {
		oktaStart(ts, args[1:])
		return
	}
	oktaMu.Lock()
	s := oktaServers[ts.Getenv("OKTA_SIM_ID")]
	oktaMu.Unlock()
	if s == nil {
		ts.Fatalf("oktasim: not started")
	}
	switch args[0] {
	case "issued":
		certs := s.Issued()
		fmt.Fprintln(ts.Stdout(), len(certs))
		for _, c := range certs {
			fmt.Fprintf(ts.Stdout(), "digitalSignature=%t CN=%s\n", c.KeyUsage&x509.KeyUsageDigitalSignature != 0, c.Subject.CommonName)
		}
	case "outstanding":
		fmt.Fprintln(ts.Stdout(), s.Outstanding())
	case "fetched":
		fmt.Fprintln(ts.Stdout(), s.Fetched())
	case "redirect-hits":
		fmt.Fprintln(ts.Stdout(), s.RedirectHits())
	default:
		ts.Fatalf("oktasim: unknown verb %q", args[0])
	}
}

// oktaServers holds running loopback Oktas by base URL (exported to the
// script as OKTA_SIM_ID), so main_test.go's Setup needs no change. Scripts
// run in parallel, hence the mutex.
var (
	oktaMu      sync.Mutex
	oktaServers = map[string]*oktatest.Server{}
)

func oktaStart(ts *testscript.TestScript, args []string) {
	fs := flag.NewFlagSet("oktasim start", flag.ContinueOnError)
	enc := fs.String("encoding", "utf16le", "challenge page encoding")
	page := fs.String("page", "challenge", "challenge page: challenge, cache-full or permission")
	var opts oktatest.Options
	fs.BoolVar(&opts.ExpiredCA, "expired-ca", false, "CA expired yesterday")
	fs.BoolVar(&opts.RABundle, "ra-bundle", false, "GetCACert answers a CA+RA PKCS#7 bundle")
	fs.BoolVar(&opts.OmitDigitalSignature, "no-digital-signature", false, "issue certificates without digitalSignature")
	fs.BoolVar(&opts.RedirectChallenge, "redirect-challenge", false, "the Challenge URL answers 302 to plain http on another port")
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("oktasim start: %v", err)
	}
	encs := []string{"utf16le", "utf16be", "utf8bom", "utf8"}
	i := slices.Index(encs, *enc)
	if i < 0 {
		ts.Fatalf("oktasim start: -encoding must be one of %v", encs)
	}
	opts.Encoding = oktatest.Encoding(i)
	pages := []string{"challenge", "cache-full", "permission"}
	j := slices.Index(pages, *page)
	if j < 0 {
		ts.Fatalf("oktasim start: -page must be one of %v", pages)
	}
	opts.Page = oktatest.Page(j)
	// Okta URLs are https (profile build insists); the child process
	// trusts the loopback certificate through SSL_CERT_FILE, which Go
	// reads for its system roots on Unix.
	opts.TLS = true
	s, err := oktatest.Start(opts)
	ts.Check(err)
	caFile := ts.MkAbs("okta-loopback-ca.pem")
	ts.Check(os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.TLSCertificate().Raw}), 0o600))
	ts.Setenv("SSL_CERT_FILE", caFile)
	ts.Defer(s.Close)
	id := s.URL()
	oktaMu.Lock()
	oktaServers[id] = s
	oktaMu.Unlock()
	ts.Defer(func() {
		oktaMu.Lock()
		delete(oktaServers, id)
		oktaMu.Unlock()
	})
	ts.Setenv("OKTA_SIM_ID", id)
	ts.Setenv("OKTA_SCEP_URL", s.SCEPURL)
	ts.Setenv("OKTA_CHALLENGE_URL", s.ChallengeURL)
	ts.Setenv("OKTA_USERNAME", s.Username)
	ts.Setenv("OKTA_SCEP_PASSWORD", s.Password)
}
