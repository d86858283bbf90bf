package plan

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/profile"

	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// Keys Jamf Pro rewrites in a stored profile (docs/jamf-behavior.md,
// 'Re-serialisation rewrites'), masked
// before comparing. The top-level identifiers are replaced on create (an
// update keeps them, which apply checks on its own); display name and
// description are copied from general, whose diff covers them.
var (
	maskedTopKeys = []string{"PayloadUUID", "PayloadIdentifier", "PayloadDisplayName", "PayloadDescription"}
	// addedKey is added by Jamf to every payload dictionary.
	addedKey = "PayloadEnabled"
)

// parsePlist decodes a plist (XML or binary) into a generic tree.
// A plist with malformed dicts (profile.ErrMalformedPlist) returns the
// tree as read together with the error, so the caller can show the
// difference and rewrite the plist.
func parsePlist(data []byte) (map[string]any, error) {
	var v any
	err := profile.UnmarshalPlist(data, &v)
	if err != nil && (!errors.Is(err, profile.ErrMalformedPlist) || v == nil) {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the plist's root is %T, not a dictionary", v)
	}
	return m, err
}

// normalize applies Jamf's rewrites to a generic plist tree, so that the
// desired profile and the stored one compare equal when Jamf stored what was
// sent: PayloadEnabled removed everywhere, the masked top-level keys
// removed, and every string as Jamf stores it (jamfString).
func normalize(root map[string]any) map[string]any {
	out := normalizeValue(root).(map[string]any)
	for _, k := range maskedTopKeys {
		delete(out, k)
	}
	return out
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k == addedKey {
				continue
			}
			out[k] = normalizeValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeValue(e)
		}
		return out
	case string:
		return jamfString(x)
	case int64:
		return x
	case uint64:
		// howett.net/plist decodes non-negative integers as uint64; fold
		// to int64 so a value compares equal whichever way it came.
		if x <= 1<<63-1 {
			return int64(x)
		}
	}
	return v
}

// jamfString is s as Jamf Pro stores a plist string: literal LF and TAB
// dropped, characters outside the Basic Multilingual Plane replaced by '?',
// then leading and trailing spaces trimmed.
func jamfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r > 0xFFFF:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// diffTrees lists the differences from old to new (both normalized), with
// key paths in Apple's notation: dictionaries recurse with ".", arrays of
// the same length holding dictionaries recurse with "[i]", and any other
// array is compared as one value (a Subject shows whole). Keys come in
// sorted order at each level. A value is Sensitive when rule calls a key
// on its path secret (profile.SecretRule, the rule every command uses),
// and a container shown whole masks the secret keys inside it. The path
// is kept on a shared stack and rendered only for a change, so the walk is
// linear in depth.
func diffTrees(old, new map[string]any, rule profile.SecretRule) []Change {
	d := &differ{path: profile.NewKeyPath(rule), rule: rule}
	d.dict(old, new)
	return d.out
}

type differ struct {
	path *profile.KeyPath
	rule profile.SecretRule
	out  []Change
}

