package profile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// attributeLimits are the RFC 5280 Appendix A upper bounds, in characters,
// for attribute types that have one (ub-common-name 64, ub-organization-name
// 64, ub-organizational-unit-name 64, ub-locality-name 128, ub-state-name
// 128, ub-serial-number 64, ub-title 64, ub-pseudonym 128,
// ub-emailaddress-length 255; country is exactly 2, X.520). Types not
// listed are not budgeted.
var attributeLimits = map[string]int{
	"CN": 64, "2.5.4.3": 64,
	"O": 64, "2.5.4.10": 64,
	"OU": 64, "2.5.4.11": 64,
	"L": 128, "2.5.4.7": 128,
	"ST": 128, "2.5.4.8": 128,
	"C": 2, "2.5.4.6": 2,
	"2.5.4.5":              64,
	"2.5.4.12":             64,
	"2.5.4.65":             128,
	"1.2.840.113549.1.9.1": 255,
}

// VariableLength is a variable whose expansion has a known length.
type VariableLength struct {
	Name  string // "$UDID"
	Chars int    // 36
}

// ValueBudget is the length budget of one attribute value of a Subject
// template, in characters (runes; RFC 5280 limits count characters) with
// bytes reported alongside.
type ValueBudget struct {
	Path     string // "Subject[0][0]"
	Type     string // "CN"
	Template string // "$COMPUTERNAME ma $UDID"
	Limit    int    // characters, RFC 5280

	FixedChars int              // literal text, unknown $TOKENS included
	FixedBytes int              // the same in UTF-8 bytes
	Known      []VariableLength // variables of known length, in order
	// Appended is what Jamf adds when redistributing (separator plus
	// $PROFILE_IDENTIFIER, per the dialect); 0 when not added here.
	Appended int
	// Open lists variables of unknown length ("$COMPUTERNAME"), in order.
	Open []string
	// AddedByJamf marks the CN Jamf adds after the Subject for
	// $PROFILE_IDENTIFIER (placement separate-cn); it is not in the
	// template.
	AddedByJamf bool
}

// Used is the characters taken before any unknown-length variable is
// filled.
func (v ValueBudget) Used() int {
	n := v.FixedChars + v.Appended
	for _, k := range v.Known {
		n += k.Chars
	}
	return n
}

// Left is the characters left for the unknown-length variables (negative
// when the known part already exceeds the limit).
func (v ValueBudget) Left() int { return v.Limit - v.Used() }

// Over reports whether the known part alone exceeds the limit.
func (v ValueBudget) Over() bool { return v.Used() > v.Limit }

// Sentence explains the budget, e.g. `CN "$COMPUTERNAME ma $UDID": 4 fixed
// + 36 for $UDID + 7 appended by Jamf for $PROFILE_IDENTIFIER = 47 of 64
// characters; leaves 17 characters for $COMPUTERNAME`.
func (v ValueBudget) Sentence() string {
	var b strings.Builder
	if v.AddedByJamf {
		b.WriteString("added by Jamf: ")
	}
	fmt.Fprintf(&b, "%s %q: %d fixed", v.Type, v.Template, v.FixedChars)
	if v.FixedBytes != v.FixedChars {
		fmt.Fprintf(&b, " (%d bytes)", v.FixedBytes)
	}
	for _, k := range v.Known {
		fmt.Fprintf(&b, " + %d for %s", k.Chars, k.Name)
	}
	if v.Appended > 0 {
		fmt.Fprintf(&b, " + %d appended by Jamf for $PROFILE_IDENTIFIER", v.Appended)
	}
	fmt.Fprintf(&b, " = %d of %d characters", v.Used(), v.Limit)
	switch {
	case v.Over():
		fmt.Fprintf(&b, "; exceeds the limit by %d before any variable is filled", -v.Left())
	case len(v.Open) == 0:
		fmt.Fprintf(&b, "; %d characters spare", v.Left())
	case len(v.Open) == 1:
		fmt.Fprintf(&b, "; leaves %d characters for %s", v.Left(), v.Open[0])
	default:
		fmt.Fprintf(&b, "; leaves %d characters for %s together", v.Left(), strings.Join(v.Open, " and "))
	}
	return b.String()
}

// Budget is the length budget of every limited attribute value of a
// Subject, plus warnings for $TOKENS that are not Jamf variables.
type Budget struct {
	Values  []ValueBudget
	Unknown []UnknownVariable
}

