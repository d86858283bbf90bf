package safedecode

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"

	"howett.net/plist"
)

// plistElements are the elements howett.net/plist accepts as the first
// element of an XML plist; any other first element (or none) makes it
// fall back to its OpenStep/GNUstep text parser, which is not accepted here.
var plistElements = map[string]bool{
	"plist": true, "dict": true, "array": true, "string": true, "integer": true,
	"real": true, "true": true, "false": true, "date": true, "data": true,
}

// errTextPlist refuses the OpenStep and GNUstep text formats: macOS reads
// a configuration profile only as XML or binary, and a text plist would
// reach a recursive parser this package does not pre-scan.
var errTextPlist = errors.New("not an XML or binary property list (a configuration profile is one of those; convert an OpenStep or GNUstep text plist with `plutil -convert xml1 FILE`)")

// Plist decodes an untrusted property list (XML or binary) into v, as
// howett.net/plist's Unmarshal does, after checking it against
// PlistLimits. A limit broken returns a *LimitError (errors.Is
// ErrTooLarge); a document that is not an XML or binary plist, or is
// malformed, returns a plain error. An XML plist whose dicts are malformed
// (a key twice, a key without a value) returns an error matching
// [ErrMalformed] with v decoded as howett.net/plist reads it (the last of
// two values wins), so that a caller can show and repair the difference.
func Plist(data []byte, v any) error {
	return PlistWithin(data, v, PlistLimits)
}

// PlistWithin is [Plist] with other limits (tests and benchmarks).
func PlistWithin(data []byte, v any, lim Limits) error {
	malformed := CheckPlist(data, lim)
	if malformed != nil && !errors.Is(malformed, ErrMalformed) {
		return malformed
	}
	if _, err := plist.Unmarshal(data, v); err != nil {
		return cmp.Or(malformed, err) // ours names the key and line
	}
	return malformed
}

// CheckPlist checks data against lim without decoding values: the size;
// for a binary plist (howett.net/plist's test: it starts with "bplist")
// the expanded object graph; for anything else the XML token stream,
// whose first element must be a plist element.
func CheckPlist(data []byte, lim Limits) error {
	if len(data) > lim.Bytes {
		return &LimitError{Input: "property list", What: "bytes", Limit: lim.Bytes}
	}
	if bytes.HasPrefix(data, []byte("bplist")) {
		return checkBinaryPlist(data, lim)
	}
	return checkXMLPlist(data, lim)
}

// checkXMLPlist scans the tokens of an XML plist with the decoder settings
// howett.net/plist uses (encoding/xml defaults), so both see the same
// stream: a syntax error stops the scan and is left for the real parse,
// which meets it at the same token, never deeper than the scan went. The
// scan stops where the parser stops, at the end of the first element.
func checkXMLPlist(data []byte, lim Limits) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	dicts := &dictChecker{d: d}
	depth, values := 0, 0
	for {
		tok, err := d.Token()
		if err != nil {
			if values == 0 {
				return fmt.Errorf("%w; as XML: %w", errTextPlist, err)
			}
			return dicts.err
		}
		switch t := tok.(type) {
		case xml.CharData:
			dicts.text(t)
		case xml.StartElement:
			dicts.start(t.Name.Local)
			if values == 0 && !plistElements[t.Name.Local] {
				return fmt.Errorf("the root element is <%s>: %w", t.Name.Local, errTextPlist)
			}
			if depth++; depth > lim.Depth {
				return &LimitError{Input: "property list", What: "levels of nesting", Limit: lim.Depth}
			}
			if t.Name.Local == "key" && values > 0 {
				continue
			}
			if values++; lim.Values > 0 && values > lim.Values {
				return &LimitError{Input: "property list", What: "values", Limit: lim.Values}
			}
		case xml.EndElement:
			dicts.end()
			if depth--; depth == 0 {
				return dicts.err
			}
		}
	}
}
