package profile

import "strings"

// LooksSecret reports whether a plist key's name says its value is a
// secret: it names a password, secret, token or challenge (Apple's static
// Challenge, a Jamf ChallengeToken), but not a challenge's type or URL.
// Tools that show stored profiles (pull, the dialect report) mask such
// values wherever they sit, because Jamf's own keys are not published.
func LooksSecret(key string) bool {
	n := strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(key))
	switch {
	case strings.Contains(n, "password"), strings.Contains(n, "passwd"),
		strings.Contains(n, "secret"), strings.Contains(n, "token"):
		return true
	case strings.Contains(n, "challenge"):
		return !strings.Contains(n, "type") && !strings.Contains(n, "url")
	}
	return false
}