// UnknownVariable is a $TOKEN Jamf does not substitute, with the closest
// known variable ("" when none is close).
type UnknownVariable struct {
	Path       string // "Subject[0][0]"
	Name       string // "$COMPUTER_NAME"
	Suggestion string // "$COMPUTERNAME"
}

// Over reports whether any value's known part exceeds its limit.
func (b Budget) Over() bool {
	for _, v := range b.Values {
		if v.Over() {
			return true
		}
	}
	return false
}

// SubjectBudget computes the length budget of s. profileID is the Jamf
// profile id when known (> 0), else 0: the dialect's MaxLength is assumed
// for a jamf-id $PROFILE_IDENTIFIER. d nil means [DefaultDialect].
//
// Unless the template already holds the variable, Jamf adds the profile
// identifier as d.ProfileIdentifier says: appended to the last CN value
// (counted in that value's Appended), as a separate CN after the Subject
// (one more ValueBudget, AddedByJamf, checked against 64 like any CN), or
// not at all. Unknown $TOKENS count as literal text, since Jamf leaves
// them unsubstituted.
func SubjectBudget(s Subject, profileID int, d *Dialect) Budget {
	if d == nil {
		d = DefaultDialect()
	}
	rule := d.ProfileIdentifier
	var b Budget
	lastI, lastJ := lastCN(s)
	hasIdentifier := strings.Contains(s.String(), rule.Variable)
	for i, rdn := range s {
		for j, a := range rdn {
			path := fmt.Sprintf("Subject[%d][%d]", i, j)
			var fixed strings.Builder
			var known []VariableLength
			var open []string
			last := 0
			for _, u := range findVariables(a.Value) {
				fixed.WriteString(a.Value[last:u.start])
				last = u.end
				switch {
				case u.name == rule.Variable:
					known = append(known, VariableLength{u.name, rule.expansionLength(profileID)})
				case KnownVariable(u.name):
					if n := variables[u.name]; n > 0 {
						known = append(known, VariableLength{u.name, n})
					} else {
						open = append(open, u.name)
					}
				default: // literal text to Jamf: counts as fixed
					b.Unknown = append(b.Unknown, UnknownVariable{Path: path, Name: u.name, Suggestion: SuggestVariable(u.name)})
					fixed.WriteString(u.name)
				}
			}
			fixed.WriteString(a.Value[last:])
			limit, ok := attributeLimits[a.Type]
			if !ok {
				continue
			}
			vb := ValueBudget{
				Path: path, Type: a.Type, Template: a.Value, Limit: limit,
				FixedChars: utf8.RuneCountInString(fixed.String()), FixedBytes: fixed.Len(),
				Known: known, Open: open,
			}
			if i == lastI && j == lastJ && !hasIdentifier {
				vb.Appended = rule.identifierLength(profileID)
			}
			b.Values = append(b.Values, vb)
		}
	}
	if rule.Placement == PlacementSeparateCN && !hasIdentifier {
		b.Values = append(b.Values, ValueBudget{
			Path: fmt.Sprintf("Subject[%d][0]", len(s)), Type: "CN", Template: rule.Variable, Limit: attributeLimits["CN"],
			Known: []VariableLength{{rule.Variable, rule.expansionLength(profileID)}}, AddedByJamf: true,
		})
	}
	return b
}

// lastCN returns the indexes of the last CN attribute, or -1, -1.
func lastCN(s Subject) (int, int) {
	for i := len(s) - 1; i >= 0; i-- {
		for j := len(s[i]) - 1; j >= 0; j-- {
			if s[i][j].IsCN() {
				return i, j
			}
		}
	}
	return -1, -1
}

// findings turns the budget into findings; path maps a budget path
// ("Subject[0][0]") to the caller's vocabulary.
func (b Budget) findings(path func(vb string) string) Findings {
	var fs Findings
	for _, v := range b.Values {
		switch {
		case v.Over():
			fs = append(fs, Finding{
				SeverityError, path(v.Path),
				v.Sentence(),
				fmt.Sprintf("shorten the fixed text or drop a variable so %s fits in %d characters", v.Type, v.Limit),
			})
		case len(v.Open) > 0 && v.Left() <= 0:
			fs = append(fs, Finding{
				SeverityWarning, path(v.Path), v.Sentence(),
				fmt.Sprintf("leave room for %s: shorten the fixed text", strings.Join(v.Open, ", ")),
			})
		default:
			fs = append(fs, Finding{SeverityInfo, path(v.Path), v.Sentence(), ""})
		}
	}
	for _, u := range b.Unknown {
		f := Finding{
			Severity: SeverityWarning, Path: path(u.Path),
			Message: fmt.Sprintf("%s is not a Jamf payload variable; Jamf leaves it as literal text", u.Name),
		}
		if u.Suggestion != "" {
			f.Fix = "did you mean " + u.Suggestion + "?"
		} else {
			f.Fix = "use a variable from Jamf's payload variable list, e.g. $COMPUTERNAME, $SERIALNUMBER, $UDID"
		}
		fs = append(fs, f)
	}
	return fs
}

