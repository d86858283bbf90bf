// Package scepcheck checks a SCEP service the way a Mac will use it: its
// capabilities (GetCACaps), its CA certificate (GetCACert) and, only when
// asked, a real enrollment (PKCSReq). The protocol is RFC 8894; messages are
// built and parsed with github.com/smallstep/scep and
// github.com/smallstep/pkcs7.
//
// Every Check function returns a [check.Result] (pass, warn or fail, a one-line
// message, a fix and details) instead of printing, so that the doctor command
// can render a checklist or JSON. No function reads the clock: the caller
// passes now.
package scepcheck

import (
	"net/http"
	"time"
)

// NewHTTPClient returns a plain net/http client for SCEP and challenge
// requests: timeout bounds each whole request (connect, TLS, headers and
// body) and the TLS handshake and response headers are bounded by it too.
// Proxies come from the environment, as with http.DefaultTransport.
func NewHTTPClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSHandshakeTimeout = timeout
	t.ResponseHeaderTimeout = timeout
	return &http.Client{Transport: t, Timeout: timeout}
}
