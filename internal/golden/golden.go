// Package golden compares test output with files under testdata/ and
// rewrites them when the tests run with -update (after goreleaser's
// internal/golden):
//
//	go test ./pkg/... -update
//
// It is for tests only; importing it registers the -update flag.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ from the current output")

// Assert compares got with testdata/name. Under -update it first writes got
// there (creating testdata/), so the comparison passes and the diff shows up
// in git instead.
func Assert(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		tb.Errorf("%s mismatch (-want +got); run go test -update if intended:\n%s", path, diff)
	}
}

// Updating reports whether -update was given, for tests whose golden data
// is a directory rather than one file.
func Updating() bool { return *update }
