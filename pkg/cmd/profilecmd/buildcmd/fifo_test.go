//go:build unix

package buildcmd

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestPasswordFileRefusesAFIFO: --password-file is a file: secret by
// another name (issue 13 item 10); a named pipe is refused at once.
func TestPasswordFileRefusesAFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pw")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err := readSecretInput(nil, false, fifo)
	if err == nil || !strings.Contains(err.Error(), "--password-file "+fifo+": is a named pipe (FIFO), not a regular file") {
		t.Fatalf("err = %v, want the FIFO refused", err)
	}
}
