// Package userfile reads the files a user names (a flag, a config field,
// a file: secret reference, a command argument). It is the one way
// jamf-scep opens such a file, so that no input can hang a run or make it
// read without end: a named pipe (FIFO) blocks open(2) until a writer
// comes, where no signal reaches the waiting goroutine, and a device such
// as /dev/zero never ends.
//
// Standard library only, so every layer can use it.
package userfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotRegular is wrapped by the error [Read] returns for a path that is
// not a regular file (a FIFO, socket, device or directory).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error [Read] returns for a file larger than
// the limit its caller gave.
var ErrTooLarge = errors.New("file too large")

// Read returns the content of the regular file at path (symbolic links
// followed) and its permission bits. It refuses anything but a regular
// file before opening it, opens it with O_NONBLOCK (on Unix) so that a file
// swapped for a FIFO after the check cannot block the open, checks the
// open file again (so the file checked is the file read), and reads at most
// limit bytes: a larger file is refused, by its size before reading and by
// what was read if it grew.
//
// Errors start with what is wrong ("is a named pipe (FIFO), not a regular
// file", "is 2000000 bytes, larger than the 1048576 jamf-scep reads") for
// the caller to prefix with the file's name and follow with the fix; they
// wrap [ErrNotRegular], [ErrTooLarge] or the fs error (fs.ErrNotExist,
// fs.ErrPermission), and never hold the file's content.
func Read(path string, limit int64) ([]byte, os.FileMode, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, 0, unwrapPath(err)
	}
	if err := check(info, limit); err != nil {
		return nil, 0, err
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, 0, unwrapPath(err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, 0, err
	}
	if err := check(info, limit); err != nil {
		return nil, 0, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(b)) > limit {
		return nil, 0, &Error{fmt.Sprintf("is larger than the %d bytes jamf-scep reads", limit), ErrTooLarge}
	}
	return b, info.Mode().Perm(), nil
}

// check refuses a file that is not regular or is larger than limit.
func check(info os.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return &Error{fmt.Sprintf("is %s, not a regular file", Kind(info.Mode())), ErrNotRegular}
	}
	if info.Size() > limit {
		return &Error{fmt.Sprintf("is %d bytes, larger than the %d jamf-scep reads", info.Size(), limit), ErrTooLarge}
	}
	return nil
}

// Error is a refusal of [Read]: its text says what is wrong with the file;
// errors.Is matches [ErrNotRegular] or [ErrTooLarge].
type Error struct {
	msg  string
	kind error
}

func (e *Error) Error() string { return e.msg }

// Is reports whether target is the kind of refusal e is.
func (e *Error) Is(target error) bool { return target == e.kind }

// Kind names a file type for an error: "a named pipe (FIFO)", "a socket",
// "a device", "a directory", or "a special file".
func Kind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0, m&os.ModeCharDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// unwrapPath drops the *fs.PathError's "open PATH:" prefix, which callers
// replace with the name the user knows (a flag or a field), keeping the
// cause (fs.ErrNotExist, fs.ErrPermission) for errors.Is.
func unwrapPath(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
