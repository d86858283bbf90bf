// Package dialectreport compares a profile that Jamf Pro stored (typically
// one an admin made in the Jamf GUI) with jamf-scep's Jamf dialect: it lists
// every key that is not Apple's, where it sits, its type and value (secrets
// masked), says how it differs from what the dialect would write, and
// proposes a dialect that reproduces Jamf's own encoding.
//
// Jamf does not publish how it stores its SCEP settings (docs/jamf-behavior.md,
// 'Unknowns'); this package is how a user learns it from one GUI-made
// profile and corrects [profile.Dialect] without a new release. It is pure:
// no I/O.
package dialectreport

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"

	"github.com/jamf-scep/jamf-scep/internal/redact"
)

// Statuses of an [Entry].
const (
	StatusMatches     = "matches"      // where and as the dialect writes it
	StatusRenamed     = "renamed"      // a dialect setting under another key
	StatusMoved       = "moved"        // a dialect setting in another dictionary
	StatusTypeDiffers = "type-differs" // a dialect setting of another type
	StatusJamfAdded   = "jamf-added"   // added by Jamf to every payload (PayloadEnabled)
	StatusUnmapped    = "unmapped"     // not Apple's and no dialect setting matches it
)

// Kinds of a [Difference].
const (
	DiffAbsent   = "absent"   // the dialect writes a key that Jamf's profile lacks
	DiffKey      = "key"      // Jamf uses another key name
	DiffLocation = "location" // Jamf puts it in another dictionary
	DiffType     = "type"     // Jamf writes another plist type
	DiffValue    = "value"    // challenge type: Jamf writes another value
	DiffExtra    = "extra"    // Jamf has a key no dialect setting can write
)

// Entry is one key of the stored profile that is not Apple's.
type Entry struct {
	// Location is profile, payload or content ([profile.Location]).
	Location profile.Location `json:"location"`
	// Path is the key path, as profile lint prints it:
	// "PayloadContent[0].PayloadContent.Challenge Type".
	Path string `json:"path"`
	Key  string `json:"key"`
	// Type is the plist type: string, integer, boolean, data, date, real,
	// array or dictionary.
	Type string `json:"type"`
	// Value is the value as text; secret.Redacted when Secret.
	Value  string `json:"value"`
	Secret bool   `json:"secret,omitempty"`
	// Field is the dialect setting the key was matched to
	// ("challenge_type", ...), "" when none.
	Field  string `json:"field,omitempty"`
	Status string `json:"status"`
}

// Difference is one way the dialect would write a setting differently from
// Jamf's stored profile.
type Difference struct {
	Field   string `json:"field"` // dialect setting, "" for DiffExtra
	Kind    string `json:"kind"`
	Dialect string `json:"dialect"` // what the dialect says
	Jamf    string `json:"jamf"`    // what Jamf stored
	Message string `json:"message"`
}

// Report is the comparison of one stored profile with a dialect.
type Report struct {
	Entries     []Entry      `json:"entries"`
	Differences []Difference `json:"differences"`
	// Static is true when the profile holds Apple's static Challenge; the
	// dynamic-only settings (challenge URL, username, password) are then
	// not expected and kept as the dialect has them.
	Static bool `json:"static"`
	// Proposed is the dialect that reproduces Jamf's encoding: the input
	// dialect with every matched setting moved to Jamf's key, location and
	// type, and every setting Jamf's profile lacks switched off (key "").
	Proposed *profile.Dialect `json:"-"`
	// Unreproducible lists what Proposed cannot express (an extra key, a
	// type the dialect does not allow), so the user knows the written
	// dialect is incomplete.
	Unreproducible []string `json:"unreproducible"`
}

// candidate is a non-Apple key found in the plist.
type candidate struct {
	loc   profile.Location
	path  string
	key   string
	value any
	entry int // index in Report.Entries
	used  bool
}

// field is one dialect setting by its YAML name.
type field struct {
	name string
	f    *profile.DialectField
}

