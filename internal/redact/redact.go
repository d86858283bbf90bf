// Package redact holds the one text that stands in for a secret wherever
// jamf-scep would otherwise show one (plans, profile pull, logs, errors,
// captured HTTP exchanges), and the one way known secrets are cut out of
// text that came from a server.
//
// It imports nothing but the standard library, so every layer can use it:
// the Jamf and SCEP clients at the bottom and pkg/secret, whose
// secret.Redacted is [Text].
package redact

import (
	"slices"
	"strings"
)

// Text is what every mask shows in place of a secret. It is the spelling
// plans have always used.
const Text = "(sensitive)"

// Secrets returns s with each non-empty secret replaced by [Text]. Longer
// secrets go first, so a secret that contains another is replaced whole.
func Secrets(s string, secrets ...string) string {
	if s == "" || len(secrets) == 0 {
		return s
	}
	ss := slices.Clone(secrets)
	slices.SortStableFunc(ss, func(a, b string) int { return len(b) - len(a) })
	for _, sec := range ss {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, Text)
		}
	}
	return s
}
