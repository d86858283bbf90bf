//go:build unix

package jamf

import (
	"os"
	"syscall"
)

// ownedByMe reports whether the current user owns fi's file.
func ownedByMe(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || int(st.Uid) == os.Getuid()
}
