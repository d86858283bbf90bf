package secret

import (
	"errors"
	"fmt"
	"os"

	"github.com/jamf-scep/jamf-scep/internal/userfile"
)

// ReadFile reads a file that holds a secret and returns its bytes and its
// permission bits. It refuses anything but a regular file before opening
// it (opening a FIFO blocks until a writer comes, forever, where no signal
// reaches; a device may never end), opens it without blocking and checks
// the open file again (so the file checked is the file read), and refuses
// a file larger than [MaxFileSize]. Errors say how to fix it and never
// hold the file's content.
func ReadFile(path string) ([]byte, os.FileMode, error) {
	b, perm, err := userfile.Read(path, MaxFileSize)
	switch {
	case errors.Is(err, userfile.ErrNotRegular):
		return nil, 0, fmt.Errorf("%w; point file: at a regular file that holds only the secret (chmod 600), or use env:NAME", err)
	case errors.Is(err, userfile.ErrTooLarge):
		return nil, 0, fmt.Errorf("%w; the file must hold only the secret", err)
	case err != nil:
		return nil, 0, fmt.Errorf("cannot open the secret file: %w", err)
	}
	return b, perm, nil
}
