package repocheck

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoRoot is the module root, two levels above this package.
const repoRoot = "../.."

// citation matches `docs/jamf-behavior.md, "Section"` (or with single
// quotes), once comment markers and line breaks are folded to spaces.
var citation = regexp.MustCompile(`jamf-behavior\.md[,:]?\s*(?:section\s*)?["']([^"'\n]+)["']`)

// TestBehaviorCitationsResolve: every Go comment that cites a section of
// docs/jamf-behavior.md names a heading the document has, and no Go file
// cites FIELD-NOTES, which the repository does not contain.
func TestBehaviorCitationsResolve(t *testing.T) {
	headings := behaviorHeadings(t)
	comment := regexp.MustCompile(`\n\s*//\s*`)
	walkGoFiles(t, func(path, src string) {
		if strings.HasSuffix(path, "citations_test.go") {
			return
		}
		if strings.Contains(src, "FIELD-NOTES") {
			t.Errorf("%s cites FIELD-NOTES, which is not in the repository; cite docs/jamf-behavior.md", path)
		}
		for _, m := range citation.FindAllStringSubmatch(comment.ReplaceAllString(src, " "), -1) {
			if !headings[m[1]] {
				t.Errorf("%s cites docs/jamf-behavior.md section %q, which does not exist", path, m[1])
			}
		}
	})
}

// walkGoFiles calls fn with the slash path and text of every Go file of the
// repository, tests included, outside .git and testdata folders.
func walkGoFiles(t *testing.T, fn func(path, src string)) {
	t.Helper()
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fn(filepath.ToSlash(path), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func behaviorHeadings(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "docs", "jamf-behavior.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	heads := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if h, ok := strings.CutPrefix(sc.Text(), "## "); ok {
			heads[strings.TrimSpace(h)] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(heads) == 0 {
		t.Fatal("docs/jamf-behavior.md has no sections")
	}
	return heads
}