func (d *differ) dict(old, new map[string]any) {
	keys := slices.Sorted(maps.Keys(old))
	for k := range new {
		if _, ok := old[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		d.path.PushKey(k)
		d.value(old[k], new[k])
		d.path.Pop()
	}
}

func (d *differ) index(i int, old, new any) {
	d.path.PushIndex(i)
	d.value(old, new)
	d.path.Pop()
}

func (d *differ) value(old, new any) {
	// An added or removed dictionary (or array of dictionaries) is listed
	// key by key, so a secret inside shows only as a secret path.
	if old == nil || new == nil {
		side := old
		if side == nil {
			side = new
		}
		switch x := side.(type) {
		case map[string]any:
			empty := map[string]any{}
			if old == nil {
				d.dict(empty, x)
			} else {
				d.dict(x, empty)
			}
			return
		case []any:
			if hasDicts(x) {
				for i, e := range x {
					if old == nil {
						d.index(i, nil, e)
					} else {
						d.index(i, e, nil)
					}
				}
				return
			}
		}
	}
	if old != nil && new != nil {
		if om, ok := old.(map[string]any); ok {
			if nm, ok := new.(map[string]any); ok {
				d.dict(om, nm)
				return
			}
		}
		if oa, ok := old.([]any); ok {
			if na, ok := new.([]any); ok && len(oa) == len(na) && hasDicts(oa) && hasDicts(na) {
				for i := range oa {
					d.index(i, oa[i], na[i])
				}
				return
			}
		}
	}
	if equalValues(old, new) {
		return
	}
	c := Change{Path: d.path.String()}
	switch {
	case old == nil:
		c.Op, c.New = OpAdd, display(new, d.rule)
	case new == nil:
		c.Op, c.Old = OpRemove, display(old, d.rule)
	default:
		c.Op, c.Old, c.New = OpChange, display(old, d.rule), display(new, d.rule)
	}
	if d.path.Secret() {
		c.Sensitive = true
		if c.Old != "" {
			c.Old = Sensitive
		}
		if c.New != "" {
			c.New = Sensitive
		}
	}
	d.out = append(d.out, c)
}

func hasDicts(a []any) bool {
	for _, e := range a {
		if _, ok := e.(map[string]any); ok {
			return true
		}
	}
	return false
}

// equalValues compares two plist values exactly (secrets included, so a
// change to a secret inside a container is still a change).
func equalValues(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, e := range x {
			f, ok := y[k]
			if !ok || !equalValues(e, f) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, equalValues)
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case float64:
		y, ok := b.(float64)
		// NaN equals itself here: the same stored value is no change.
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	}
	return a == b
}

// display renders a plist value on one line: strings quoted, data as
// base64, dates in RFC 3339, arrays and dictionaries as JSON with every
// value under a key rule calls secret shown as Sensitive. A credential
// inside a URL is masked wherever it sits (profile.MaskURLSecrets).
func display(v any, rule profile.SecretRule) string {
	switch x := v.(type) {
	case string:
		masked, _ := redact.MaskURLSecrets(x)
		return strconv.Quote(masked)
	case []byte:
		return "<data " + base64.StdEncoding.EncodeToString(x) + ">"
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case nil:
		return ""
	case map[string]any, []any:
		// Shown to an admin as written: no \u0026 for "&" (json.Marshal
		// escapes HTML characters by default).
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonable(x, rule)); err != nil {
			return fmt.Sprint(x)
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	return fmt.Sprint(v)
}

// jsonable turns plist data values into strings so json.Marshal can show a
// container holding them, and masks secret values.
func jsonable(v any, rule profile.SecretRule) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if rule.IsSecret(k) {
				// A container shown whole never shows a secret inside it,
				// old or new: the stored one is not known to the plan.
				out[k] = Sensitive
				continue
			}
			out[k] = jsonable(e, rule)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e, rule)
		}
		return out
	case string:
		masked, _ := redact.MaskURLSecrets(x)
		return masked
	case []byte, time.Time:
		return display(x, rule)
	}
	return v
}

// redactContainers hides a secret nested in a container value shown whole
// (a dictionary added on create, say): every Change whose path is not itself
// secret but whose value holds a secret key is rewritten to Sensitive.
func redactContainers(cs []Change, secretValues []string) {
	for i := range cs {
		for _, raw := range secretValues {
			if raw == "" {
				continue
			}
			if slices.ContainsFunc(shownForms(raw), func(s string) bool {
				return strings.Contains(cs[i].Old, s) || strings.Contains(cs[i].New, s)
			}) {
				cs[i].Sensitive = true
				if cs[i].Old != "" {
					cs[i].Old = Sensitive
				}
				if cs[i].New != "" {
					cs[i].New = Sensitive
				}
			}
		}
	}
}

// shownForms are the ways display can show secret text s: as is, Go-quoted
// (strings) and JSON-escaped (inside containers).
func shownForms(s string) []string {
	quoted := strconv.Quote(s)
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	js := strings.TrimSuffix(b.String(), "\n")
	return []string{s, quoted[1 : len(quoted)-1], js[1 : len(js)-1]}
}
