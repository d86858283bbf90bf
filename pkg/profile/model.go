package profile

import (
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// PayloadTypeSCEP is the SCEP payload's PayloadType (Apple,
// com.apple.security.scep).
const PayloadTypeSCEP = "com.apple.security.scep"

// PayloadTypeConfiguration is the outer profile's PayloadType (Apple,
// TopLevel).
const PayloadTypeConfiguration = "Configuration"

// ChallengeType is how the SCEP challenge reaches the Mac.
type ChallengeType string

// Challenge types jamf-scep supports.
const (
	// ChallengeDynamicMicrosoftCA: Jamf fetches a one-time challenge per Mac
	// from the Challenge URL (NDES mscep_admin) with a username and password.
	ChallengeDynamicMicrosoftCA ChallengeType = "dynamic-microsoft-ca"
	// ChallengeStatic: one shared secret in the payload's Challenge key
	// (Okta static SCEP).
	ChallengeStatic ChallengeType = "static"
)

// Profile is a configuration profile holding exactly one SCEP payload.
// Field names are Apple's keys (TopLevel.yaml); Extra keeps keys the model
// does not know, so a profile read back from Jamf Pro round-trips.
//
// Pointer fields distinguish "absent" from a zero value, because Apple's
// defaults differ from Okta's needs (KeyIsExtractable absent means true).
// [Build] leaves PayloadRemovalDisallowed unset: Jamf Pro governs removal
// with its own user_removable setting.
type Profile struct {
	PayloadIdentifier        string
	PayloadUUID              string
	PayloadVersion           int
	PayloadScope             string // "System" (Jamf Computer Level) or "User"
	PayloadDisplayName       string
	PayloadDescription       string
	PayloadOrganization      string
	PayloadRemovalDisallowed *bool

	// SCEP is the one com.apple.security.scep entry of PayloadContent.
	SCEP SCEPPayload

	// Jamf holds Jamf Pro's own SCEP settings, stored where the [Dialect]
	// says (inferred; docs/jamf-behavior.md, 'Unknowns').
	Jamf JamfSettings

	// Extra holds unknown outer keys with their decoded plist values.
	Extra map[string]any
}

// SCEPPayload is the com.apple.security.scep payload dictionary.
type SCEPPayload struct {
	PayloadIdentifier   string
	PayloadUUID         string
	PayloadVersion      int
	PayloadDisplayName  string
	PayloadDescription  string
	PayloadOrganization string

	// Content is the payload's PayloadContent dictionary.
	Content SCEPContent

	// Extra holds unknown payload keys (Jamf's PayloadEnabled, say).
	Extra map[string]any
}

// SCEPContent is the SCEP payload's PayloadContent dictionary; the plist key
// of each field is given where it differs from the field name.
type SCEPContent struct {
	URL                string
	Name               string
	Subject            Subject
	Challenge          secret.Value // the static challenge
	Keysize            *int         // bits: 1024, 2048, 4096; Apple default 1024
	KeyType            string       // "Key Type"; "RSA"
	KeyUsage           *int         // "Key Usage"; bitmask 1 sign, 4 encrypt; Apple default 0
	KeyIsExtractable   *bool        // Apple default true (macOS 10.13.4+)
	AllowAllAppsAccess *bool        // Apple default false
	Retries            *int         // Apple default 3
	RetryDelay         *int         // seconds; Apple default 10
	CAFingerprint      []byte       // MD5 (16 bytes) or SHA-1 (20 bytes) of the CA certificate DER
	SubjectAltName     map[string]any

	// Extra holds unknown content keys.
	Extra map[string]any
}

// JamfSettings are Jamf Pro's SCEP settings that Apple's schema lacks.
type JamfSettings struct {
	ChallengeType    ChallengeType
	ChallengeURL     string // "URL To SCEP Admin"
	Username         string
	Password         secret.Value // the Okta SCEP password (dynamic challenge)
	RedistributeDays int          // "Redistribute Profile N days before expiry"; 0 = not set
}

// plistDicts renders the model as plist dictionaries; the encoder sorts
// keys, so output order is stable. Secrets are left out unless
// includeSecrets.
func (p *Profile) plistDicts(d *Dialect, includeSecrets bool) map[string]any {
	outer := map[string]any{}
	maps.Copy(outer, p.Extra)
	outer["PayloadType"] = PayloadTypeConfiguration
	putNonZero(outer, "PayloadVersion", p.PayloadVersion)
	putString(outer, "PayloadIdentifier", p.PayloadIdentifier)
	putString(outer, "PayloadUUID", p.PayloadUUID)
	putString(outer, "PayloadScope", p.PayloadScope)
	putString(outer, "PayloadDisplayName", p.PayloadDisplayName)
	putString(outer, "PayloadDescription", p.PayloadDescription)
	putString(outer, "PayloadOrganization", p.PayloadOrganization)
	if p.PayloadRemovalDisallowed != nil {
		outer["PayloadRemovalDisallowed"] = *p.PayloadRemovalDisallowed
	}

	s := p.SCEP
	payload := map[string]any{}
	maps.Copy(payload, s.Extra)
	payload["PayloadType"] = PayloadTypeSCEP
	putNonZero(payload, "PayloadVersion", s.PayloadVersion)
	putString(payload, "PayloadIdentifier", s.PayloadIdentifier)
	putString(payload, "PayloadUUID", s.PayloadUUID)
	putString(payload, "PayloadDisplayName", s.PayloadDisplayName)
	putString(payload, "PayloadDescription", s.PayloadDescription)
	putString(payload, "PayloadOrganization", s.PayloadOrganization)

	c := s.Content
	content := map[string]any{}
	maps.Copy(content, c.Extra)
	putString(content, "URL", c.URL)
	putString(content, "Name", c.Name)
	if len(c.Subject) > 0 {
		content["Subject"] = c.Subject.plistValue()
	}
	if includeSecrets {
		putString(content, "Challenge", c.Challenge.Reveal())
	}
	putInt(content, "Keysize", c.Keysize)
	putString(content, "Key Type", c.KeyType)
	putInt(content, "Key Usage", c.KeyUsage)
	putBool(content, "KeyIsExtractable", c.KeyIsExtractable)
	putBool(content, "AllowAllAppsAccess", c.AllowAllAppsAccess)
	putInt(content, "Retries", c.Retries)
	putInt(content, "RetryDelay", c.RetryDelay)
	if c.CAFingerprint != nil {
		content["CAFingerprint"] = c.CAFingerprint
	}
	if c.SubjectAltName != nil {
		content["SubjectAltName"] = c.SubjectAltName
	}

	dicts := map[Location]map[string]any{LocationProfile: outer, LocationPayload: payload, LocationContent: content}
	j := p.Jamf
	f := d.Fields
	if v := f.ChallengeType.Values[j.ChallengeType]; j.ChallengeType != "" && v != "" {
		putDialect(dicts, f.ChallengeType, v)
	}
	putDialect(dicts, f.ChallengeURL, j.ChallengeURL)
	putDialect(dicts, f.Username, j.Username)
	if includeSecrets {
		putDialect(dicts, f.Password, j.Password.Reveal())
	}
	if j.RedistributeDays > 0 {
		if f.RedistributeDays.Type == TypeString {
			putDialect(dicts, f.RedistributeDays, fmt.Sprint(j.RedistributeDays))
		} else {
			putDialect(dicts, f.RedistributeDays, j.RedistributeDays)
		}
	}

	payload["PayloadContent"] = content
	outer["PayloadContent"] = []any{payload}
	return outer
}

func putString(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// putNonZero writes a required integer; zero means it was absent when
// decoded, and stays absent so a decoded profile re-renders as it came.
func putNonZero(m map[string]any, k string, v int) {
	if v != 0 {
		m[k] = v
	}
}

func putInt(m map[string]any, k string, v *int) {
	if v != nil {
		m[k] = *v
	}
}

func putBool(m map[string]any, k string, v *bool) {
	if v != nil {
		m[k] = *v
	}
}

func putDialect(dicts map[Location]map[string]any, f DialectField, v any) {
	if f.Key == "" {
		return
	}
	if s, ok := v.(string); ok && s == "" {
		return
	}
	dicts[f.Location][f.Key] = v
}

// Decode parses a profile (XML or binary plist) holding one SCEP payload,
// reading Jamf's settings where d says (nil: [DefaultDialect]). Unknown keys
// are kept in the Extra maps. Dicts with a key twice decode as the plist
// parser reads them (the last value wins). Errors name the key path; a profile with no
// SCEP payload, or with other payloads, is refused (the model holds one).
func Decode(data []byte, d *Dialect) (*Profile, error) {
	if d == nil {
		d = DefaultDialect()
	}
	var root any
	// Malformed dicts (a key twice) are read as the parser reads them;
	// plan reports them as a difference and lint as an error.
	if err := UnmarshalPlist(data, &root); err != nil && (!errors.Is(err, ErrMalformedPlist) || root == nil) {
		return nil, fmt.Errorf("profile is not a property list: %w", err)
	}
	outer, ok := root.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("profile root is %s, want a dictionary", plistTypeName(root))
	}
	outer = maps.Clone(outer)
	r := &reader{}
	p := &Profile{}
	if t := r.str(outer, "", "PayloadType"); t != PayloadTypeConfiguration {
		return nil, fmt.Errorf("PayloadType is %q, want %q", t, PayloadTypeConfiguration)
	}
	p.PayloadVersion = r.integer(outer, "", "PayloadVersion")
	p.PayloadIdentifier = r.str(outer, "", "PayloadIdentifier")
	p.PayloadUUID = r.str(outer, "", "PayloadUUID")
	p.PayloadScope = r.str(outer, "", "PayloadScope")
	p.PayloadDisplayName = r.str(outer, "", "PayloadDisplayName")
	p.PayloadDescription = r.str(outer, "", "PayloadDescription")
	p.PayloadOrganization = r.str(outer, "", "PayloadOrganization")
	p.PayloadRemovalDisallowed = r.boolPtr(outer, "", "PayloadRemovalDisallowed")

	items, ok := outer["PayloadContent"].([]any)
	delete(outer, "PayloadContent")
	if !ok || len(items) != 1 {
		return nil, fmt.Errorf("PayloadContent must be an array with exactly one %s payload", PayloadTypeSCEP)
	}
	payload, ok := items[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("PayloadContent[0] is %s, want a dictionary", plistTypeName(items[0]))
	}
	payload = maps.Clone(payload)
	const pp = "PayloadContent[0]."
	if t := r.str(payload, pp, "PayloadType"); t != PayloadTypeSCEP {
		return nil, fmt.Errorf("%sPayloadType is %q, want %q", pp, t, PayloadTypeSCEP)
	}
	s := &p.SCEP
	s.PayloadVersion = r.integer(payload, pp, "PayloadVersion")
	s.PayloadIdentifier = r.str(payload, pp, "PayloadIdentifier")
	s.PayloadUUID = r.str(payload, pp, "PayloadUUID")
	s.PayloadDisplayName = r.str(payload, pp, "PayloadDisplayName")
	s.PayloadDescription = r.str(payload, pp, "PayloadDescription")
	s.PayloadOrganization = r.str(payload, pp, "PayloadOrganization")

	content, ok := payload["PayloadContent"].(map[string]any)
	delete(payload, "PayloadContent")
	if !ok {
		return nil, fmt.Errorf("%sPayloadContent must be a dictionary of SCEP settings", pp)
	}
	content = maps.Clone(content)
	const cp = pp + "PayloadContent."
	c := &s.Content
	c.URL = r.str(content, cp, "URL")
	c.Name = r.str(content, cp, "Name")
	if v, ok := content["Subject"]; ok {
		delete(content, "Subject")
		subj, err := subjectFromPlist(v)
		if err != nil {
			r.fail("%sSubject%s", cp, err)
		}
		c.Subject = subj
	}
	c.Challenge = secretOrZero(r.str(content, cp, "Challenge"))
	c.Keysize = r.intPtr(content, cp, "Keysize")
	c.KeyType = r.str(content, cp, "Key Type")
	c.KeyUsage = r.intPtr(content, cp, "Key Usage")
	c.KeyIsExtractable = r.boolPtr(content, cp, "KeyIsExtractable")
	c.AllowAllAppsAccess = r.boolPtr(content, cp, "AllowAllAppsAccess")
	c.Retries = r.intPtr(content, cp, "Retries")
	c.RetryDelay = r.intPtr(content, cp, "RetryDelay")
	if v, ok := content["CAFingerprint"]; ok {
		delete(content, "CAFingerprint")
		b, ok := v.([]byte)
		if !ok {
			r.fail("%sCAFingerprint is %s, want data", cp, plistTypeName(v))
		}
		c.CAFingerprint = b
	}
	if v, ok := content["SubjectAltName"]; ok {
		delete(content, "SubjectAltName")
		m, ok := v.(map[string]any)
		if !ok {
			r.fail("%sSubjectAltName is %s, want a dictionary", cp, plistTypeName(v))
		}
		c.SubjectAltName = m
	}

	dicts := map[Location]map[string]any{LocationProfile: outer, LocationPayload: payload, LocationContent: content}
	prefixes := map[Location]string{LocationProfile: "", LocationPayload: pp, LocationContent: cp}
	f := d.Fields
	if raw := takeDialect(dicts, f.ChallengeType); raw != nil {
		if v, ok := raw.(string); ok {
			for mode, val := range f.ChallengeType.Values {
				if val != "" && val == v {
					p.Jamf.ChallengeType = mode
				}
			}
		}
		if p.Jamf.ChallengeType == "" { // unknown value: keep it verbatim
			dicts[f.ChallengeType.Location][f.ChallengeType.Key] = raw
		}
	}
	p.Jamf.ChallengeURL = r.dialectStr(dicts, prefixes, f.ChallengeURL)
	p.Jamf.Username = r.dialectStr(dicts, prefixes, f.Username)
	p.Jamf.Password = secretOrZero(r.dialectStr(dicts, prefixes, f.Password))
	if raw := takeDialect(dicts, f.RedistributeDays); raw != nil {
		n, ok := toInt(raw)
		if !ok {
			if str, isStr := raw.(string); isStr {
				_, err := fmt.Sscan(str, &n)
				ok = err == nil
			}
		}
		if !ok {
			r.fail("%s%s is %s, want a number of days", prefixes[f.RedistributeDays.Location], f.RedistributeDays.Key, plistTypeName(raw))
		}
		p.Jamf.RedistributeDays = n
	}

	p.Extra = nilIfEmpty(outer)
	s.Extra = nilIfEmpty(payload)
	c.Extra = nilIfEmpty(content)
	if r.err != nil {
		return nil, r.err
	}
	return p, nil
}

func nilIfEmpty(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}

func takeDialect(dicts map[Location]map[string]any, f DialectField) any {
	if f.Key == "" {
		return nil
	}
	m := dicts[f.Location]
	v, ok := m[f.Key]
	if !ok {
		return nil
	}
	delete(m, f.Key)
	return v
}

// reader takes typed values out of decoded dictionaries, deleting each key
// it reads so what is left is Extra; it records the first type error.
type reader struct{ err error }

func (r *reader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, a...)
	}
}

