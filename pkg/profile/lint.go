package profile

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/smallstep/pkcs7"
)

// LintOptions control [Lint].
type LintOptions struct {
	// Dialect says where Jamf's own settings live; nil means
	// [DefaultDialect].
	Dialect *Dialect
	// ProfileID is the Jamf profile id when known (> 0), for an exact
	// Subject budget.
	ProfileID int
}

// Lint checks a profile an admin already has: XML or binary plist, or a
// CMS-signed profile (DER, starting 0x30), whose content is unwrapped (the
// signature is not verified). It reports every key against Apple's schema
// (unknown keys with "did you mean", wrong types, missing required keys) and
// the Okta Device Access rules: PayloadScope System, Keysize 2048, Key Usage
// 1, KeyIsExtractable false, AllowAllAppsAccess true, Subject within
// budget, CAFingerprint absent or 16/20 bytes, redistribution set.
//
// Findings come in document order with key paths such as
// "PayloadContent[0].PayloadContent.Key Usage". Lint never panics on any
// input.
func Lint(data []byte, opts LintOptions) Findings {
	l := &linter{d: dialectOr(opts.Dialect), profileID: opts.ProfileID}
	if len(data) == 0 {
		l.add(SeverityError, "", "the file is empty", "export the profile again")
		return l.fs
	}
	if data[0] == 0x30 {
		content, ok := l.unwrapCMS(data)
		if !ok {
			return l.fs
		}
		data = content
	}
	var root any
	if err := UnmarshalPlist(data, &root); errors.Is(err, ErrMalformedPlist) {
		l.add(SeverityError, "", err.Error(), "give each key of a dict exactly one value, once; macOS and Jamf Pro may read such a profile differently")
		if root == nil {
			return l.fs
		}
	} else if err != nil {
		l.add(SeverityError, "", fmt.Sprintf("not a property list: %v", err), "give an XML or binary .mobileconfig")
		return l.fs
	}
	outer, ok := root.(map[string]any)
	if !ok {
		l.add(SeverityError, "", fmt.Sprintf("the root is %s, want a dictionary", plistTypeName(root)), "give a configuration profile")
		return l.fs
	}
	l.profile(outer)
	return l.fs
}

type linter struct {
	d         *Dialect
	profileID int
	fs        Findings
	outer     map[string]any // the profile dictionary, for dialect keys placed there

	// The SCEP payload being linted: its dictionaries and key-path prefixes
	// by dialect location.
	dicts    map[Location]map[string]any
	prefixes map[Location]string
}

// dialectValue returns the value of a dialect field in the SCEP payload
// being linted, its key path, and whether it is present.
func (l *linter) dialectValue(f DialectField) (any, string, bool) {
	path := l.prefixes[f.Location] + f.Key
	if f.Key == "" {
		return nil, path, false
	}
	v, ok := l.dicts[f.Location][f.Key]
	return v, path, ok
}

func (l *linter) add(sev Severity, path, msg, fix string) {
	l.fs = append(l.fs, Finding{Severity: sev, Path: path, Message: msg, Fix: fix})
}

// unwrapCMS returns the content of a CMS SignedData profile. pkcs7 parses
// untrusted DER; a panic in it becomes a finding, not a crash.
func (l *linter) unwrapCMS(data []byte) (content []byte, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			l.add(SeverityError, "", "the file looks CMS-signed but its signature block is malformed", "export the profile unsigned")
			content, ok = nil, false
		}
	}()
	p7, err := pkcs7.Parse(data)
	if err != nil {
		l.add(SeverityError, "", fmt.Sprintf("the file looks CMS-signed (DER) but cannot be read: %v", err), "export the profile unsigned, or check the file is a .mobileconfig")
		return nil, false
	}
	if len(p7.Content) == 0 {
		l.add(SeverityError, "", "the CMS-signed file has no embedded content (detached signature)", "export the profile unsigned")
		return nil, false
	}
	l.add(SeverityInfo, "", "CMS-signed profile: its content was unwrapped and linted; the signature was not verified", "")
	return p7.Content, true
}

// keys returns m's keys sorted, so findings are deterministic.
func keys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// schemaType returns the schema type of a decoded plist value.
func schemaType(v any) plistType {
	switch v.(type) {
	case string:
		return ptString
	case uint64, int64:
		return ptInteger
	case bool:
		return ptBoolean
	case []byte:
		return ptData
	case time.Time:
		return ptDate
	case float64, float32:
		return ptReal
	case []any:
		return ptArray
	case map[string]any:
		return ptDictionary
	}
	return plistType(fmt.Sprintf("%T", v))
}

