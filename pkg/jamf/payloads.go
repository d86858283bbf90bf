package jamf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CompactPlist removes the whitespace-only text between the tags of a plist
// container (<plist>, <dict>, <array>) and outside the root element, and
// leaves every other byte as it was: text inside <string>, <key>, <data>
// and the rest is never touched, nor are escapes, comments or the DOCTYPE.
// Line ends are normalized first, as every XML parser does (XML 1.0
// section 2.11: CR LF and a lone CR become LF), so the result holds no CR:
// a CR inside <string> or <data> would otherwise reach Jamf as a CR and be
// stored as an LF by the server's XML parser, and the stored plist would
// differ byte for byte from the one sent (a CR that matters is written
// &#13;, which is kept).
//
// Jamf Pro needs this: whitespace between sibling <array> tags comes back
// from the server as phantom empty arrays in the stored profile, and the
// SCEP Subject (an array of arrays) is exactly that shape
// (docs/jamf-behavior.md, 'Phantom arrays'). It returns an error when plist is not
// well-formed XML.
func CompactPlist(plist string) (string, error) {
	plist = normalizeLineEnds(plist)
	if err := checkXMLChars(plist); err != nil {
		return "", err
	}
	d := xml.NewDecoder(strings.NewReader(plist))
	d.Strict = true
	var out strings.Builder
	out.Grow(len(plist))
	var stack []string
	roots := 0
	prev := int64(0)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("jamf: payload plist is not well-formed XML: %w", err)
		}
		end := d.InputOffset()
		raw := plist[prev:end]
		prev = end
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if roots++; roots > 1 {
					return "", errors.New("jamf: payload plist is not well-formed XML: more than one root element")
				}
			}
			stack = append(stack, t.Name.Local)
			if strings.HasSuffix(raw, "/>") {
				stack = stack[:len(stack)-1] // RawToken reports <a/> as start then end
			}
		case xml.EndElement:
			if !strings.HasPrefix(raw, "</") {
				continue // the synthetic end of a self-closing tag has no bytes
			}
			// RawToken does not match end tags to start tags; check here.
			if len(stack) == 0 || stack[len(stack)-1] != t.Name.Local {
				return "", fmt.Errorf("jamf: payload plist is not well-formed XML: unexpected </%s>", t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			blank := len(bytes.TrimSpace(t)) == 0
			if len(stack) == 0 && !blank {
				return "", errors.New("jamf: payload plist is not well-formed XML: text outside the root element")
			}
			if blank && inContainer(stack) {
				continue
			}
		}
		out.WriteString(raw)
	}
	if len(stack) != 0 {
		return "", fmt.Errorf("jamf: payload plist is not well-formed XML: <%s> is never closed", stack[len(stack)-1])
	}
	if roots == 0 {
		return "", errors.New("jamf: payload plist has no root element; want <plist>...</plist>")
	}
	return out.String(), nil
}

// checkXMLChars refuses text that is not UTF-8 or holds a character XML
// cannot carry (XML 1.0 section 2.2, Char). encoding/xml checks this in
// text and CDATA but not in comments or directives, and Jamf's parser
// refuses such a document wherever the character sits.
func checkXMLChars(s string) error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Errorf("jamf: payload plist is not well-formed XML: invalid UTF-8 at byte %d", i)
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		default:
			return fmt.Errorf("jamf: payload plist is not well-formed XML: character %U at byte %d is not allowed in XML", r, i)
		}
	}
	return nil
}

// normalizeLineEnds applies XML 1.0 section 2.11: CR LF and any CR not
// followed by LF become one LF.
func normalizeLineEnds(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// inContainer reports whether whitespace at this depth is insignificant:
// outside the root, or directly inside plist, dict or array.
func inContainer(stack []string) bool {
	if len(stack) == 0 {
		return true
	}
	switch stack[len(stack)-1] {
	case "plist", "dict", "array":
		return true
	}
	return false
}

// EncodePayloads returns the text to put inside the one CDATA section of
// <payloads> so that Jamf Pro stores plist byte for byte.
//
// Jamf Pro entity-decodes <payloads> once more than XML says (Jamf PI-827,
// unfixed): CDATA content once, element text twice. So a plist sent as
// plain text loses one level of escaping, and any `&` (even the `&amp;` a
// plist uses for "&") makes the server answer 409 "Unable to update the
// database". The faithful form escapes every `&` once more (`&amp;` becomes
// `&amp;amp;`, `&lt;` becomes `&amp;lt;`) and puts the result in CDATA,
// where the server's extra decode undoes exactly that one level. Because
// `>` in the escaped text is undone the same way, an occurrence of `]]>`
// (which would end the CDATA section) is sent as `]]&gt;`.
//
// Compact the plist first ([CompactPlist]): whitespace between sibling
// <array> tags becomes phantom empty arrays on the server.
//
// [ServerDecodePayloads] models the server's side; GET answers escape
// <payloads> normally, so a read-back needs no special decoding.
func EncodePayloads(plist string) string {
	s := strings.ReplaceAll(plist, "&", "&amp;")
	return strings.ReplaceAll(s, "]]>", "]]&gt;")
}

// ServerDecodePayloads is the extra entity decode Jamf Pro applies to the
// text of <payloads> after XML parsing (Jamf PI-827): the five predefined
// XML entities and numeric character references are replaced once;
// anything else (a bare `&`, an unknown entity) is kept as it is. It is the
// inverse of [EncodePayloads] and exists so tests and simulators can model
// the server; the client never needs it on a GET.
func ServerDecodePayloads(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, ';')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		if r, ok := decodeEntity(s[1:j]); ok {
			b.WriteString(r)
			s = s[j+1:]
			continue
		}
		b.WriteByte('&')
		s = s[1:]
	}
}

func decodeEntity(name string) (string, bool) {
	switch name {
	case "amp":
		return "&", true
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "quot":
		return `"`, true
	case "apos":
		return "'", true
	}
	if len(name) < 2 || name[0] != '#' {
		return "", false
	}
	var n uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	if err != nil || n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF) {
		return "", false
	}
	return string(rune(n)), true
}
