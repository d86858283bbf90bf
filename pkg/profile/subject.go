package profile

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Attribute is one attribute type and value of a relative distinguished
// name. Type is a short name Apple accepts (C, L, ST, O, OU, CN) or a dotted
// OID ("1.2.840.113549.1.9.1"); Value may hold Jamf payload variables
// ("$COMPUTERNAME").
type Attribute struct {
	Type  string
	Value string
}

// IsCN reports whether a is a common name, by keyword or by OID (2.5.4.3,
// RFC 4519 section 2.3): the one statement of which attribute holds the
// Mac's identity.
func (a Attribute) IsCN() bool { return a.Type == "CN" || a.Type == "2.5.4.3" }

// RDN is a relative distinguished name: one or more attributes (more than
// one is a multi-valued RDN, typed with '+').
type RDN []Attribute

// Subject is an X.500 name in Apple's SCEP payload shape: an array of RDNs,
// each an array of [type, value] pairs (Apple, com.apple.security.scep,
// key Subject). Order is kept as typed: `CN=a,OU=b` gives the array
// [[["CN","a"]],[["OU","b"]]], the order Jamf's Subject field and Apple's
// slash form use (RFC 4514 strings list RDNs in reverse; admins do not).
type Subject []RDN

// shortNames are the attribute short names Apple's SCEP payload accepts
// (Apple, com.apple.security.scep, key Subject).
var shortNames = map[string]bool{"C": true, "L": true, "ST": true, "O": true, "OU": true, "CN": true}

// knownOIDs maps names admins type but Apple does not accept to the OID to
// write instead (RFC 4519, RFC 2985, RFC 4524).
var knownOIDs = map[string]string{
	"E":                   "1.2.840.113549.1.9.1",
	"EMAIL":               "1.2.840.113549.1.9.1",
	"EMAILADDRESS":        "1.2.840.113549.1.9.1",
	"UID":                 "0.9.2342.19200300.100.1.1",
	"USERID":              "0.9.2342.19200300.100.1.1",
	"DC":                  "0.9.2342.19200300.100.1.25",
	"SERIALNUMBER":        "2.5.4.5",
	"SURNAME":             "2.5.4.4",
	"SN":                  "2.5.4.4",
	"GN":                  "2.5.4.42",
	"GIVENNAME":           "2.5.4.42",
	"TITLE":               "2.5.4.12",
	"STREET":              "2.5.4.9",
	"POSTALCODE":          "2.5.4.17",
	"INITIALS":            "2.5.4.43",
	"PSEUDONYM":           "2.5.4.65",
	"NAME":                "2.5.4.41",
	"DNQUALIFIER":         "2.5.4.46",
	"GENERATIONQUALIFIER": "2.5.4.44",
	"DESCRIPTION":         "2.5.4.13",
	"BUSINESSCATEGORY":    "2.5.4.15",
}

var oidRE = regexp.MustCompile(`^[0-2](\.(0|[1-9][0-9]*))+$`)

// ErrEmptySubject is returned by [ParseSubject] for an empty string.
var ErrEmptySubject = errors.New("subject is empty; type one like CN=$COMPUTERNAME ma $UDID")

// unit is one byte of a typed subject after escape processing; esc marks
// bytes written by an escape, which never act as separators and are never
// trimmed.
type unit struct {
	b   byte
	esc bool
}

// ParseSubject parses the forms admins type into a Subject:
//
//	CN=$COMPUTERNAME ma $UDID
//	CN=a,OU=b            (comma form, RFC 4514 escapes: \, \+ \\ \2C ...)
//	/C=US/O=Acme/CN=x    (slash form, Apple's and OpenSSL's; \/ escapes '/')
//	CN=a+2.5.4.5=b       (multi-valued RDN)
//	1.2.5.3=bar          (dotted OID; RFC 1779's OID.1.2.5.3 too)
//
// Forms whose meaning Jamf's text Subject cannot carry are refused with the
// fix rather than read as something else: ';' between RDNs (RFC 1779), a
// value starting with '#' (RFC 4514 hex-encoded BER) and a quoted value
// (RFC 1779).
//
// RDN order is kept as typed (see [Subject]). Short names are
// case-insensitive and written upper case. Spaces around types, values and
// separators are trimmed unless escaped. Errors name the RDN and the fix; an
// unknown short name suggests its OID (emailAddress ->
// 1.2.840.113549.1.9.1). ParseSubject checks the syntax only: every place
// that accepts a Subject for a profile also calls [Subject.Check].
func ParseSubject(s string) (Subject, error) {
	if strings.TrimSpace(s) == "" {
		return nil, ErrEmptySubject
	}
	// Leading spaces go; trailing ones are trimmed per value, after escapes
	// are known (`CN=x\ ` keeps its space).
	t := strings.TrimLeft(s, " ")
	sep := byte(',')
	if t[0] == '/' {
		sep = '/'
		t = t[1:]
	}
	units, err := unescape(t)
	if err != nil {
		return nil, err
	}
	var subj Subject
	for i, rdnUnits := range splitUnits(units, sep) {
		if sep == ',' && hasUnescaped(rdnUnits, ';') {
			// RFC 1779 section 2.3 allows ';' between RDNs; read as part
			// of a value it would make one CN of "CN=a;O=b".
			return nil, fmt.Errorf(`subject has an unescaped ';' in RDN %d, which RFC 1779 reads as a separator between RDNs; separate RDNs with a comma (CN=a,O=b), or write \; for a ';' inside a value`, i+1)
		}
		var rdn RDN
		for _, attr := range splitUnits(rdnUnits, '+') {
			a, err := parseAttribute(attr, i)
			if err != nil {
				return nil, err
			}
			rdn = append(rdn, a)
		}
		subj = append(subj, rdn)
	}
	return subj, nil
}