// checkKeys checks every key of m against schema (known keys' types,
// required keys) and reports unknown keys, except those the Jamf dialect
// places at loc or Jamf adds.
func (l *linter) checkKeys(m map[string]any, schema map[string]schemaKey, prefix string, loc Location) {
	candidates := slices.Sorted(maps.Keys(schema))
	for _, k := range keys(m) {
		v := m[k]
		path := prefix + k
		if sk, ok := schema[k]; ok {
			if got := schemaType(v); got != sk.typ {
				l.add(SeverityError, path, fmt.Sprintf("is %s, want %s", plistTypeName(v), sk.typ), fmt.Sprintf("write it as <%s>", sk.typ))
			}
			continue
		}
		if t, ok := jamfAddedKeys[k]; ok {
			if schemaType(v) != t {
				l.add(SeverityWarning, path, fmt.Sprintf("Jamf's %s is %s, want %s", k, plistTypeName(v), t), "")
			}
			continue
		}
		if name, f, ok := l.d.field(loc, k); ok {
			want := ptString
			if f.Type == TypeInteger {
				want = ptInteger
			}
			if schemaType(v) != want {
				l.add(SeverityWarning, path, fmt.Sprintf("Jamf setting %s (inferred dialect key) is %s, the dialect says %s", name, plistTypeName(v), want),
					"if Jamf wrote it this way, set fields."+name+".type in your dialect file (--jamf-dialect)")
			} else {
				l.add(SeverityInfo, path, fmt.Sprintf("Jamf setting %s (inferred dialect key; macOS ignores it)", name), "")
			}
			continue
		}
		f := Finding{Severity: SeverityWarning, Path: path, Message: fmt.Sprintf("unknown key %q; macOS ignores it", k)}
		if s := suggestKey(k, candidates); s != "" {
			f.Fix = fmt.Sprintf("did you mean %s?", s)
		} else {
			f.Fix = "remove it; if Jamf wrote it, record it in your Jamf dialect file (--jamf-dialect)"
		}
		l.fs = append(l.fs, f)
	}
	for _, k := range candidates {
		if _, ok := m[k]; !ok && schema[k].required {
			l.add(SeverityError, prefix+k, "required key is missing", "add it")
		}
	}
}

func (l *linter) profile(outer map[string]any) {
	l.checkKeys(outer, topLevelSchema, "", LocationProfile)
	if t, ok := outer["PayloadType"].(string); ok && t != PayloadTypeConfiguration {
		l.add(SeverityError, "PayloadType", fmt.Sprintf("is %q, want %q", t, PayloadTypeConfiguration), "this is not a configuration profile; lint the whole .mobileconfig")
	}
	l.outer = outer
	l.identity(outer, "")
	switch scope, ok := outer["PayloadScope"].(string); {
	case !ok && outer["PayloadScope"] == nil:
		l.add(SeverityError, "PayloadScope", "is missing; macOS installs the profile for the user, not the computer", "set PayloadScope to System (Jamf Computer Level)")
	case ok && scope != "System":
		l.add(SeverityError, "PayloadScope", fmt.Sprintf("is %q; Okta Device Access needs a computer-level certificate", scope), "set PayloadScope to System (Jamf Computer Level)")
	}
	items, ok := outer["PayloadContent"].([]any)
	if !ok {
		return
	}
	var scep []int
	for i, it := range items {
		prefix := fmt.Sprintf("PayloadContent[%d].", i)
		pd, ok := it.(map[string]any)
		if !ok {
			l.add(SeverityError, prefix[:len(prefix)-1], fmt.Sprintf("is %s, want a payload dictionary", plistTypeName(it)), "")
			continue
		}
		if t, _ := pd["PayloadType"].(string); t == PayloadTypeSCEP {
			scep = append(scep, i)
			l.scepPayload(pd, prefix)
			continue
		}
		t, _ := pd["PayloadType"].(string)
		l.add(SeverityInfo, prefix[:len(prefix)-1], fmt.Sprintf("payload type %q is not checked beyond its common keys", t), "")
		common := maps.Clone(payloadSchema)
		delete(common, "PayloadContent") // its shape depends on the payload type
		for _, k := range keys(pd) {
			if sk, ok := common[k]; ok && schemaType(pd[k]) != sk.typ {
				l.add(SeverityError, prefix+k, fmt.Sprintf("is %s, want %s", plistTypeName(pd[k]), sk.typ), "")
			}
		}
	}
	switch len(scep) {
	case 0:
		l.add(SeverityError, "PayloadContent", "has no "+PayloadTypeSCEP+" payload", "build one with `jamf-scep profile build`")
	case 1:
	default:
		l.add(SeverityWarning, "PayloadContent", fmt.Sprintf("has %d SCEP payloads; Okta Device Access needs one", len(scep)), "keep one SCEP payload per profile")
	}
}

