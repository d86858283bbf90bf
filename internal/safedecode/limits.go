// Package safedecode decodes untrusted property lists and JSON within one
// set of limits: bytes, nesting depth and values. Every plist jamf-scep
// reads (a file, stdin, the <payloads> Jamf Pro stores) and every JSON
// answer it may read goes through here, so the limits live in one place.
//
// The limits are checked before the real decoder runs: an XML plist's
// token stream is scanned (encoding/xml, iteratively) and refused past
// the depth or value limit before howett.net/plist recurses into it; a
// binary plist's object graph is sized with memoisation before it is
// expanded; JSON is scanned byte by byte for depth. A hostile document
// therefore costs at most its bytes and a bounded stack, never a crash.
package safedecode

import (
	"errors"
	"fmt"
)

// Limits bound one decode of untrusted input.
type Limits struct {
	// Bytes is the largest document accepted, in bytes.
	Bytes int
	// Depth is the deepest nesting accepted: of arrays and dictionaries
	// in a binary plist, of elements in an XML plist (<plist> and the
	// leaf elements included, so a little stricter), of arrays and
	// objects in JSON.
	Depth int
	// Values caps the values a document expands to (a binary plist's
	// shared references followed; XML elements other than <key>);
	// 0 means not counted.
	Values int
}

// PlistLimits apply to every untrusted property list. A real
// configuration profile is a few KiB with a few hundred values nested
// fewer than ten levels; these leave two orders of magnitude of room.
var PlistLimits = Limits{Bytes: 8 << 20, Depth: 256, Values: 100_000}

// JSONLimits apply to every untrusted JSON answer. The byte limit is the
// Jamf client's cap on an answer (a 2,000-computer inventory page with
// several sections is a few MiB). Values are not counted: typed decoding
// skips what it does not name without keeping it, so memory follows the
// bytes.
var JSONLimits = Limits{Bytes: 64 << 20, Depth: 256}

// ErrTooLarge is matched (errors.Is) by every *LimitError.
var ErrTooLarge = errors.New("input exceeds a decoding limit")

// LimitError says which limit a document broke.
type LimitError struct {
	Input string // "property list" or "JSON document"
	What  string // "bytes", "levels of nesting" or "values"
	Limit int
}

func (e *LimitError) Error() string {
	limit := fmt.Sprintf("%d %s", e.Limit, e.What)
	if e.What == "bytes" {
		limit = FormatBytes(e.Limit)
	}
	return fmt.Sprintf("the %s is larger than jamf-scep reads (more than %s); a configuration profile or a Jamf Pro answer is far smaller, so this one is damaged or hostile", e.Input, limit)
}

// FormatBytes writes n bytes as people read a limit: "8 MiB", "64 KiB",
// "100 bytes".
func FormatBytes(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *LimitError) Is(target error) bool { return target == ErrTooLarge }
