package config

import (
	"errors"
	"fmt"

	"github.com/jamf-scep/jamf-scep/internal/userfile"
)

// MaxFileSize is the largest config file jamf-scep reads, in bytes
// (1 MiB). It is jamf-scep's choice: a config is a few KiB, a
// multi-tenant one with hundreds of tenants some tens; a larger file is
// the wrong file, and parsing it would cost memory for nothing.
const MaxFileSize = 1 << 20

// readFile reads the config or dialect file at path the one way user-named
// files are read ([userfile.Read]): a named pipe, socket, device or
// directory is refused before it is opened (opening a FIFO blocks for
// ever), and a file over MaxFileSize is refused without being read whole.
func readFile(path string) ([]byte, error) {
	data, _, err := userfile.Read(path, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// loadTooLarge is the error of [Load] for a file over MaxFileSize: the
// same Problem [Parse] gives such data.
func loadTooLarge(path string) error {
	k := &collector{c: &Config{source: path, lines: map[string]int{}}}
	addTooLarge(k)
	return k.err()
}

// isTooLarge reports whether err is readFile's refusal of a file over
// MaxFileSize.
func isTooLarge(err error) bool { return errors.Is(err, userfile.ErrTooLarge) }

// checkFileSize adds a Problem when data is larger than MaxFileSize and
// reports whether it was.
func checkFileSize(k *collector, data []byte) bool {
	if len(data) <= MaxFileSize {
		return false
	}
	addTooLarge(k)
	return true
}

func addTooLarge(k *collector) {
	k.add("", fmt.Sprintf("the file is larger than %d MiB, the most jamf-scep reads as a config", MaxFileSize>>20),
		"check that --config (or JAMF_SCEP_CONFIG) points at the config file; a config is a few KiB")
}
