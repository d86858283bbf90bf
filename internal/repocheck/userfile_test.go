package repocheck

import (
	"go/ast"
	"testing"
)

// fileReaders are the standard library calls that open or read a file by
// its name.
var fileReaders = map[string]bool{"Open": true, "OpenFile": true, "ReadFile": true}

// fileReadExemptions are the packages allowed to open files by name
// themselves, with the reason.
var fileReadExemptions = map[string]string{
	"internal/userfile": "the one reader of user-named files",
	"internal/golden":   "test support: reads the repository's own golden files",
}

// TestOneFileReader: every file a user names (a config, a dialect, a
// profile, a file: secret, a flag) is read through internal/userfile, which
// refuses a named pipe, device or directory before opening it and caps the
// size (QA report 2, item 11: `plan --config FIFO` hung for ever, deaf to
// SIGINT and SIGTERM). No other package calls os.Open, os.OpenFile or
// os.ReadFile.
func TestOneFileReader(t *testing.T) {
	for dir, p := range repoPackages(t) {
		if _, ok := fileReadExemptions[dir]; ok {
			continue
		}
		for _, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || !fileReaders[sel.Sel.Name] {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "os" {
					t.Errorf("%s calls os.%s; read user-named files with internal/userfile.Read (a FIFO must not hang a run)", dir, sel.Sel.Name)
				}
				return true
			})
		}
	}
}
