package repocheck

import (
	"io/fs"
	"os"
	"path/filepath"
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
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range otherMask.FindAllString(string(b), -1) {
			t.Errorf("%s masks a secret as %s; use redact.Text (secret.Redacted)", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
