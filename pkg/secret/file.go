package secret

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadFile reads a file that holds a secret and returns its bytes and its
// permission bits. It refuses anything but a regular file before opening
// it (opening a FIFO blocks until a writer comes, forever, where no signal
// reaches; a device may never end), opens it without blocking and checks
// the open file again (so the file checked is the file read), and refuses
// a file larger than [MaxFileSize]. Errors say how to fix it and never
// hold the file's content.
func ReadFile(path string) ([]byte, os.FileMode, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot open the secret file: %w", errors.Unwrap(err))
	}
	if err := checkSecretFile(info); err != nil {
		return nil, 0, err
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot open the secret file: %w", errors.Unwrap(err))
	}
	defer f.Close()
	info, err = f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if err := checkSecretFile(info); err != nil {
		return nil, 0, err
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, 0, err
	}
	if len(b) > MaxFileSize {
		return nil, 0, fmt.Errorf("larger than %d bytes; the file must hold only the secret", MaxFileSize)
	}
	return b, info.Mode().Perm(), nil
}

// checkSecretFile refuses a file that is not regular (a FIFO, socket,
// device or directory) or is larger than MaxFileSize, with the fix.
func checkSecretFile(info os.FileInfo) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("is %s, not a regular file; point file: at a regular file that holds only the secret (chmod 600), or use env:NAME", fileKind(info.Mode()))
	}
	if info.Size() > MaxFileSize {
		return fmt.Errorf("is %d bytes, larger than %d; the file must hold only the secret", info.Size(), MaxFileSize)
	}
	return nil
}
