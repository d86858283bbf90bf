//go:build unix

package secret_test

import (
	"net"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// TestResolveFileRefusesSpecialFiles pins item 10 of issue 13: a file:
// secret that is a FIFO made the run block forever in open(2); it is
// refused before it is opened, with the reference and the fix.
func TestResolveFileRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()
	tests := []struct{ name, path, wantErr string }{
		{"fifo", fifo, "file:" + fifo + ": is a named pipe (FIFO), not a regular file; point file: at a regular file that holds only the secret (chmod 600), or use env:NAME"},
		{"socket", sock, "file:" + sock + ": is a socket, not a regular file; point file: at a regular file that holds only the secret (chmod 600), or use env:NAME"},
		{"device", "/dev/zero", "file:/dev/zero: is a device, not a regular file; point file: at a regular file that holds only the secret (chmod 600), or use env:NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := secret.MustParseRef("file:" + tt.path).Resolve(t.Context())
			checkResolved(t, v, err, "", tt.wantErr)
		})
	}
}
