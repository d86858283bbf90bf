package safedecode

import (
	"encoding/xml"
	"fmt"
)

// ErrMalformed is matched (errors.Is) by the error of [Plist] for an XML
// plist whose dicts are malformed: a key twice in one dict, a key without
// a value, or a value without a key. howett.net/plist reads such a dict
// without complaint (the last of two values wins; a lone key is dropped),
// so a stored profile Jamf would serve differently could compare equal to
// the config.
var ErrMalformed = fmt.Errorf("malformed property list")

// dictFrame is one open element of an XML plist during the scan; dict
// elements track their keys.
type dictFrame struct {
	dict    bool
	keys    map[string]bool
	pending string // the key awaiting its value
	hasKey  bool   // pending is set
}

// dictChecker follows the dict structure of an XML plist's token stream
// and keeps the first malformation it sees.
type dictChecker struct {
	d       *xml.Decoder
	stack   []dictFrame
	inKey   bool
	keyText []byte
	err     error
}

func (c *dictChecker) fail(format string, args ...any) {
	if c.err == nil {
		line, _ := c.d.InputPos()
		c.err = fmt.Errorf("%w: line %d: %s", ErrMalformed, line, fmt.Sprintf(format, args...))
	}
}

func (c *dictChecker) start(name string) {
	if n := len(c.stack); n > 0 && c.stack[n-1].dict {
		parent := &c.stack[n-1]
		switch {
		case name == "key" && parent.hasKey:
			c.fail("the key %q has no value", parent.pending)
		case name != "key" && !parent.hasKey:
			c.fail("a <%s> value has no key", name)
		case name != "key":
			parent.hasKey = false
		}
		if name == "key" {
			c.inKey, c.keyText = true, c.keyText[:0]
		}
	}
	c.stack = append(c.stack, dictFrame{dict: name == "dict", keys: map[string]bool{}})
}

func (c *dictChecker) text(b []byte) {
	if c.inKey {
		c.keyText = append(c.keyText, b...)
	}
}

func (c *dictChecker) end() {
	n := len(c.stack)
	if n == 0 {
		return
	}
	top := c.stack[n-1]
	c.stack = c.stack[:n-1]
	if top.dict && top.hasKey {
		c.fail("the key %q has no value", top.pending)
	}
	if c.inKey && n >= 2 && c.stack[n-2].dict {
		c.inKey = false
		parent := &c.stack[n-2]
		k := string(c.keyText)
		if parent.keys[k] {
			c.fail("the key %q appears twice in one dict", k)
		}
		parent.keys[k], parent.pending, parent.hasKey = true, k, true
	}
}
