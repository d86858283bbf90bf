package jamfsim

import (
	"fmt"
	"slices"
	"strings"
)

// rsqlNode is a parsed RSQL filter: an OR of ANDs of comparisons, possibly
// nested with parentheses.
type rsqlNode struct {
	op       byte // 'c' comparison, ';' and, ',' or
	children []*rsqlNode
	field    string
	cmp      string // "==", "!=", "=in="
	values   []string
}

// parseRSQL parses the subset of RSQL (FIQL) the simulator supports:
// comparisons with ==, != and =in=, ';' (and), ',' (or) and parentheses.
// Values are unquoted words or "double"/'single' quoted with backslash
// escapes. In == and != values an unescaped '*' is a wildcard. Anything
// else is an error that says what is not supported.
func parseRSQL(s string) (*rsqlNode, error) {
	p := &rsqlParser{s: s}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q at offset %d", p.s[p.i:], p.i)
	}
	return n, nil
}

type rsqlParser struct {
	s string
	i int
}

func (p *rsqlParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *rsqlParser) or() (*rsqlNode, error) {
	return p.list(',', p.and)
}

func (p *rsqlParser) and() (*rsqlNode, error) {
	return p.list(';', p.term)
}

func (p *rsqlParser) list(sep byte, next func() (*rsqlNode, error)) (*rsqlNode, error) {
	n, err := next()
	if err != nil {
		return nil, err
	}
	if p.peek() != sep {
		return n, nil
	}
	group := &rsqlNode{op: sep, children: []*rsqlNode{n}}
	for p.peek() == sep {
		p.i++
		c, err := next()
		if err != nil {
			return nil, err
		}
		group.children = append(group.children, c)
	}
	return group, nil
}

func (p *rsqlParser) term() (*rsqlNode, error) {
	if p.peek() == '(' {
		p.i++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, fmt.Errorf("missing ')' at offset %d", p.i)
		}
		p.i++
		return n, nil
	}
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("=!<>~();,\"' ", p.s[p.i]) < 0 {
		p.i++
	}
	field := p.s[start:p.i]
	if field == "" {
		return nil, fmt.Errorf("expected a field name at offset %d", start)
	}
	rest := p.s[p.i:]
	var cmp string
	switch {
	case strings.HasPrefix(rest, "=="):
		cmp = "=="
	case strings.HasPrefix(rest, "!="):
		cmp = "!="
	case strings.HasPrefix(rest, "=in="):
		cmp = "=in="
	default:
		op := rest
		if j := strings.IndexAny(rest[min(1, len(rest)):], "=\"'("); j >= 0 {
			op = rest[:j+2]
		}
		return nil, fmt.Errorf("unsupported operator %q after %q; the simulator supports ==, != and =in=", op, field)
	}
	p.i += len(cmp)
	n := &rsqlNode{op: 'c', field: field, cmp: cmp}
	if cmp == "=in=" {
		if p.peek() != '(' {
			return nil, fmt.Errorf("=in= needs a parenthesised list at offset %d", p.i)
		}
		p.i++
		for {
			v, err := p.value(true)
			if err != nil {
				return nil, err
			}
			n.values = append(n.values, v)
			if p.peek() == ',' {
				p.i++
				continue
			}
			if p.peek() != ')' {
				return nil, fmt.Errorf("missing ')' in =in= list at offset %d", p.i)
			}
			p.i++
			break
		}
		return n, nil
	}
	v, err := p.value(false)
	if err != nil {
		return nil, err
	}
	n.values = []string{v}
	return n, nil
}

// value reads one argument. Wildcards are kept as '*' and an escaped star
// as "\*" so that match can tell them apart.
func (p *rsqlParser) value(inList bool) (string, error) {
	q := p.peek()
	if q == '"' || q == '\'' {
		p.i++
		var b strings.Builder
		for {
			if p.i >= len(p.s) {
				return "", fmt.Errorf("unterminated quoted value")
			}
			c := p.s[p.i]
			switch {
			case c == '\\' && p.i+1 < len(p.s):
				if p.s[p.i+1] == '*' {
					b.WriteString(`\*`)
				} else {
					b.WriteByte(p.s[p.i+1])
				}
				p.i += 2
			case c == q:
				p.i++
				return b.String(), nil
			default:
				b.WriteByte(c)
				p.i++
			}
		}
	}
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("\"'();,", p.s[p.i]) < 0 {
		if !inList && p.s[p.i] == ' ' {
			break
		}
		p.i++
	}
	if p.i == start {
		return "", fmt.Errorf("expected a value at offset %d", start)
	}
	return p.s[start:p.i], nil
}

// rsqlFields maps the filterable field names of one endpoint to their
// values on a record.
type rsqlFields[T any] map[string]func(T) string

// check reports the first field n uses that fields does not know.
func (f rsqlFields[T]) check(n *rsqlNode) error {
	if n.op == 'c' {
		if _, ok := f[n.field]; !ok {
			names := make([]string, 0, len(f))
			for k := range f {
				names = append(names, k)
			}
			slices.Sort(names)
			return fmt.Errorf("field %q cannot be filtered on here; fields are %s", n.field, strings.Join(names, ", "))
		}
		return nil
	}
	for _, c := range n.children {
		if err := f.check(c); err != nil {
			return err
		}
	}
	return nil
}

func (f rsqlFields[T]) match(n *rsqlNode, rec T) bool {
	switch n.op {
	case ';':
		for _, c := range n.children {
			if !f.match(c, rec) {
				return false
			}
		}
		return true
	case ',':
		for _, c := range n.children {
			if f.match(c, rec) {
				return true
			}
		}
		return false
	}
	got := f[n.field](rec)
	switch n.cmp {
	case "==":
		return valueMatches(n.values[0], got)
	case "!=":
		return !valueMatches(n.values[0], got)
	default: // =in=
		for _, v := range n.values {
			if valueMatches(v, got) {
				return true
			}
		}
		return false
	}
}

// valueMatches compares case-insensitively, as Jamf's database collation
// does, with '*' as a wildcard and "\*" as a literal star.
func valueMatches(pattern, got string) bool {
	if !strings.Contains(pattern, "*") {
		return strings.EqualFold(pattern, got)
	}
	// Split on unescaped stars into literal parts.
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '\\' && i+1 < len(pattern) && pattern[i+1] == '*':
			cur.WriteByte('*')
			i++
		case pattern[i] == '*':
			parts = append(parts, strings.ToLower(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(pattern[i])
		}
	}
	parts = append(parts, strings.ToLower(cur.String()))
	got = strings.ToLower(got)
	if len(parts) == 1 {
		return parts[0] == got
	}
	if !strings.HasPrefix(got, parts[0]) {
		return false
	}
	got = got[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		j := strings.Index(got, mid)
		if j < 0 {
			return false
		}
		got = got[j+len(mid):]
	}
	return strings.HasSuffix(got, last)
}
