//go:build !unix

package userfile

import "os"

// openNoBlock opens path for reading; outside Unix, opening a named pipe
// does not wait for a writer.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
