package profile

import "github.com/jamf-scep/jamf-scep/internal/safedecode"

// UnmarshalPlist decodes untrusted plist bytes (XML or binary) into v
// within safedecode.PlistLimits: at most 8 MiB, 256 levels of nesting and
// 100,000 values once a binary plist's shared references are followed.
// Every plist jamf-scep reads from a user or from Jamf goes through it. A
// broken limit returns an error matching safedecode.ErrTooLarge; an
// OpenStep or GNUstep text plist is refused (macOS reads profiles only as
// XML or binary).
//
// A dict holding a key twice or a key without a value returns an error
// matching [ErrMalformedPlist], with v decoded where the parser could (the
// last of two values wins).
func UnmarshalPlist(data []byte, v any) error {
	return safedecode.Plist(data, v)
}

// ErrMalformedPlist is matched by the error of [UnmarshalPlist] for a plist
// whose dicts are malformed (see safedecode.ErrMalformed).
var ErrMalformedPlist = safedecode.ErrMalformed
