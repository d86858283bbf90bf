package repocheck

import (
	"regexp"
	"strings"
	"testing"
)

// otherMask matches a string literal spelling a mask of a secret other than
// the one redaction text, internal/redact.Text ("(sensitive)").
var otherMask = regexp.MustCompile(`(?i)"[^"\n]*(\[redacted\]|<redacted>|\(redacted\)|\*{4,}|removed-by-jamf-scep|\(hidden\))[^"\n]*"`)

// TestOneRedactionText: no Go source outside tests spells a secret's mask
// other than with internal/redact.Text (issue 15: five mechanisms had five
// spellings). Masks use redact.Text, secret.Redacted or plan.Sensitive,
// which are the same constant.
func TestOneRedactionText(t *testing.T) {
	walkGoFiles(t, func(path, src string) {
		if strings.HasSuffix(path, "_test.go") {
			return
		}
		for _, m := range otherMask.FindAllString(src, -1) {
			t.Errorf("%s masks a secret as %s; use redact.Text (secret.Redacted)", path, m)
		}
	})
}
