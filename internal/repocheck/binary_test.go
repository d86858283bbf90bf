package repocheck

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestShippedBinaryLinksNoTesting: the jamf-scep binary, as released for
// each operating system (.goreleaser.yaml: darwin, linux, windows, with
// cgo off), does not link the testing package. Helpers that take a
// testing.TB belong in a package only tests import (such as
// pkg/jamf/jamfsim/jamfsimtest) or in _test.go files, never in a package
// the binary imports (the simulator ships for the demo command).
func TestShippedBinaryLinksNoTesting(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command lists the binary's packages: %v", err)
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, goos := range []string{"darwin", "linux", "windows"} {
		t.Run(goos, func(t *testing.T) {
			// One line per package the binary links: import path,
			// directory, the Go files of the build and the packages they
			// import, tab-separated.
			cmd := exec.CommandContext(t.Context(), gocmd, "list", "-deps",
				"-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .GoFiles \" \"}}\t{{join .Imports \" \"}}", "./cmd/jamf-scep")
			cmd.Dir = repoRoot
			cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED=0")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("GOOS=%s go list -deps ./cmd/jamf-scep: %v\n%s", goos, err, stderr.String())
			}
			linked := false
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				f := strings.Split(sc.Text(), "\t")
				if len(f) != 4 {
					t.Fatalf("go list printed %q; want 4 tab-separated fields", sc.Text())
				}
				path, dir, files, imports := f[0], f[1], strings.Fields(f[2]), strings.Fields(f[3])
				if path == "testing" {
					linked = true
				}
				if slices.Contains(imports, "testing") {
					t.Errorf("%s imports testing, which links it into cmd/jamf-scep; move its testing.TB helpers to a package only tests import or to a _test.go file", path)
				}
				if strings.HasPrefix(dir, root+string(filepath.Separator)) {
					touch(t, dir, files)
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			if linked && !t.Failed() {
				t.Error("cmd/jamf-scep links the testing package, but no package it imports was found importing it")
			}
		})
	}
}

// touch reads the repository package directory dir and stats its files,
// so that go test's result cache, which only sees files the test itself
// opens, reruns this test when a package the binary links changes.
func touch(t *testing.T, dir string, files []string) {
	t.Helper()
	if _, err := os.ReadDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}