// identity checks PayloadVersion is 1 and PayloadUUID is a UUID.
func (l *linter) identity(m map[string]any, prefix string) {
	if n, ok := toInt(m["PayloadVersion"]); ok && n != 1 {
		l.add(SeverityWarning, prefix+"PayloadVersion", fmt.Sprintf("is %d, want 1", n), "set it to 1")
	}
	if s, ok := m["PayloadUUID"].(string); ok {
		if _, err := uuid.Parse(s); err != nil {
			l.add(SeverityWarning, prefix+"PayloadUUID", fmt.Sprintf("%q is not a UUID", s), "use an RFC 9562 UUID")
		}
	}
}

func (l *linter) scepPayload(pd map[string]any, prefix string) {
	l.checkKeys(pd, payloadSchema, prefix, LocationPayload)
	l.identity(pd, prefix)
	content, ok := pd["PayloadContent"].(map[string]any)
	if !ok {
		return // checkKeys reported a missing or mistyped PayloadContent
	}
	cp := prefix + "PayloadContent."
	l.dicts = map[Location]map[string]any{LocationProfile: l.outer, LocationPayload: pd, LocationContent: content}
	l.prefixes = map[Location]string{LocationProfile: "", LocationPayload: prefix, LocationContent: cp}
	l.checkKeys(content, scepContentSchema, cp, LocationContent)

	if s, ok := content["URL"].(string); ok {
		if p := CheckSCEPServiceURL(s); p != nil {
			l.add(SeverityError, cp+"URL", p.Reason, p.Fix)
		}
	}
	switch n, ok := toInt(content["Keysize"]); {
	case content["Keysize"] == nil:
		l.add(SeverityError, cp+"Keysize", "is missing; macOS then uses 1024-bit keys and Okta requires 2048", "set Keysize to 2048")
	case !ok:
	case CheckKeySize(n) != nil:
		p := CheckKeySize(n)
		l.add(SeverityError, cp+"Keysize", p.Reason, p.Fix)
	case n == 4096:
		// Accepted (CheckKeySize), with lint's advice for a profile made
		// elsewhere.
		l.add(SeverityWarning, cp+"Keysize", "is 4096; Okta's guide specifies 2048", "set Keysize to 2048 unless Okta confirmed 4096")
	}
	if s, ok := content["Key Type"].(string); ok && s != "RSA" {
		l.add(SeverityError, cp+"Key Type", fmt.Sprintf("is %q; Apple supports only RSA", s), "set Key Type to RSA")
	}
	switch n, ok := toInt(content["Key Usage"]); {
	case content["Key Usage"] == nil:
		l.add(SeverityError, cp+"Key Usage", "is missing; macOS then uses 0 and Okta needs signing", "set Key Usage to 1 (signature)")
	case ok && n != 1:
		l.add(SeverityError, cp+"Key Usage", fmt.Sprintf("is %d; Okta Device Access needs exactly 1 (signature)", n), "set Key Usage to 1")
	}
	switch b, ok := content["KeyIsExtractable"].(bool); {
	case content["KeyIsExtractable"] == nil:
		l.add(SeverityError, cp+"KeyIsExtractable", "is missing; macOS then lets the private key be exported", "set KeyIsExtractable to false")
	case ok && b:
		l.add(SeverityError, cp+"KeyIsExtractable", "is true; the private key could be exported from the keychain", "set KeyIsExtractable to false")
	}
	switch b, ok := content["AllowAllAppsAccess"].(bool); {
	case content["AllowAllAppsAccess"] == nil:
		l.add(SeverityError, cp+"AllowAllAppsAccess", "is missing; macOS then denies apps, and Okta Verify cannot use the private key", "set AllowAllAppsAccess to true")
	case ok && !b:
		l.add(SeverityError, cp+"AllowAllAppsAccess", "is false; Okta Verify cannot use the private key", "set AllowAllAppsAccess to true")
	}
	if b, ok := content["CAFingerprint"].([]byte); ok && len(b) != 16 && len(b) != 20 {
		l.add(SeverityError, cp+"CAFingerprint", fmt.Sprintf("is %d bytes; macOS accepts only MD5 (16) or SHA-1 (20)", len(b)), "remove it, or give the SHA-1 of the CA certificate")
	}
	if san, ok := content["SubjectAltName"].(map[string]any); ok {
		l.subjectAltName(san, cp+"SubjectAltName.")
	}
	l.subject(content, cp)
	l.jamfSettings(content, cp)
	if _, ok := content["Challenge"]; ok {
		l.add(SeverityInfo, cp+"Challenge", "holds the static SCEP challenge, a secret", "keep this file private (mode 0600) and out of version control")
	}
	if _, path, ok := l.dialectValue(l.d.Fields.Password); ok {
		l.add(SeverityInfo, path, "holds the SCEP admin password (inferred Jamf key), a secret", "keep this file private (mode 0600) and out of version control")
	}
}

