package jamf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"
)

// Advice is what a person should do about err, or "" when there is nothing
// specific:
//
//   - a refused token or a 401: check the tenant's credentials of the kind
//     the request used ([Error.Auth]);
//   - a 403: grant the privilege the request needed ([Error.Privilege],
//     else "a privilege"), listed by `jamf-scep help jamf-privileges`;
//   - a 404 from the token endpoint, a host name that does not resolve, a
//     refused connection or an untrusted TLS certificate: the tenant's url
//     (tenants[].url or JAMF_URL) does not lead to Jamf Pro, so check it.
//
// It is the one wording of this advice: the command layer's error mapping,
// the plan/apply runner and doctor's checks all use it.
func Advice(err error) string {
	switch {
	case errors.Is(err, ErrUnauthorized):
		var je *Error
		if errors.As(err, &je) && je.Auth == "user" {
			return "check the account's username and password (tenants[].auth, or JAMF_USERNAME/JAMF_PASSWORD): jamf-scep help environment"
		}
		return "check the tenant's API client id and secret (tenants[].auth, or JAMF_CLIENT_ID/JAMF_CLIENT_SECRET; Jamf Pro > Settings > API roles and clients: is the client enabled?): jamf-scep help environment"
	case errors.Is(err, ErrForbidden):
		need := "a privilege"
		var je *Error
		if errors.As(err, &je) && je.Privilege() != "" {
			need = "the privilege " + je.Privilege()
		}
		return "the API role lacks " + need + ": jamf-scep help jamf-privileges"
	}
	return urlAdvice(err)
}

// urlAdvice is [Advice] for the failures that mean the tenant's url does
// not lead to Jamf Pro, or "".
func urlAdvice(err error) string {
	const url = "check the tenant's url (tenants[].url or JAMF_URL): "
	var je *Error
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &je) && je.StatusCode == 404 && je.tokenRequest():
		return "no Jamf Pro API answers there; " + url + "the address Jamf Pro opens at in a browser, such as https://acme.jamfcloud.com (on premises with its port and any path, such as https://jamf.example.com:8443)"
	case errors.As(err, &dns) && dns.IsNotFound:
		return "the Jamf Pro host name does not resolve; " + url + "Jamf Cloud is NAME.jamfcloud.com; jamf-scep doctor checks DNS, TCP and TLS one by one"
	case errors.As(err, &unknownCA) || errors.As(err, &verify):
		return "the server's TLS certificate is not trusted by this machine's root certificates; " + url + "or install your organization's CA"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing answers at that address; " + url + "the host and port"
	}
	return ""
}
