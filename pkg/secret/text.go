package secret

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanText turns the text of a secret as stored (a file, an environment
// variable, a keychain item, stdin) into the secret: it drops a leading
// UTF-8 byte order mark (editors on Windows write one) and ONE trailing
// newline ("\n" or "\r\n", as `echo` and editors end a file), and nothing
// else. A secret never has edge white space silently: if white space or
// an invisible format character (a second newline, a space, a tab, a
// zero-width space) remains at either end, it is refused, naming the
// character by code point and never showing the secret. An empty secret
// is refused too.
func CleanText(s string) (string, error) {
	s = strings.TrimPrefix(s, "\ufeff")
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s = strings.TrimSuffix(t, "\r")
	}
	if s == "" {
		return "", errors.New("the secret is empty; write the secret into it")
	}
	if r, _ := utf8.DecodeRuneInString(s); edgeSpace(r) {
		return "", fmt.Errorf("the secret starts with white space (%U); remove it, a secret never has edge white space", r)
	}
	if r, _ := utf8.DecodeLastRuneInString(s); edgeSpace(r) {
		return "", fmt.Errorf("the secret ends with white space (%U) after the one newline a file may end with; remove it, a secret never has edge white space", r)
	}
	return s, nil
}

// edgeSpace reports whether r may not start or end a secret: white space
// or an invisible format character (category Cf: zero-width space, BOM).
func edgeSpace(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}