func (l *linter) subjectAltName(san map[string]any, prefix string) {
	candidates := slices.Sorted(maps.Keys(subjectAltNameSchema))
	for _, k := range keys(san) {
		if _, ok := subjectAltNameSchema[k]; !ok {
			f := Finding{Severity: SeverityWarning, Path: prefix + k, Message: fmt.Sprintf("unknown key %q; macOS ignores it", k)}
			if s := suggestKey(k, candidates); s != "" {
				f.Fix = "did you mean " + s + "?"
			}
			l.fs = append(l.fs, f)
			continue
		}
		switch v := san[k].(type) {
		case string:
		case []any:
			for i, e := range v {
				if _, ok := e.(string); !ok {
					l.add(SeverityError, fmt.Sprintf("%s%s[%d]", prefix, k, i), fmt.Sprintf("is %s, want string", plistTypeName(e)), "")
				}
			}
		default:
			l.add(SeverityError, prefix+k, fmt.Sprintf("is %s, want a string or an array of strings", plistTypeName(v)), "")
		}
	}
}

func (l *linter) subject(content map[string]any, cp string) {
	raw, present := content["Subject"]
	if !present {
		l.add(SeverityError, cp+"Subject", "is missing; Okta needs a certificate Subject", "set Subject, e.g. CN=$COMPUTERNAME ma $UDID")
		return
	}
	if _, isArray := raw.([]any); !isArray {
		return // checkKeys reported the type
	}
	s, err := subjectFromPlist(raw)
	if err != nil {
		l.add(SeverityError, cp+"Subject", "element "+err.Error(), "write it as [[[type, value]], ...]")
		return
	}
	if len(s) == 0 {
		l.add(SeverityError, cp+"Subject", "is empty; Okta needs a certificate Subject", "set Subject, e.g. CN=$COMPUTERNAME ma $UDID")
		return
	}
	hasCN := false
	for i, rdn := range s {
		for j, a := range rdn {
			at := fmt.Sprintf("%sSubject[%d][%d]", cp, i, j)
			if err := validateAttribute(a); err != nil {
				l.add(SeverityError, at, err.Error(), "")
			}
			if p := CheckJamfText(a.Value); p != nil {
				l.add(SeverityError, at, fmt.Sprintf("%s value %q %s", a.Type, a.Value, p.Reason), p.Fix)
			}
			hasCN = hasCN || a.IsCN()
		}
	}
	if !hasCN {
		l.add(SeverityError, cp+"Subject", "has no CN; Okta's guide puts the Mac's identity in the CN", "add one, e.g. CN=$COMPUTERNAME ma $UDID")
	}
	l.fs = append(l.fs, SubjectBudget(s, l.profileID, l.d).findings(func(p string) string { return cp + p })...)
}

// jamfSettings checks the settings the dialect places (inferred keys).
func (l *linter) jamfSettings(content map[string]any, cp string) {
	lookup := l.dialectValue
	rd := l.d.Fields.RedistributeDays
	if v, path, ok := lookup(rd); ok {
		n, isInt := toInt(v)
		if s, isStr := v.(string); isStr {
			_, err := fmt.Sscan(s, &n)
			isInt = err == nil
		}
		if p := CheckRedistributeDays(n); isInt && p != nil {
			l.add(SeverityError, path, "redistribution: "+p.Reason, p.Fix)
		}
	} else if rd.Key != "" {
		l.add(SeverityWarning, path,
			"redistribution is not set (inferred Jamf key); Okta does not renew certificates, so Macs lose theirs after a year",
			"set Redistribute Profile (e.g. 30 days) in Jamf, or correct the key in your dialect file (--jamf-dialect)")
	}
	ct := l.d.Fields.ChallengeType
	v, _, ok := lookup(ct)
	_, hasChallenge := content["Challenge"]
	mode := ChallengeType("")
	if s, isStr := v.(string); ok && isStr {
		for m, val := range ct.Values {
			if val != "" && val == s {
				mode = m
			}
		}
	}
	switch {
	case mode == ChallengeDynamicMicrosoftCA:
		for _, f := range []DialectField{l.d.Fields.ChallengeURL, l.d.Fields.Username} {
			if _, path, ok := lookup(f); !ok && f.Key != "" {
				l.add(SeverityWarning, path, "is missing for the Dynamic-Microsoft CA challenge (inferred Jamf key)", "set it in Jamf, or correct your dialect file")
			}
		}
		if v, path, ok := lookup(l.d.Fields.ChallengeURL); ok {
			if s, isStr := v.(string); isStr {
				if p := CheckSCEPServiceURL(s); p != nil {
					l.add(SeverityError, path, p.Reason, p.Fix)
				}
			}
		}
	case !hasChallenge && !ok:
		l.add(SeverityWarning, cp+"Challenge", "no challenge found: neither Challenge nor Jamf's challenge type (inferred key) is set", "set the Challenge Type in Jamf, or Challenge for static SCEP")
	}
}
