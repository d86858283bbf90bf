package jamfsim

import (
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"regexp"
	"sort"
	"strings"

	"howett.net/plist"
)

// errDatabase means Jamf cannot store a payload; the server answers 409
// with msgDatabase.
var errDatabase = errors.New("jamfsim: payload cannot be stored")

// msgDatabase is Jamf's message for a payload it cannot store.
const msgDatabase = "Unable to update the database"

// isEntityAt reports the length of the XML entity or character reference
// starting at s[i] (which is '&'), or 0 if there is none.
func isEntityAt(s string, i int) int {
	end := strings.IndexByte(s[i:], ';')
	if end < 2 || end > 12 {
		return 0
	}
	name := s[i+1 : i+end]
	switch name {
	case "amp", "lt", "gt", "quot", "apos":
		return end + 1
	}
	if num, ok := strings.CutPrefix(name, "#"); ok && num != "" {
		digits, base := num, "0123456789"
		if h, ok := strings.CutPrefix(num, "x"); ok {
			digits, base = h, "0123456789abcdefABCDEF"
		}
		if digits == "" {
			return 0
		}
		for _, r := range digits {
			if !strings.ContainsRune(base, r) {
				return 0
			}
		}
		return end + 1
	}
	return 0
}

// decodeEntitiesOnce replaces each XML entity and character reference in
// s by its character, once, leaving a bare '&' alone. It is Jamf's extra
// decode of <payloads> (PI-827).
func decodeEntitiesOnce(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '&' {
			b.WriteByte(s[i])
			i++
			continue
		}
		n := isEntityAt(s, i)
		if n == 0 {
			b.WriteByte('&')
			i++
			continue
		}
		// Let encoding/xml decode the single reference.
		var v string
		if err := xml.Unmarshal([]byte("<a>"+s[i:i+n]+"</a>"), &v); err != nil {
			b.WriteString(s[i : i+n])
		} else {
			b.WriteString(v)
		}
		i += n
	}
	return b.String()
}

// hasBareAmpersand reports whether s holds an '&' that does not start an
// entity or character reference, outside CDATA sections and comments
// (where XML allows a literal '&').
func hasBareAmpersand(s string) bool {
	for s != "" {
		i := strings.IndexAny(s, "&<")
		if i < 0 {
			return false
		}
		s = s[i:]
		switch {
		case s[0] == '&':
			if isEntityAt(s, 0) == 0 {
				return true
			}
			s = s[1:]
		case strings.HasPrefix(s, "<![CDATA["):
			_, rest, ok := strings.Cut(s, "]]>")
			if !ok {
				return false // unterminated: the XML parser refuses it
			}
			s = rest
		case strings.HasPrefix(s, "<!--"):
			_, rest, ok := strings.Cut(s, "-->")
			if !ok {
				return false
			}
			s = rest
		default:
			s = s[1:]
		}
	}
	return false
}

var arrayTag = regexp.MustCompile(`<array\s*/?>|</array\s*>`)

// addPhantomArrays models Jamf's phantom-array bug: whitespace-only text
// between two adjacent array tags becomes an empty <array/>.
func addPhantomArrays(s string) string {
	locs := arrayTag.FindAllStringIndex(s, -1)
	if len(locs) < 2 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+1 < len(locs); i++ {
		gap := s[locs[i][1]:locs[i+1][0]]
		if gap == "" || strings.TrimSpace(gap) != "" {
			continue
		}
		b.WriteString(s[last:locs[i][1]])
		b.WriteString("<array/>")
		last = locs[i+1][0]
	}
	b.WriteString(s[last:])
	return b.String()
}

// parsePlist parses an XML plist document into its tree (dicts as
// map[string]any, arrays as []any).
func parsePlist(text string) (any, error) {
	if hasBareAmpersand(text) {
		return nil, errDatabase
	}
	var v any
	if _, err := plist.Unmarshal([]byte(text), &v); err != nil {
		return nil, errDatabase
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errDatabase
	}
	return v, nil
}