func fieldsOf(d *profile.Dialect) []field {
	return []field{
		{"challenge_type", &d.Fields.ChallengeType},
		{"challenge_url", &d.Fields.ChallengeURL},
		{"username", &d.Fields.Username},
		{"password", &d.Fields.Password},
		{"redistribute_days", &d.Fields.RedistributeDays},
	}
}

// dynamicOnly are the settings a static-challenge profile does not carry.
var dynamicOnly = map[string]bool{"challenge_url": true, "username": true, "password": true}

// Compare reads a stored profile (XML or binary plist with a
// com.apple.security.scep payload) and compares it with d (nil means
// [profile.DefaultDialect]). d is not modified. The error says what is
// wrong with data; the report itself never contains a secret value.
func Compare(data []byte, d *profile.Dialect) (*Report, error) {
	if d == nil {
		d = profile.DefaultDialect()
	}
	var root any
	if err := profile.UnmarshalPlist(data, &root); err != nil {
		return nil, fmt.Errorf("the stored profile is not a property list: %w", err)
	}
	outer, ok := root.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the stored profile's root is %s, want a dictionary", typeName(root))
	}
	payload, content, prefix, err := scepPayload(outer)
	if err != nil {
		return nil, err
	}
	r := &Report{Entries: []Entry{}, Differences: []Difference{}, Unreproducible: []string{}}
	_, r.Static = content["Challenge"]
	var cands []*candidate
	collect := func(m map[string]any, loc profile.Location, pfx string) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if profile.AppleKey(loc, k) {
				continue
			}
			e := Entry{Location: loc, Path: pfx + k, Key: k, Type: typeName(m[k]), Value: valueText(m[k]), Status: StatusUnmapped}
			if profile.JamfAddedKey(k) {
				e.Status = StatusJamfAdded
				r.Entries = append(r.Entries, e)
				continue
			}
			r.Entries = append(r.Entries, e)
			cands = append(cands, &candidate{loc: loc, path: pfx + k, key: k, value: m[k], entry: len(r.Entries) - 1})
		}
	}
	collect(outer, profile.LocationProfile, "")
	collect(payload, profile.LocationPayload, prefix)
	collect(content, profile.LocationContent, prefix+"PayloadContent.")

	proposed := clone(d)
	matches := match(fieldsOf(d), cands)
	for i, fl := range fieldsOf(d) {
		pf := fieldsOf(proposed)[i].f
		c := matches[fl.name]
		if c == nil {
			if fl.f.Key == "" {
				continue
			}
			if r.Static && dynamicOnly[fl.name] {
				continue // not comparable: a static profile has no such setting
			}
			r.Differences = append(r.Differences, Difference{
				Field: fl.name, Kind: DiffAbsent, Dialect: where(fl.f.Location, fl.f.Key), Jamf: "(absent)",
				Message: fmt.Sprintf("the dialect writes %s as %s but Jamf's profile has no such key; the proposed dialect does not write it", fl.name, where(fl.f.Location, fl.f.Key)),
			})
			pf.Key = ""
			continue
		}
		r.compareField(fl, pf, c)
	}
	rule := profile.NewSecretRule(d)
	for _, c := range cands {
		e := &r.Entries[c.entry]
		if rule.IsSecret(c.key) {
			e.Secret, e.Value = true, secret.Redacted
		}
		if !c.used {
			r.Differences = append(r.Differences, Difference{
				Kind: DiffExtra, Dialect: "(none)", Jamf: where(c.loc, c.key),
				Message: fmt.Sprintf("Jamf stored %s (%s), which no dialect setting writes", where(c.loc, c.key), e.Type),
			})
			r.Unreproducible = append(r.Unreproducible, fmt.Sprintf("%s: no dialect setting writes it", c.path))
		}
	}
	if err := proposed.Validate(); err != nil {
		return nil, fmt.Errorf("the proposed dialect is not valid (report this): %w", err)
	}
	r.Proposed = proposed
	r.maskURLCredentials()
	return r, nil
}

