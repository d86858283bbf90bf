package profile

import (
	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// CapturePlistMasker returns the function a field capture (jamf.Capture)
// masks a stored profile's plist with: the plist decoded within the
// untrusted-input limits (UnmarshalPlist), every value rule calls secret
// and every URL credential replaced by redact.Text ([MaskTree]), and the
// result encoded as an XML plist. It also returns each replaced string or
// data value, so the capture removes it wherever else it appears. The
// error is UnmarshalPlist's or the encoder's.
func CapturePlistMasker(rule SecretRule) func(text string) (string, []string, error) {
	return func(text string) (string, []string, error) {
		var root any
		if err := UnmarshalPlist([]byte(text), &root); err != nil {
			return "", nil, err
		}
		found := secretValues(root, rule)
		if len(MaskTree(root, rule, redact.Text)) == 0 {
			return text, found, nil
		}
		out, err := plist.MarshalIndent(root, plist.XMLFormat, "\t")
		if err != nil {
			return "", nil, err
		}
		return string(out), found, nil
	}
}

// secretValues returns every string or data value at or under a key rule
// calls secret.
func secretValues(root any, rule SecretRule) []string {
	var out []string
	path := NewKeyPath(rule)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				path.PushKey(k)
				walk(e)
				path.Pop()
			}
		case []any:
			for i, e := range x {
				path.PushIndex(i)
				walk(e)
				path.Pop()
			}
		case string:
			if path.Secret() {
				out = append(out, x)
			}
		case []byte:
			if path.Secret() {
				out = append(out, string(x))
			}
		}
	}
	walk(root)
	return out
}
