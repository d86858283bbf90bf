package jamf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestAdvice(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // "" means no advice
	}{
		{"401", &Error{Method: "GET", Path: "api/v1/jamf-pro-version", StatusCode: 401}, "check the tenant's API client id and secret"},
		{"refused token", &Error{Method: "POST", Path: "api/v1/oauth/token", StatusCode: 400, Code: "invalid_client"}, "check the tenant's API client id and secret"},
		{"403 names the privilege", fmt.Errorf("wrapped: %w", &Error{Method: "PUT", Path: "JSSResource/osxconfigurationprofiles/id/3", StatusCode: 403}), "lacks the privilege Update macOS Configuration Profiles: jamf-scep help jamf-privileges"},
		{"bare 403 sentinel", ErrForbidden, "lacks a privilege: jamf-scep help jamf-privileges"},
		{"404", &Error{Method: "GET", Path: "x", StatusCode: 404}, ""},
		{"404 from the OAuth token endpoint: wrong url", &Error{Method: "POST", Path: oauthTokenPath, StatusCode: 404}, "no Jamf Pro API answers there; check the tenant's url (tenants[].url or JAMF_URL)"},
		{"404 from the user token endpoint: wrong url", fmt.Errorf("find profile: %w", &Error{Method: "POST", Path: userTokenPath, StatusCode: 404}), "no Jamf Pro API answers there; check the tenant's url (tenants[].url or JAMF_URL)"},
		{"host does not resolve", fmt.Errorf("jamf: POST x: %w", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "acme.jamfcloud.con", IsNotFound: true}}), "the Jamf Pro host name does not resolve; check the tenant's url (tenants[].url or JAMF_URL)"},
		{"DNS timeout is not a wrong url", &net.DNSError{Err: "i/o timeout", Name: "acme.jamfcloud.com", IsTimeout: true}, ""},
		{"connection refused", fmt.Errorf("jamf: %w", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), "nothing answers at that address; check the tenant's url (tenants[].url or JAMF_URL): the host and port"},
		{"untrusted certificate", fmt.Errorf("jamf: %w", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), "the server's TLS certificate is not trusted by this machine's root certificates; check the tenant's url"},
		{"other", errors.New("boom"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Advice(tt.err)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("Advice = %q, want one containing %q", got, tt.want)
			}
		})
	}
}
