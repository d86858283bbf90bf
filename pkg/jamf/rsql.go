package jamf

import "strings"

// RSQLQuote returns v as one quoted RSQL argument for a Jamf Pro API
// filter parameter: wrapped in double quotes, with `\` and `"` escaped by a
// backslash (the RSQL/FIQL grammar Jamf's filter parser follows). Reserved
// characters such as `;`, `,`, `(`, `)`, `=`, `!`, `<`, `>` and spaces are
// then literal. An asterisk stays a wildcard in Jamf's matching, which no
// escape turns off; callers that need an exact match check the results (the
// lookups in this package always do).
func RSQLQuote(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for i := 0; i < len(v); i++ { // bytewise: both specials are ASCII, other bytes pass as they are
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}

// RSQLEqual returns the comparison field=="value" with value quoted.
func RSQLEqual(field, value string) string { return field + "==" + RSQLQuote(value) }

// RSQLIn returns field=in=("a","b"), each value quoted. An empty values
// gives "" (no filter); callers must not send it as a filter that matches
// nothing.
func RSQLIn(field string, values []string) string {
	if len(values) == 0 {
		return ""
	}
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = RSQLQuote(v)
	}
	return field + "=in=(" + strings.Join(q, ",") + ")"
}

// RSQLOr joins non-empty clauses with "," (logical OR), each in brackets.
func RSQLOr(clauses ...string) string {
	var kept []string
	for _, c := range clauses {
		if c != "" {
			kept = append(kept, "("+c+")")
		}
	}
	if len(kept) == 1 {
		return strings.TrimSuffix(strings.TrimPrefix(kept[0], "("), ")")
	}
	return strings.Join(kept, ",")
}