// maskURLCredentials masks a credential inside any URL the report quotes
// from Jamf (an entry's value, a difference's text): the URL half of the
// one secret rule (profile.MaskURLSecrets).
func (r *Report) maskURLCredentials() {
	mask := func(s *string) { *s, _ = redact.MaskURLSecrets(*s) }
	for i := range r.Entries {
		mask(&r.Entries[i].Value)
	}
	for i := range r.Differences {
		d := &r.Differences[i]
		mask(&d.Dialect)
		mask(&d.Jamf)
		mask(&d.Message)
	}
	for i := range r.Unreproducible {
		mask(&r.Unreproducible[i])
	}
}

// compareField records how Jamf's key c differs from dialect field fl and
// moves the proposed field pf to Jamf's encoding.
func (r *Report) compareField(fl field, pf *profile.DialectField, c *candidate) {
	e := &r.Entries[c.entry]
	e.Field = fl.name
	e.Status = StatusMatches
	if fl.name == "password" {
		e.Secret, e.Value = true, secret.Redacted
	}
	add := func(kind, dialect, jamf, msg string) {
		r.Differences = append(r.Differences, Difference{Field: fl.name, Kind: kind, Dialect: dialect, Jamf: jamf, Message: msg})
	}
	if fl.f.Key == "" {
		add(DiffAbsent, "(not written)", where(c.loc, c.key), fmt.Sprintf("the dialect does not write %s; Jamf stored it as %s", fl.name, where(c.loc, c.key)))
	}
	if fl.f.Key != "" && c.key != fl.f.Key {
		e.Status = StatusRenamed
		add(DiffKey, fl.f.Key, c.key, fmt.Sprintf("%s: the dialect writes key %q, Jamf stored %q", fl.name, fl.f.Key, c.key))
	}
	if fl.f.Key != "" && c.loc != fl.f.Location {
		e.Status = StatusMoved
		add(DiffLocation, string(fl.f.Location), string(c.loc), fmt.Sprintf("%s: the dialect writes it in the %s dictionary, Jamf in the %s dictionary", fl.name, fl.f.Location, c.loc))
	}
	pf.Key, pf.Location = c.key, c.loc
	got := typeName(c.value)
	if want := string(fl.f.Type); got != want {
		e.Status = StatusTypeDiffers
		add(DiffType, want, got, fmt.Sprintf("%s: the dialect writes <%s>, Jamf stored <%s>", fl.name, want, got))
		allowed := got == string(profile.TypeString) || (fl.name == "redistribute_days" && got == string(profile.TypeInteger))
		if allowed {
			pf.Type = profile.ValueType(got)
		} else {
			r.Unreproducible = append(r.Unreproducible, fmt.Sprintf("%s: jamf-scep cannot write %s as <%s>", c.path, fl.name, got))
		}
	}
	if fl.name == "challenge_type" {
		v, _ := c.value.(string)
		mode := profile.ChallengeDynamicMicrosoftCA
		if r.Static {
			mode = profile.ChallengeStatic
		}
		if want := fl.f.Values[mode]; v != want {
			add(DiffValue, want, v, fmt.Sprintf("challenge_type: for %s the dialect writes %q, Jamf stored %q", mode, want, v))
		}
		if pf.Values == nil {
			pf.Values = map[profile.ChallengeType]string{}
		}
		for _, m := range []profile.ChallengeType{profile.ChallengeDynamicMicrosoftCA, profile.ChallengeStatic} {
			if _, ok := pf.Values[m]; !ok {
				pf.Values[m] = "" // an empty value writes nothing in that mode
			}
		}
		pf.Values[mode] = v
	}
}