func (r *reader) str(m map[string]any, prefix, key string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	delete(m, key)
	s, ok := v.(string)
	if !ok {
		r.fail("%s%s is %s, want a string", prefix, key, plistTypeName(v))
	}
	return s
}

func (r *reader) intPtr(m map[string]any, prefix, key string) *int {
	v, ok := m[key]
	if !ok {
		return nil
	}
	delete(m, key)
	n, ok := toInt(v)
	if !ok {
		r.fail("%s%s is %s, want an integer", prefix, key, plistTypeName(v))
		return nil
	}
	return &n
}

func (r *reader) integer(m map[string]any, prefix, key string) int {
	if p := r.intPtr(m, prefix, key); p != nil {
		return *p
	}
	return 0
}

func (r *reader) boolPtr(m map[string]any, prefix, key string) *bool {
	v, ok := m[key]
	if !ok {
		return nil
	}
	delete(m, key)
	b, ok := v.(bool)
	if !ok {
		r.fail("%s%s is %s, want a boolean", prefix, key, plistTypeName(v))
		return nil
	}
	return &b
}

func (r *reader) dialectStr(dicts map[Location]map[string]any, prefixes map[Location]string, f DialectField) string {
	raw := takeDialect(dicts, f)
	if raw == nil {
		return ""
	}
	s, ok := raw.(string)
	if !ok {
		r.fail("%s%s is %s, want a string", prefixes[f.Location], f.Key, plistTypeName(raw))
	}
	return s
}

// toInt converts a decoded plist integer (uint64 or int64) to int.
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case uint64:
		if n > 1<<31-1 {
			return 0, false
		}
		return int(n), true
	case int64:
		if n < -1<<31 || n > 1<<31-1 {
			return 0, false
		}
		return int(n), true
	case int:
		return n, true
	}
	return 0, false
}

// plistTypeName names a decoded plist value's type in Apple's vocabulary.
func plistTypeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case uint64, int64, int:
		return "an integer"
	case float64, float32:
		return "a real"
	case bool:
		return "a boolean"
	case []byte:
		return "data"
	case time.Time:
		return "a date"
	case []any:
		return "an array"
	case map[string]any:
		return "a dictionary"
	case nil:
		return "missing"
	}
	return fmt.Sprintf("a %T", v)
}
