package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"

	"github.com/jamf-scep/jamf-scep/pkg/check"
)

// Network is how the reachability check resolves, connects and handshakes,
// so that each stage fails with its own message. Zero fields use the
// system's: net.DefaultResolver, a net.Dialer, the system roots and a
// plain http.Client.
type Network struct {
	LookupHost func(ctx context.Context, host string) ([]string, error)
	Dial       func(ctx context.Context, network, address string) (net.Conn, error)
	// RootCAs verifies TLS; nil means the system roots, as Jamf Pro
	// clients use.
	RootCAs *x509.CertPool
	// HTTPClient sends the unauthenticated HTTP request.
	HTTPClient *http.Client
	// Proxy reports the proxy for a request (http.ProxyFromEnvironment
	// when nil). Behind a proxy only the HTTP stage is meaningful.
	Proxy func(*http.Request) (*url.URL, error)
}

func (n Network) withDefaults() Network {
	if n.LookupHost == nil {
		n.LookupHost = net.DefaultResolver.LookupHost
	}
	if n.Dial == nil {
		d := &net.Dialer{}
		n.Dial = d.DialContext
	}
	if n.HTTPClient == nil {
		n.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if n.Proxy == nil {
		n.Proxy = http.ProxyFromEnvironment
	}
	return n
}

// checkReach tells apart the ways a Jamf Pro URL can be unreachable: the
// host does not resolve (DNS), nothing listens (TCP), the certificate is
// not trusted by the system roots (TLS), or no HTTP answer comes back. Any
// HTTP answer, even 401 or 404, proves the server is reachable.
func checkReach(ctx context.Context, raw string, n Network) check.Result {
	n = n.withDefaults()
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return check.Result{Status: check.Fail, Message: fmt.Sprintf("URL %q is not a valid URL", raw), Fix: "set tenants[].url to the Jamf Pro URL, https://example.jamfcloud.com"}
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	addr := net.JoinHostPort(host, port)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return check.Result{Status: check.Fail, Message: err.Error(), Fix: "check tenants[].url"}
	}
	var stages []check.Detail
	proxy, _ := n.Proxy(req)
	if proxy == nil {
		if net.ParseIP(host) == nil {
			ips, err := n.LookupHost(ctx, host)
			if err != nil {
				return check.Result{
					Status: check.Fail, Message: fmt.Sprintf("DNS: %s does not resolve: %v", host, unwrapNet(err)),
					Fix: "check the host name in tenants[].url (Jamf Cloud: NAME.jamfcloud.com) and this machine's DNS",
				}
			}
			stages = append(stages, check.Detail{Name: "DNS", Value: fmt.Sprintf("%s -> %v", host, ips)})
		}
		conn, err := n.Dial(ctx, "tcp", addr)
		if err != nil {
			return check.Result{
				Status: check.Fail, Message: fmt.Sprintf("TCP: cannot connect to %s: %v", addr, unwrapNet(err)),
				Fix: "check the port in tenants[].url and any firewall or VPN between here and Jamf Pro", Details: stages,
			}
		}
		stages = append(stages, check.Detail{Name: "TCP", Value: "connected to " + conn.RemoteAddr().String()})
		if u.Scheme == "https" {
			tc := tls.Client(conn, &tls.Config{ServerName: host, RootCAs: n.RootCAs, MinVersion: tls.VersionTLS12})
			err := tc.HandshakeContext(ctx)
			_ = tc.Close()
			if err != nil {
				return check.Result{
					Status: check.Fail, Message: fmt.Sprintf("TLS: handshake with %s failed: %v", addr, unwrapNet(err)),
					Fix: "the server's certificate must be valid for " + host + " and trusted by this machine's system roots; a TLS-inspecting proxy needs its CA installed", Details: stages,
				}
			}
			state := tc.ConnectionState()
			if len(state.PeerCertificates) > 0 {
				stages = append(stages, check.Detail{Name: "TLS", Value: fmt.Sprintf("%s, certificate for %s, expires %s", tls.VersionName(state.Version),
					state.PeerCertificates[0].Subject.CommonName, state.PeerCertificates[0].NotAfter.Format("2006-01-02"))})
			}
		} else {
			_ = conn.Close()
		}
	} else {
		stages = append(stages, check.Detail{Name: "proxy", Value: proxy.Redacted()})
	}
	resp, err := n.HTTPClient.Do(req)
	if err != nil {
		return check.Result{
			Status: check.Fail, Message: fmt.Sprintf("HTTP: no answer from %s: %v", u.Host, unwrapNet(err)),
			Fix: "check the URL, the proxy settings (HTTPS_PROXY) and that Jamf Pro is up", Details: stages,
		}
	}
	_ = resp.Body.Close()
	stages = append(stages, check.Detail{Name: "HTTP", Value: fmt.Sprintf("GET %s answered %s", u.Path, resp.Status)})
	if resp.StatusCode >= 500 {
		return check.Result{Status: check.Warn, Message: fmt.Sprintf("%s answers HTTP %d", u.Host, resp.StatusCode), Fix: "Jamf Pro may be down or in maintenance; try again later", Details: stages}
	}
	via := "DNS, TCP, TLS and HTTP"
	switch {
	case proxy != nil:
		via = "HTTP through the proxy"
	case u.Scheme != "https":
		via = "TCP and HTTP (plain http: loopback only)"
	}
	return check.Result{Status: check.Pass, Message: fmt.Sprintf("%s is reachable (%s)", u.Host, via), Details: stages}
}

// unwrapNet drops the "dial tcp ..." and "lookup ..." prefixes the net
// package repeats around the cause.
func unwrapNet(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return errors.New(dns.Err)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
