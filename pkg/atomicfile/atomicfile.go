// Package atomicfile writes files that may hold secrets: all or nothing,
// with the mode set before any byte is written, and never over an existing
// file unless asked.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned (wrapped) when path exists and overwrite is false.
var ErrExists = errors.New("file already exists")

// WriteFile writes data to path with permission perm (0600 for anything
// holding a secret): into a temporary file in the same directory, created
// with perm and synced, then moved into place. Readers see the old file or
// the new one, never a partial one. Without overwrite an existing path is
// left untouched and the error wraps ErrExists; the no-overwrite move is a
// hard link, so it is atomic too where the file system supports links.
func WriteFile(path string, data []byte, perm fs.FileMode, overwrite bool) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*") // created 0600
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // harmless once moved
	if err := tmp.Chmod(perm); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if overwrite {
		return os.Rename(tmpName, path)
	}
	switch err := os.Link(tmpName, path); {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w", path, ErrExists)
	}
	// No hard links here (some network and FAT file systems): check, then
	// rename. A file created between the two steps is replaced.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(tmpName, path)
}
