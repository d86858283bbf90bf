package config

import (
	"fmt"
	"io"
	"os"
)

// MaxFileSize is the largest config file jamf-scep reads, in bytes
// (1 MiB). It is jamf-scep's choice: a config is a few KiB, a
// multi-tenant one with hundreds of tenants some tens; a larger file is
// the wrong file, and parsing it would cost memory for nothing.
const MaxFileSize = 1 << 20

// readFile reads at most MaxFileSize+1 bytes of the file at path, so that
// [Parse] can refuse a larger one without reading it all (a device or a
// pipe may never end).
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// checkFileSize adds a Problem when data is larger than MaxFileSize and
// reports whether it was.
func checkFileSize(k *collector, data []byte) bool {
	if len(data) <= MaxFileSize {
		return false
	}
	k.add("", fmt.Sprintf("the file is larger than %d MiB, the most jamf-scep reads as a config", MaxFileSize>>20),
		"check that --config (or JAMF_SCEP_CONFIG) points at the config file; a config is a few KiB")
	return true
}
