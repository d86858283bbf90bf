package jamf

import "errors"

// Advice is what a person should do about err, or "" when there is nothing
// specific: for a refused token or a 401, check the tenant's credentials of
// the kind the request used ([Error.Auth]);
// for a 403, grant the privilege the request needed ([Error.Privilege],
// else "a privilege"), listed by `jamf-scep help jamf-privileges`. It is the
// one wording of this advice: the command layer's error mapping, the
// plan/apply runner and doctor's checks all use it.
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
	return ""
}
