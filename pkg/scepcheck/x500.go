package scepcheck

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// NameMatch is how two X.500 names (Subjects) compare.
type NameMatch int

const (
	// NamesEqual means the same RDNs in the same order, each holding the same
	// attributes (a multi-valued RDN is a set: order inside it does not
	// count), values equal after RFC 4518 preparation.
	NamesEqual NameMatch = iota + 1
	// NamesReordered means the same attributes, but the RDNs are in another
	// order or grouped differently (CN=x+OU=y issued as CN=x,OU=y). Not
	// the same distinguished name, yet the same Subject to a Mac, which
	// finds its identity by key, not by DN.
	NamesReordered
	// NamesDiffer means an attribute is missing, added or has another value.
	NamesDiffer
)

// CompareNames compares the Subject a CA issued with the one requested as
// X.500 names (RFC 5280 section 7.1): attribute types by OID, string
// values after the LDAP string preparation of RFC 4518 (insignificant
// space folded, case ignored, NFKC), non-string values by their encoding.
// diff lists, for NamesDiffer, the attributes only requested ("-CN=x") and
// only issued ("+CN=y").
func CompareNames(want, got pkix.RDNSequence) (m NameMatch, diff []string) {
	w, g := prepared(want), prepared(got)
	if slices.EqualFunc(w, g, slices.Equal) {
		return NamesEqual, nil
	}
	wa, ga := slices.Concat(w...), slices.Concat(g...)
	slices.Sort(wa)
	slices.Sort(ga)
	if slices.Equal(wa, ga) {
		return NamesReordered, nil
	}
	// Multiset difference of the two sorted lists: requested only, then
	// issued only.
	var extra []string
	i, j := 0, 0
	for i < len(wa) || j < len(ga) {
		switch {
		case j == len(ga) || i < len(wa) && wa[i] < ga[j]:
			diff = append(diff, "-"+display(want, wa[i]))
			i++
		case i == len(wa) || ga[j] < wa[i]:
			extra = append(extra, "+"+display(got, ga[j]))
			j++
		default:
			i++
			j++
		}
	}
	return NamesDiffer, append(diff, extra...)
}

// prepared returns, per RDN, its attributes as sorted "OID=prepared value"
// keys.
func prepared(s pkix.RDNSequence) [][]string {
	out := make([][]string, len(s))
	for i, rdn := range s {
		for _, a := range rdn {
			out[i] = append(out[i], attrKey(a))
		}
		slices.Sort(out[i])
	}
	return out
}

func attrKey(a pkix.AttributeTypeAndValue) string {
	return a.Type.String() + "=" + prepareValue(a.Value)
}

// display finds the attribute behind key in s for a message, "CN=value".
func display(s pkix.RDNSequence, key string) string {
	for _, rdn := range s {
		for _, a := range rdn {
			if attrKey(a) == key {
				return attrName(a.Type) + "=" + fmt.Sprint(a.Value)
			}
		}
	}
	return key
}

// attrNames are the short names RFC 4514 section 3 gives, for messages.
var attrNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST",
	"2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU",
	"0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
}

func attrName(oid asn1.ObjectIdentifier) string {
	if n, ok := attrNames[oid.String()]; ok {
		return n
	}
	return oid.String()
}

var fold = cases.Fold()

// prepareValue applies RFC 4518 to a string value for caseIgnoreMatch:
// map (section 2.2: soft hyphen, zero-width and other "mapped to nothing"
// characters removed, every space and control white space to U+0020, case
// folded), normalize to NFKC (2.3), and handle insignificant space (2.6.1:
// leading and trailing space dropped, inner runs folded to one). Values
// that are not strings (an unparsed type) compare by their Go form.
// RFC 4518's prohibited characters are kept: they cannot make two
// different values equal.
func prepareValue(v any) string {
	s, ok := v.(string)
	if !ok {
		return fmt.Sprintf("#%T:%v", v, v)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case mappedToNothing(r):
		case r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || r == 0x85 || unicode.Is(unicode.Zs, r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	out := norm.NFKC.String(fold.String(b.String()))
	return strings.Join(strings.Fields(out), " ")
}

// mappedToNothing is RFC 4518 section 2.2's first list: soft hyphen,
// variation selectors, zero-width and other format characters, and the
// control characters that are not white space.
func mappedToNothing(r rune) bool {
	switch {
	case r == 0xAD || r == 0x1806 || r == 0x034F || r == 0xFEFF || r == 0x200B || r == 0xFFFC:
		return true
	case r >= 0x180B && r <= 0x180D, r >= 0xFE00 && r <= 0xFE0F, r >= 0xFFF9 && r <= 0xFFFB:
		return true
	case r >= 0x200C && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2063, r >= 0x206A && r <= 0x206F:
		return true
	case r <= 0x08, r >= 0x0E && r <= 0x1F, r >= 0x7F && r <= 0x84, r >= 0x86 && r <= 0x9F:
		return true
	}
	return false
}
