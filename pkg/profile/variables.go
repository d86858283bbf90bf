package profile

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
)

// variables lists the payload variables Jamf Pro substitutes in computer
// configuration profiles, with their expansion length in characters when it
// is fixed (0 = varies). Source: Jamf Pro Documentation, "Payload Variables
// for Configuration Profiles" (computer list), and docs/jamf-behavior.md,
// 'SCEP payload and Subject';
// $EXTENSIONATTRIBUTE_<n> is matched separately. $PROFILE_IDENTIFIER's
// length comes from the [Dialect].
var variables = map[string]int{
	"$COMPUTERNAME":       0,
	"$UDID":               36, // hardware UUID, 8-4-4-4-12 hex
	"$MANAGEMENTID":       36, // Jamf management ID, a UUID
	"$SERIALNUMBER":       0,
	"$SITENAME":           0,
	"$SITEID":             0,
	"$USERNAME":           0,
	"$FULLNAME":           0,
	"$REALNAME":           0,
	"$EMAIL":              0,
	"$PHONE":              0,
	"$POSITION":           0,
	"$DEPARTMENTNAME":     0,
	"$DEPARTMENTID":       0,
	"$BUILDINGNAME":       0,
	"$BUILDINGID":         0,
	"$ROOM":               0,
	"$MACADDRESS":         0,
	"$JSSID":              0,
	"$PROFILEJSSID":       0,
	"$PROFILE_IDENTIFIER": 0,
}

var (
	variableRE = regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`)
	extAttrRE  = regexp.MustCompile(`^\$EXTENSIONATTRIBUTE_[0-9]+$`)
)

// variableUse is one $VARIABLE found in a template, at byte offsets.
type variableUse struct {
	name       string
	start, end int
}

// findVariables returns every $NAME token in s, in order.
func findVariables(s string) []variableUse {
	var out []variableUse
	for _, m := range variableRE.FindAllStringIndex(s, -1) {
		out = append(out, variableUse{name: s[m[0]:m[1]], start: m[0], end: m[1]})
	}
	return out
}

// Variables returns the Jamf payload variables for computer profiles
// ("$COMPUTERNAME", "$UDID", ...), sorted; $EXTENSIONATTRIBUTE_<n> is
// matched by [KnownVariable] and not listed.
func Variables() []string {
	return slices.Sorted(maps.Keys(variables))
}

// KnownVariable reports whether name ("$UDID") is a Jamf payload variable.
func KnownVariable(name string) bool {
	_, ok := variables[name]
	return ok || extAttrRE.MatchString(name)
}

// variableAliases are names admins type from other tools, with the Jamf
// variable they mean; checked before edit distance.
var variableAliases = map[string]string{
	"$EMAILADDRESS":  "$EMAIL",
	"$EMAIL_ADDRESS": "$EMAIL",
	"$SERIAL":        "$SERIALNUMBER",
	"$HOSTNAME":      "$COMPUTERNAME",
	"$DEVICENAME":    "$COMPUTERNAME",
	"$UUID":          "$UDID",
}

// SuggestVariable returns the known variable an unknown name most likely
// means: a known alias ("$HOSTNAME" -> "$COMPUTERNAME"), else the closest
// by edit distance ("$COMPUTER_NAME" -> "$COMPUTERNAME"), or "" when none
// is close (distance above a third of the name's length, at least 2).
func SuggestVariable(name string) string {
	up := strings.ToUpper(name)
	if a, ok := variableAliases[up]; ok {
		return a
	}
	names := Variables() // sorted: deterministic tie-break
	best, bestDist := "", 1<<30
	for _, n := range names {
		if d := levenshtein.ComputeDistance(up, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	limit := max(2, len(name)/3)
	if bestDist > limit {
		return ""
	}
	return best
}

// suggestKey returns the candidate closest to key (case-insensitive, spaces
// ignored) within a small edit distance, or "".
func suggestKey(key string, candidates []string) string {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	nk := norm(key)
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(nk, norm(c))
		// Anagram-like swaps (IsKeyExtractable vs KeyIsExtractable) are far
		// apart by edit distance; compare sorted words too.
		if sameWords(key, c) {
			d = 1
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist > max(2, len(nk)/3) {
		return ""
	}
	return best
}

// sameWords reports whether a and b are made of the same CamelCase or
// space-separated words in any order.
func sameWords(a, b string) bool {
	wa, wb := words(a), words(b)
	if len(wa) < 2 || len(wa) != len(wb) {
		return false
	}
	slices.Sort(wa)
	slices.Sort(wb)
	return slices.Equal(wa, wb)
}

func words(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, strings.ToLower(cur.String()))
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == ' ' || r == '_' || r == '-':
			flush()
		case r >= 'A' && r <= 'Z':
			flush()
			cur.WriteRune(r)
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}
