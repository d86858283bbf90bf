//go:build unix

package userfile

import (
	"os"
	"syscall"
)

// openNoBlock opens path for reading with O_NONBLOCK, so that opening a
// FIFO returns at once instead of waiting for a writer; reads of a regular
// file are not affected.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