// Violation is one attribute value that does not fit for a concrete Mac.
type Violation struct {
	Path     string   // "Subject[0][0]"
	Type     string   // "CN"
	Value    string   // the value after substitution, without the appended identifier
	Appended int      // characters Jamf appends (separator + identifier)
	Chars    int      // characters including Appended
	Bytes    int      // UTF-8 bytes of the same
	Limit    int      // characters, RFC 5280
	Missing  []string // variables used but absent from vars
	Message  string   // one line for humans
}

// String returns the message.
func (v Violation) String() string { return v.Message }

// CheckValues substitutes one Mac's variable values into the subject and
// returns every attribute value over its RFC 5280 limit, counting the
// identifier Jamf appends per d (profileID > 0: its exact digits, else the
// dialect's MaxLength). vars maps variable names, with or without '$'
// ("COMPUTERNAME" or "$COMPUTERNAME"), to values. A variable in the template
// with no entry in vars is reported as a Violation with Missing set. d nil
// means [DefaultDialect].
func CheckValues(subject Subject, vars map[string]string, profileID int, d *Dialect) []Violation {
	if d == nil {
		d = DefaultDialect()
	}
	rule := d.ProfileIdentifier
	lookup := func(name string) (string, bool) {
		if v, ok := vars[name]; ok {
			return v, true
		}
		v, ok := vars[strings.TrimPrefix(name, "$")]
		return v, ok
	}
	lastI, lastJ := lastCN(subject)
	hasIdentifier := strings.Contains(subject.String(), rule.Variable)
	var out []Violation
	for i, rdn := range subject {
		for j, a := range rdn {
			var missing []string
			var b strings.Builder
			last := 0
			for _, u := range findVariables(a.Value) {
				b.WriteString(a.Value[last:u.start])
				last = u.end
				switch {
				case u.name == rule.Variable && profileID > 0:
					b.WriteString(strconv.Itoa(profileID))
				case KnownVariable(u.name):
					if v, ok := lookup(u.name); ok {
						b.WriteString(v)
					} else {
						missing = append(missing, u.name)
					}
				default:
					b.WriteString(u.name)
				}
			}
			b.WriteString(a.Value[last:])
			value := b.String()
			appended := 0
			if i == lastI && j == lastJ && !hasIdentifier {
				appended = rule.identifierLength(profileID)
			}
			chars := utf8.RuneCountInString(value) + appended
			bytes := len(value) + appended // separator and digits are ASCII
			limit, limited := attributeLimits[a.Type]
			path := fmt.Sprintf("Subject[%d][%d]", i, j)
			v := Violation{Path: path, Type: a.Type, Value: value, Chars: chars, Bytes: bytes, Limit: limit, Missing: missing, Appended: appended}
			switch {
			case len(missing) > 0:
				v.Message = fmt.Sprintf("%s: no value given for %s; cannot check the length", a.Type, strings.Join(missing, ", "))
			case limited && chars > limit:
				v.Message = fmt.Sprintf("%s %q is %d characters (%d bytes)", a.Type, value, chars, bytes)
				if appended > 0 {
					v.Message += fmt.Sprintf(" including the %d characters Jamf appends for $PROFILE_IDENTIFIER", appended)
				}
				v.Message += fmt.Sprintf(", over the %d-character limit by %d", limit, chars-limit)
			default:
				continue
			}
			out = append(out, v)
		}
	}
	if rule.Placement == PlacementSeparateCN && !hasIdentifier {
		limit := attributeLimits["CN"]
		if n := rule.expansionLength(profileID); n > limit {
			out = append(out, Violation{
				Path: fmt.Sprintf("Subject[%d][0]", len(subject)), Type: "CN", Value: rule.Variable, Chars: n, Bytes: n, Limit: limit,
				Message: fmt.Sprintf("the CN Jamf adds for %s (%s) is %d characters, over the %d-character limit by %d",
					rule.Variable, rule.Describe(), n, limit, n-limit),
			})
		}
	}
	return out
}
