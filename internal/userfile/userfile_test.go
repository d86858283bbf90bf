//go:build unix

package userfile_test

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/userfile"
)

// TestRead pins the one reader of user-named files: a regular file (or a
// link to one) is read; a FIFO, socket, device or directory is refused
// before it is opened (opening a FIFO blocked for ever); a file over the
// limit is refused; a missing file keeps fs.ErrNotExist.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	if err := os.WriteFile(path("ok"), []byte("data"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(path("ok"), path("link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path("big"), []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path("fifo"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "unix", path("sock"))
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()

	tests := []struct {
		name, path string
		want       string
		wantPerm   os.FileMode
		wantErr    string
		wantIs     error
	}{
		{name: "regular", path: path("ok"), want: "data", wantPerm: 0o640},
		{name: "symlink to regular", path: path("link"), want: "data", wantPerm: 0o640},
		{name: "fifo", path: path("fifo"), wantErr: "is a named pipe (FIFO), not a regular file", wantIs: userfile.ErrNotRegular},
		{name: "socket", path: path("sock"), wantErr: "is a socket, not a regular file", wantIs: userfile.ErrNotRegular},
		{name: "device", path: "/dev/zero", wantErr: "is a device, not a regular file", wantIs: userfile.ErrNotRegular},
		{name: "directory", path: dir, wantErr: "is a directory, not a regular file", wantIs: userfile.ErrNotRegular},
		{name: "too large", path: path("big"), wantErr: "is 5 bytes, larger than the 4 jamf-scep reads", wantIs: userfile.ErrTooLarge},
		{name: "missing", path: path("nope"), wantErr: "no such file or directory", wantIs: fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, perm, err := userfile.Read(tt.path, 4)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, tt.wantIs) {
					t.Fatalf("Read(%s) = %q, %v; want error %q (is %v)", tt.name, got, err, tt.wantErr, tt.wantIs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" || perm != tt.wantPerm {
				t.Errorf("Read = %q, %04o; want %q, %04o", got, perm, tt.want, tt.wantPerm)
			}
		})
	}
}