func unescape(s string) ([]unit, error) {
	units := make([]unit, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			units = append(units, unit{b: c})
			continue
		}
		if i+1 >= len(s) {
			return nil, errors.New(`subject ends with a lone '\'; escape a backslash as \\`)
		}
		if h, ok := hexPair(s[i+1:]); ok {
			units = append(units, unit{b: h, esc: true})
			i += 2
			continue
		}
		// Escape of one character, possibly multi-byte UTF-8.
		_, size := utf8.DecodeRuneInString(s[i+1:])
		for k := 1; k <= size; k++ {
			units = append(units, unit{b: s[i+k], esc: true})
		}
		i += size
	}
	return units, nil
}

// splitUnits splits on an unescaped separator byte.
func splitUnits(us []unit, sep byte) [][]unit {
	var out [][]unit
	last := 0
	for i, u := range us {
		if u.b == sep && !u.esc {
			out = append(out, us[last:i])
			last = i + 1
		}
	}
	return append(out, us[last:])
}

// trimUnits trims unescaped spaces at both ends and returns the text.
func trimUnits(us []unit) string {
	for len(us) > 0 && us[0].b == ' ' && !us[0].esc {
		us = us[1:]
	}
	for len(us) > 0 && us[len(us)-1].b == ' ' && !us[len(us)-1].esc {
		us = us[:len(us)-1]
	}
	b := make([]byte, len(us))
	for i, u := range us {
		b[i] = u.b
	}
	return string(b)
}

func parseAttribute(us []unit, rdnIndex int) (Attribute, error) {
	eq := -1
	for i, u := range us {
		if u.b == '=' && !u.esc {
			eq = i
			break
		}
	}
	if eq < 0 {
		text := trimUnits(us)
		if text == "" {
			return Attribute{}, fmt.Errorf("subject RDN %d is empty; remove the extra separator", rdnIndex+1)
		}
		return Attribute{}, fmt.Errorf("subject RDN %d (%q) has no '='; write TYPE=VALUE, e.g. CN=%s", rdnIndex+1, text, text)
	}
	typ, err := attributeType(trimUnits(us[:eq]))
	if err != nil {
		return Attribute{}, err
	}
	val := trimUnits(us[eq+1:])
	if val == "" {
		return Attribute{}, fmt.Errorf("subject attribute %s (RDN %d) has an empty value; give it a value or remove it", typ, rdnIndex+1)
	}
	switch firstUnit(us[eq+1:]) {
	case unit{b: '#'}:
		return Attribute{}, fmt.Errorf(`subject attribute %s (RDN %d) starts with '#', which RFC 4514 reads as a hex-encoded BER value; Jamf takes text: write the value as text, or \# for a value that starts with '#'`, typ, rdnIndex+1)
	case unit{b: '"'}:
		return Attribute{}, fmt.Errorf(`subject attribute %s (RDN %d) is quoted; quotes are not supported (RFC 4514 has none): drop them and escape a comma in the value as \, (CN=a\, b)`, typ, rdnIndex+1)
	}
	if !utf8.ValidString(val) {
		return Attribute{}, fmt.Errorf(`subject attribute %s (RDN %d) is not valid UTF-8; check its \XX escapes`, typ, rdnIndex+1)
	}
	return Attribute{Type: typ, Value: val}, nil
}

// hasUnescaped reports whether us holds b not written by an escape.
func hasUnescaped(us []unit, b byte) bool {
	for _, u := range us {
		if u.b == b && !u.esc {
			return true
		}
	}
	return false
}

// firstUnit returns the first unit of us after unescaped spaces, or the
// zero unit.
func firstUnit(us []unit) unit {
	for _, u := range us {
		if u.b != ' ' || u.esc {
			return u
		}
	}
	return unit{}
}

func hexPair(s string) (byte, bool) {
	if len(s) < 2 {
		return 0, false
	}
	n, err := strconv.ParseUint(s[:2], 16, 8)
	if err != nil {
		return 0, false
	}
	return byte(n), true
}

