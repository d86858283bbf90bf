package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "okta.mobileconfig")

	if err := WriteFile(path, []byte("one"), 0o600, false); err != nil {
		t.Fatal(err)
	}
	assertFile(t, path, "one", 0o600)

	err := WriteFile(path, []byte("two"), 0o600, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second write without overwrite: err = %v, want ErrExists", err)
	}
	assertFile(t, path, "one", 0o600) // untouched

	if err := WriteFile(path, []byte("three"), 0o644, true); err != nil {
		t.Fatal(err)
	}
	assertFile(t, path, "three", 0o644)

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	err := WriteFile(filepath.Join(t.TempDir(), "no", "such", "dir", "f"), []byte("x"), 0o600, false)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want ErrNotExist", err)
	}
}

func assertFile(t *testing.T, path, want string, perm fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != perm {
		t.Errorf("mode = %v, want %v", fi.Mode().Perm(), perm)
	}
}
