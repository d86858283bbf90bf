package repocheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is the import path of the repository's module.
const module = "github.com/jamf-scep/jamf-scep"

// commandLayer lists the packages above the core (CONTRIBUTING.md,
// "Architecture"): the binary, the app, the verbs and their shared
// plumbing. The core imports none of them.
var commandLayer = []string{"cmd/", "pkg/app", "pkg/cmd/", "pkg/cmdutil", "pkg/iostreams"}

// coreRank places every core package in the one-way order of the core: a
// package imports only packages of a lower rank (or its own parent, as a
// simulator imports the client it simulates). Rank 0 packages are leaves
// anyone may import. A new core package must be given a rank here.
var coreRank = map[string]int{
	"pkg/engine": 10, "pkg/rollout": 10,

	"pkg/plan": 9, "pkg/verify": 9, "pkg/doctor": 9, "pkg/dialectreport": 9,

	"pkg/scope": 8,

	"pkg/fleet": 7, "pkg/tenant": 7,

	"pkg/config": 6,

	"pkg/profile": 5,

	"pkg/secret": 4,

	"pkg/jamf": 3, "pkg/okta": 3,
	// Simulators: shipped (demo) or for tests, beside what they simulate.
	"pkg/jamf/jamfsim": 3, "pkg/jamf/jamfsim/jamfsimtest": 3,
	"pkg/okta/oktatest": 3, "pkg/scepcheck/sceptest": 3,

	"pkg/scepcheck": 2,

	"pkg/check": 0, "pkg/atomicfile": 0, "pkg/build": 0, "pkg/shard": 0,
	"internal/crash": 0, "internal/safedecode": 0, "internal/redact": 0, "internal/userfile": 0, "internal/textsafe": 0,
	// Test support; never linked into the binary.
	"internal/golden": 0, "internal/jamfschema": 0, "internal/repocheck": 0,
}

// verbExportExemptions are verb packages allowed, for now, to export more
// than NewCmd* and *Options, with the reason. Remove an entry once the
// package complies.
var verbExportExemptions = map[string]string{}

// goPackage is one directory's non-test Go files.
type goPackage struct {
	dir     string // slash path relative to the repository root
	imports map[string]bool
	files   []*ast.File
}

// repoPackages parses the non-test Go files of every directory under cmd,
// pkg and internal (testdata excluded).
func repoPackages(t *testing.T) map[string]*goPackage {
	t.Helper()
	pkgs := map[string]*goPackage{}
	fset := token.NewFileSet()
	for _, top := range []string{"cmd", "pkg", "internal"} {
		err := filepath.WalkDir(filepath.Join(repoRoot, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			rel, err := filepath.Rel(repoRoot, filepath.Dir(path))
			if err != nil {
				return err
			}
			dir := filepath.ToSlash(rel)
			p := pkgs[dir]
			if p == nil {
				p = &goPackage{dir: dir, imports: map[string]bool{}}
				pkgs[dir] = p
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			p.files = append(p.files, f)
			for _, im := range f.Imports {
				ip, _ := strconv.Unquote(im.Path.Value)
				if rest, ok := strings.CutPrefix(ip, module+"/"); ok {
					p.imports[rest] = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages; is repoRoot right?", len(pkgs))
	}
	return pkgs
}

func inCommandLayer(dir string) bool {
	for _, c := range commandLayer {
		if dir == strings.TrimSuffix(c, "/") || strings.HasPrefix(dir, c) {
			return true
		}
	}
	return false
}

// verbPackage reports whether dir is a verb package: under pkg/cmd, except
// the root that assembles them.
func verbPackage(dir string) bool {
	return strings.HasPrefix(dir, "pkg/cmd/") && dir != "pkg/cmd/root"
}

// TestImportDirection enforces the layers of CONTRIBUTING.md,
// "Architecture": the core imports nothing of the command layer and runs
// one way (coreRank); cmdutil imports no verb; no verb imports another
// verb (a noun may import its own subcommands) or pkg/app.
func TestImportDirection(t *testing.T) {
	pkgs := repoPackages(t)
	dirs := make([]string, 0, len(pkgs))
	for d := range pkgs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		p := pkgs[dir]
		imports := make([]string, 0, len(p.imports))
		for im := range p.imports {
			imports = append(imports, im)
		}
		sort.Strings(imports)
		if !inCommandLayer(dir) {
			rank, ok := coreRank[dir]
			if !ok {
				t.Errorf("%s has no layer: give it a rank in coreRank (internal/repocheck/layers_test.go) and a line in CONTRIBUTING.md, Architecture", dir)
				continue
			}
			for _, im := range imports {
				if inCommandLayer(im) {
					t.Errorf("%s imports %s: the core imports nothing of the command layer", dir, im)
					continue
				}
				r, known := coreRank[im]
				if known && r > 0 && r >= rank && path.Dir(dir) != im {
					t.Errorf("%s (rank %d) imports %s (rank %d): core imports run one way, to lower ranks only", dir, rank, im, r)
				}
			}
			continue
		}
		for _, im := range imports {
			switch {
			case dir == "pkg/cmdutil" || strings.HasPrefix(dir, "pkg/cmdutil/"):
				if strings.HasPrefix(im, "pkg/cmd/") || im == "pkg/app" {
					t.Errorf("%s imports %s: cmdutil is below every command", dir, im)
				}
			case verbPackage(dir):
				if im == "pkg/app" {
					t.Errorf("%s imports pkg/app: a verb is below the app", dir)
				}
				if verbPackage(im) && !strings.HasPrefix(im, dir+"/") {
					t.Errorf("%s imports %s: no verb package imports another verb's package; move what they share to pkg/cmdutil or the core", dir, im)
				}
			}
		}
	}
}

// TestVerbPackagesAreThin enforces that a verb package exports only its
// constructors (NewCmd*) and their options types (*Options).
func TestVerbPackagesAreThin(t *testing.T) {
	for dir, p := range repoPackages(t) {
		if !verbPackage(dir) {
			continue
		}
		var extra []string
		for _, f := range p.files {
			extra = append(extra, extraExports(f)...)
		}
		sort.Strings(extra)
		if reason, ok := verbExportExemptions[dir]; ok {
			if len(extra) == 0 {
				t.Logf("%s complies now; remove its exemption (%s)", dir, reason)
			}
			continue
		}
		if len(extra) > 0 {
			t.Errorf("%s exports %s: a verb package exports only NewCmd* and *Options; unexport them, or move them to pkg/cmdutil or the core", dir, strings.Join(extra, ", "))
		}
	}
}

// extraExports lists the top-level exported names of f other than NewCmd*
// functions and *Options types. Methods are not listed: they belong to
// their type.
func extraExports(f *ast.File) []string {
	var out []string
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.IsExported() && !strings.HasPrefix(d.Name.Name, "NewCmd") {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && !strings.HasSuffix(s.Name.Name, "Options") {
						out = append(out, s.Name.Name)
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() {
							out = append(out, n.Name)
						}
					}
				}
			}
		}
	}
	return slices.Compact(out)
}
