package jamf

import (
	"fmt"
	"os"
)

// checkCaptureDir refuses a capture directory someone else could plant
// files in: a symbolic link, a directory writable by group or others, or
// one the current user does not own (where the platform says).
func checkCaptureDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("capture: %s is a symbolic link; pass the directory itself", dir)
	case !fi.IsDir():
		return fmt.Errorf("capture: %s is not a directory", dir)
	case fi.Mode().Perm()&0o022 != 0:
		return fmt.Errorf("capture: directory %s is writable by group or others (mode %04o); pass a directory only you can write, or a new one", dir, fi.Mode().Perm())
	case !ownedByMe(fi):
		return fmt.Errorf("capture: directory %s belongs to another user; pass a directory of your own, or a new one", dir)
	}
	return nil
}
