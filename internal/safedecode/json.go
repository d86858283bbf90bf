package safedecode

import (
	"encoding/json"
	"io"
)

// DecodeJSON reads one untrusted JSON document from r, at most
// JSONLimits.Bytes of it, and decodes it into v as json.Unmarshal does,
// after checking its nesting against JSONLimits.Depth. A limit broken
// returns a *LimitError (errors.Is ErrTooLarge).
func DecodeJSON(r io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, int64(JSONLimits.Bytes)+1))
	if err != nil {
		return err
	}
	return JSON(data, v)
}

// JSON is [DecodeJSON] for a document already in memory.
func JSON(data []byte, v any) error {
	if err := CheckJSON(data, JSONLimits); err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// CheckJSON checks data's size and the nesting of its arrays and objects
// against lim. It scans bytes, skipping strings, so it costs one pass and
// no allocation; it is exact for valid JSON, and json.Unmarshal validates
// the whole document before decoding any of it, so invalid JSON is refused
// there whatever this scan counted.
func CheckJSON(data []byte, lim Limits) error {
	if len(data) > lim.Bytes {
		return &LimitError{Input: "JSON document", What: "bytes", Limit: lim.Bytes}
	}
	depth := 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > lim.Depth {
				return &LimitError{Input: "JSON document", What: "levels of nesting", Limit: lim.Depth}
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

var jsonUnmarshal = json.Unmarshal