// match assigns candidates to dialect fields: first the exact key and
// location, then the same key elsewhere or the same key up to case,
// spaces and punctuation, then keywords in the key name. Each candidate
// goes to one field at most.
func match(fields []field, cands []*candidate) map[string]*candidate {
	out := map[string]*candidate{}
	pass := func(ok func(field, *candidate) bool) {
		for _, fl := range fields {
			if out[fl.name] != nil {
				continue
			}
			for _, c := range cands {
				if !c.used && ok(fl, c) {
					c.used = true
					out[fl.name] = c
					break
				}
			}
		}
	}
	pass(func(fl field, c *candidate) bool {
		return fl.f.Key != "" && c.key == fl.f.Key && c.loc == fl.f.Location
	})
	pass(func(fl field, c *candidate) bool {
		return fl.f.Key != "" && normalize(c.key) == normalize(fl.f.Key)
	})
	pass(func(fl field, c *candidate) bool { return keywordMatch(fl.name, normalize(c.key)) })
	return out
}

// keywordMatch guesses a dialect setting from a normalized key name.
func keywordMatch(name, k string) bool {
	has := strings.Contains
	switch name {
	case "challenge_type":
		return has(k, "challenge") && has(k, "type")
	case "challenge_url":
		return has(k, "url") && (has(k, "admin") || has(k, "challenge"))
	case "username":
		return has(k, "user")
	case "password":
		return has(k, "password") || has(k, "passwd")
	case "redistribute_days":
		return has(k, "redistribut") || has(k, "renew")
	}
	return false
}

func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// scepPayload finds the first com.apple.security.scep payload.
func scepPayload(outer map[string]any) (payload, content map[string]any, prefix string, err error) {
	list, _ := outer["PayloadContent"].([]any)
	for i, x := range list {
		pd, ok := x.(map[string]any)
		if !ok || pd["PayloadType"] != profile.PayloadTypeSCEP {
			continue
		}
		prefix = fmt.Sprintf("PayloadContent[%d].", i)
		content, ok = pd["PayloadContent"].(map[string]any)
		if !ok {
			return nil, nil, "", fmt.Errorf("%sPayloadContent is %s, want a dictionary", prefix, typeName(pd["PayloadContent"]))
		}
		return pd, content, prefix, nil
	}
	return nil, nil, "", fmt.Errorf("the stored profile has no %s payload; pick the profile that holds the SCEP payload", profile.PayloadTypeSCEP)
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case uint64, int64, int:
		return "integer"
	case bool:
		return "boolean"
	case []byte:
		return "data"
	case time.Time:
		return "date"
	case float64, float32:
		return "real"
	case []any:
		return "array"
	case map[string]any:
		return "dictionary"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%T", v)
}

func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case uint64:
		return strconv.FormatUint(x, 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case []byte:
		return fmt.Sprintf("(%d bytes)", len(x))
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		return fmt.Sprintf("(array of %d)", len(x))
	case map[string]any:
		return fmt.Sprintf("(dictionary of %d)", len(x))
	}
	return fmt.Sprint(v)
}

func where(loc profile.Location, key string) string {
	return fmt.Sprintf("%s/%q", loc, key)
}

func clone(d *profile.Dialect) *profile.Dialect {
	c := *d
	c.Fields.ChallengeType.Values = maps.Clone(d.Fields.ChallengeType.Values)
	return &c
}

// MarshalDialect encodes d in the format of profiles/jamf-dialect.yaml,
// after a comment header naming source (such as `profile 7 on
// https://acme.jamfcloud.com/`). profile.ParseDialect reads the result back
// to an equal dialect.
func MarshalDialect(d *profile.Dialect, source string) ([]byte, error) {
	body, err := yaml.Marshal(d)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("# Jamf dialect written by `jamf-scep profile pull --write-dialect` from\n")
	b.WriteString("# " + strings.ReplaceAll(source, "\n", " ") + ".\n")
	b.WriteString("# It makes jamf-scep write Jamf's own SCEP settings where and as that\n")
	b.WriteString("# profile has them. Use it with --jamf-dialect FILE or profile.jamf_dialect;\n")
	b.WriteString("# see profiles/jamf-dialect.yaml for what each field means.\n")
	b.Write(body)
	if _, err := profile.ParseDialect([]byte(b.String())); err != nil {
		return nil, fmt.Errorf("the written dialect does not parse back (report this): %w", err)
	}
	return []byte(b.String()), nil
}