// reserialize applies Jamf's rewrites to a parsed profile and encodes it
// again as an indented XML plist.
func reserialize(tree map[string]any, displayName, description string) (string, error) {
	tree = cleanValue(tree).(map[string]any)
	tree["PayloadDisplayName"] = cleanString(displayName)
	tree["PayloadDescription"] = cleanString(description)
	if _, ok := tree["PayloadEnabled"]; !ok {
		tree["PayloadEnabled"] = true
	}
	if content, ok := tree["PayloadContent"].([]any); ok {
		for _, c := range content {
			if d, ok := c.(map[string]any); ok {
				if _, ok := d["PayloadEnabled"]; !ok {
					d["PayloadEnabled"] = true
				}
			}
		}
	}
	b, err := plist.MarshalIndent(tree, plist.XMLFormat, "\t")
	if err != nil {
		return "", errDatabase
	}
	return string(b), nil
}

// cleanValue returns a copy of v with every string value cleaned.
func cleanValue(v any) any {
	switch t := v.(type) {
	case string:
		return cleanString(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = cleanValue(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cleanValue(e)
		}
		return out
	default:
		return v
	}
}

// cleanString drops LF and TAB, replaces characters outside the Basic
// Multilingual Plane by '?' and trims surrounding spaces.
func cleanString(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return -1
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// topLevelString returns the top-level string value of key in a plist
// document, or "".
func topLevelString(text, key string) string {
	var v map[string]any
	if _, err := plist.Unmarshal([]byte(text), &v); err != nil {
		return ""
	}
	s, _ := v[key].(string)
	return s
}

// replaceTopLevelStrings rewrites, in place, the string values of the
// given top-level keys of a plist document, leaving every other byte
// alone. Keys that are absent or not strings are left out.
func replaceTopLevelStrings(text string, vals map[string]string) (string, error) {
	type span struct {
		start, end int
		val        string
	}
	var spans []span
	dec := xml.NewDecoder(strings.NewReader(text))
	depth := 0
	inKey := false
	var key strings.Builder
	pending := ""
	strStart, strKey := -1, ""
	for {
		off := int(dec.InputOffset())
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 3 {
				continue
			}
			switch {
			case t.Name.Local == "key":
				inKey = true
				key.Reset()
			case t.Name.Local == "string" && pending != "":
				if _, ok := vals[pending]; ok {
					strStart, strKey = int(dec.InputOffset()), pending
					if strings.HasSuffix(text[:strStart], "/>") {
						// <string/>: replace the whole element.
						spans = append(spans, span{off, strStart, "<string>" + escapeXML(vals[pending]) + "</string>"})
						strStart = -1
					}
				}
				pending = ""
			default:
				pending = ""
			}
		case xml.EndElement:
			if depth == 3 {
				if inKey {
					inKey = false
					pending = key.String()
				} else if strStart >= 0 {
					spans = append(spans, span{strStart, off, escapeXML(vals[strKey])})
					strStart = -1
				}
			}
			depth--
		case xml.CharData:
			if inKey {
				key.Write(t)
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start > spans[j].start })
	for _, sp := range spans {
		text = text[:sp.start] + sp.val + text[sp.end:]
	}
	return text, nil
}

func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// payloadRewrite is what the server does to an incoming <payloads> value.
type payloadRewrite struct {
	entityDecode, phantomArrays, reserialize bool
	// newTopID, when set, replaces the top-level PayloadUUID and
	// PayloadIdentifier.
	newTopID    string
	displayName string
	description string
}

// storePayload turns the <payloads> text as XML decoded it into the text
// Jamf stores, or errDatabase.
func storePayload(raw string, rw payloadRewrite) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	text := raw
	if rw.entityDecode {
		text = decodeEntitiesOnce(text)
	}
	if rw.phantomArrays {
		text = addPhantomArrays(text)
	}
	tree, err := parsePlist(text)
	if err != nil {
		return "", err
	}
	if rw.reserialize {
		m := tree.(map[string]any)
		if rw.newTopID != "" {
			m = maps.Clone(m)
			m["PayloadUUID"] = rw.newTopID
			m["PayloadIdentifier"] = rw.newTopID
		}
		return reserialize(m, rw.displayName, rw.description)
	}
	if rw.newTopID != "" {
		out, err := replaceTopLevelStrings(text, map[string]string{"PayloadUUID": rw.newTopID, "PayloadIdentifier": rw.newTopID})
		if err != nil {
			return "", errDatabase
		}
		return out, nil
	}
	return text, nil
}
