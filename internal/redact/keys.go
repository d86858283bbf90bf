package redact

import "strings"

// LooksSecret reports whether a plist key's name says its value is a
// secret: it names a password or passphrase, a secret, a token, a
// credential, a private or API key, or a challenge (Apple's static
// Challenge, a Jamf ChallengeToken), but not a challenge's type or URL.
// Jamf's own keys are not published, so the rule errs on the side of
// masking. pkg/profile's SecretRule adds the dialect's password key to it.
func LooksSecret(key string) bool {
	n := strings.ToLower(keySeparators.Replace(key))
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	if strings.Contains(n, "challenge") {
		return !strings.Contains(n, "type") && !strings.Contains(n, "url")
	}
	return false
}

var (
	keySeparators = strings.NewReplacer(" ", "", "_", "", "-", "", ".", "")
	secretWords   = []string{"password", "passwd", "passphrase", "secret", "token", "credential", "privatekey", "apikey"}
)