// attributeType normalizes a typed attribute name: a short name Apple
// accepts (upper-cased) or a dotted OID.
func attributeType(name string) (string, error) {
	if name == "" {
		return "", errors.New("subject has an attribute with no type before '='; write TYPE=VALUE")
	}
	// RFC 1779 section 2.3 writes an OID with an "OID." prefix.
	if len(name) > 4 && strings.EqualFold(name[:4], "OID.") && oidRE.MatchString(name[4:]) {
		name = name[4:]
	}
	up := strings.ToUpper(name)
	if shortNames[up] {
		return up, nil
	}
	if oidRE.MatchString(name) {
		return name, nil
	}
	if oid, ok := knownOIDs[up]; ok {
		return "", fmt.Errorf("subject attribute type %q is not one Apple accepts; write its OID instead: %s=value", name, oid)
	}
	return "", fmt.Errorf("subject attribute type %q is unknown; use C, L, ST, O, OU, CN or a dotted OID such as 2.5.4.5", name)
}

// validateAttribute checks the type of an attribute read from a plist,
// where short names must already be upper case.
func validateAttribute(a Attribute) error {
	if !shortNames[a.Type] && !oidRE.MatchString(a.Type) {
		_, err := attributeType(a.Type)
		if err == nil {
			err = fmt.Errorf("subject attribute type %q must be upper case", a.Type)
		}
		return err
	}
	return nil
}

// String renders the subject in comma form with RFC 4514 escapes, in array
// order: ParseSubject(s.String()) equals s. Multi-valued RDNs join with '+'.
func (s Subject) String() string {
	var b strings.Builder
	for i, rdn := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, a := range rdn {
			if j > 0 {
				b.WriteByte('+')
			}
			b.WriteString(a.Type)
			b.WriteByte('=')
			b.WriteString(escapeValue(a.Value))
		}
	}
	return b.String()
}

// escapeValue applies RFC 4514 section 2.4 escaping. '=' and '/' need none:
// a value runs to the next unescaped separator, and String never starts
// with '/'.
func escapeValue(v string) string {
	var b strings.Builder
	for i, r := range v {
		switch {
		case strings.ContainsRune(`,+"\<>;`, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == ' ' && (i == 0 || i == len(v)-1):
			b.WriteString(`\ `)
		case r == '#' && i == 0:
			b.WriteString(`\#`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\%02X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plistValue returns the subject in Apple's nested-array shape.
func (s Subject) plistValue() []any {
	out := make([]any, len(s))
	for i, rdn := range s {
		pairs := make([]any, len(rdn))
		for j, a := range rdn {
			pairs[j] = []any{a.Type, a.Value}
		}
		out[i] = pairs
	}
	return out
}

// subjectFromPlist reads Apple's nested-array shape; the error names the
// element index that is malformed.
func subjectFromPlist(v any) (Subject, error) {
	rdns, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("is %s, want an array of RDN arrays", plistTypeName(v))
	}
	s := make(Subject, 0, len(rdns))
	for i, r := range rdns {
		pairs, ok := r.([]any)
		if !ok || len(pairs) == 0 {
			return nil, fmt.Errorf("[%d] is %s, want a non-empty array of [type, value] pairs", i, plistTypeName(r))
		}
		rdn := make(RDN, 0, len(pairs))
		for j, p := range pairs {
			pair, ok := p.([]any)
			if !ok || len(pair) != 2 {
				return nil, fmt.Errorf("[%d][%d] is not a [type, value] pair of two strings", i, j)
			}
			t, ok1 := pair[0].(string)
			val, ok2 := pair[1].(string)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("[%d][%d] is not a [type, value] pair of two strings", i, j)
			}
			rdn = append(rdn, Attribute{Type: t, Value: val})
		}
		s = append(s, rdn)
	}
	return s, nil
}

// Check validates the parsed values, as Jamf and the Macs will see them:
// every value must pass [CheckJamfText] (no control characters, no edge
// spaces even when escaped, nothing outside the Basic Multilingual Plane:
// Jamf rewrites each, so the Macs' certificates would differ from the
// config while the read-back looks right), and the Subject must have a CN
// (Okta's guide and the 64-character budget are about the CN). The error
// names the attribute, its RDN and the fix; all problems are joined.
func (s Subject) Check() error {
	var errs []error
	hasCN := false
	for i, rdn := range s {
		for _, a := range rdn {
			if a.IsCN() {
				hasCN = true
			}
			if p := CheckJamfText(a.Value); p != nil {
				errs = append(errs, fmt.Errorf("subject attribute %s (RDN %d) value %q %s", a.Type, i+1, a.Value, p))
			}
		}
	}
	if !hasCN {
		errs = append(errs, errors.New("subject has no CN; add one, e.g. CN=$COMPUTERNAME ma $UDID (Okta's guide puts the Mac's identity in the CN)"))
	}
	return errors.Join(errs...)
}
