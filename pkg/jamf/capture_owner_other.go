//go:build !unix

package jamf

import "os"

// ownedByMe is true where the platform has no Unix owner to compare.
func ownedByMe(os.FileInfo) bool { return true }
