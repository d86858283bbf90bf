package jamf

import (
	"fmt"
	"log/slog"
)

type credKind int

const (
	credNone credKind = iota
	credOAuth
	credUser
)

// Credentials identify jamf-scep to Jamf Pro: an API client (OAuth client
// credentials, the recommended kind) or a user account. Build them with
// [OAuthClient] or [UserAccount].
//
// Credentials never print their secret: String, GoString, Format (every fmt
// verb) and LogValue all show only the kind and the public id.
type Credentials struct {
	kind   credKind
	id     string // OAuth client id or username: not secret
	secret string // client secret or password
}

// OAuthClient returns credentials for a Jamf Pro API client (Settings >
// API roles and clients). The client's token lifetime is set in Jamf Pro
// and may be as short as 60 seconds; the client refreshes before expiry.
func OAuthClient(clientID, clientSecret string) Credentials {
	return Credentials{kind: credOAuth, id: clientID, secret: clientSecret}
}

// UserAccount returns credentials for a Jamf Pro user account. Its bearer
// tokens (about 30 minutes) are renewed with keep-alive and invalidated by
// [Client.Close].
func UserAccount(username, password string) Credentials {
	return Credentials{kind: credUser, id: username, secret: password}
}

// String returns `oauth client "id"` or `user "name"`, never the secret.
func (c Credentials) String() string {
	switch c.kind {
	case credOAuth:
		return fmt.Sprintf("oauth client %q (secret redacted)", c.id)
	case credUser:
		return fmt.Sprintf("user %q (password redacted)", c.id)
	}
	return "no credentials"
}

// GoString is String, so %#v cannot show the secret either.
func (c Credentials) GoString() string { return "jamf.Credentials{" + c.String() + "}" }

// Format implements fmt.Formatter so that every verb, %d and %x included,
// prints String.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// LogValue implements slog.LogValuer: the kind and id, never the secret.
func (c Credentials) LogValue() slog.Value {
	kind := "none"
	switch c.kind {
	case credOAuth:
		kind = "oauth"
	case credUser:
		kind = "user"
	}
	return slog.GroupValue(slog.String("kind", kind), slog.String("id", c.id))
}

func (c Credentials) valid() error {
	switch {
	case c.kind == credNone:
		return fmt.Errorf("jamf: no credentials; use jamf.OAuthClient(id, secret) or jamf.UserAccount(user, password)")
	case c.id == "" && c.kind == credOAuth:
		return fmt.Errorf("jamf: OAuth client id is empty; copy it from Jamf Pro Settings > API roles and clients")
	case c.id == "":
		return fmt.Errorf("jamf: username is empty")
	case c.secret == "" && c.kind == credOAuth:
		return fmt.Errorf("jamf: OAuth client secret is empty; generate one in Jamf Pro Settings > API roles and clients")
	case c.secret == "":
		return fmt.Errorf("jamf: password for user %q is empty", c.id)
	}
	return nil
}

// authKind is the kind for [Error.Auth]: "oauth", "user" or "".
func (c Credentials) authKind() string {
	switch c.kind {
	case credOAuth:
		return "oauth"
	case credUser:
		return "user"
	}
	return ""
}
