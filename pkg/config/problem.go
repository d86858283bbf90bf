package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// Problem is one thing wrong with a config, located by file, line and field.
type Problem struct {
	// Source is the file (or "environment"); may be empty.
	Source string
	// Line is the 1-based YAML line of the field's key, or 0 if unknown.
	Line int
	// Field is the field path: "tenants[1].auth.client_secret".
	Field string
	// Message says what is wrong ("must be 2048 or 4096").
	Message string
	// Fix says what to do ("write key_size: 2048").
	Fix string
}

// Error formats p as "file:line: field: problem; fix", leaving out the
// parts that are unknown.
func (p Problem) Error() string {
	var b strings.Builder
	switch {
	case p.Source != "" && p.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", p.Source, p.Line)
	case p.Source != "":
		b.WriteString(p.Source + ": ")
	case p.Line > 0:
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	if p.Fix != "" {
		b.WriteString("; " + p.Fix)
	}
	return b.String()
}

// Problems is every problem found in one pass, sorted by line then field.
// [Parse] and [Config.Validate] return it as their error; get the list with
// errors.As.
type Problems []Problem

// Error returns one problem per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// collector gathers problems for one config.
type collector struct {
	c        *Config
	problems Problems
}

// add records a problem for the field at path, with the line of that field
// or of its nearest parent present in the file.
func (k *collector) add(path, msg, fix string) {
	p := Problem{Source: k.c.source, Field: path, Message: msg, Fix: fix}
	if flag, ok := k.c.fromFlag[path]; ok {
		p.Source, p.Field = "", flag+" ("+path+")"
	} else if env, ok := k.c.fromEnv[path]; ok {
		p.Source, p.Field = "environment", env+" ("+path+")"
	} else {
		p.Line = k.c.line(path)
	}
	k.problems = append(k.problems, p)
}

// err sorts, removes duplicates and returns nil when there is no problem.
func (k *collector) err() error {
	if len(k.problems) == 0 {
		return nil
	}
	ps := k.problems
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Message, b.Message))
	})
	return slices.Compact(ps)
}

// line returns the line of path's key, or of its nearest ancestor with one.
func (c *Config) line(path string) int {
	for path != "" {
		if l, ok := c.lines[path]; ok {
			return l
		}
		path = parent(path)
	}
	return 0
}

// present reports whether the key at path was written in the file or
// given by a flag: a zero value there was given, not defaulted.
func (c *Config) present(path string) bool {
	_, inFile := c.lines[path]
	_, byFlag := c.fromFlag[path]
	return inFile || byFlag
}

// SetByFlag records that a command set the field at path
// ("profile.scep.redistribute_days") from flag ("--redistribute-days"),
// after the file and environment. Validation then treats the value as given
// (an explicit 0 is checked like one written in the file, never replaced by
// a default) and names the flag in its messages. Flags overlay the config,
// then the one validator runs: there is no second set of flag rules.
func (c *Config) SetByFlag(path, flag string) {
	if c.fromFlag == nil {
		c.fromFlag = map[string]string{}
	}
	c.fromFlag[path] = flag
}

// parent drops the last element of a field path: "a.b[2]" -> "a.b" -> "a".
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// suggest returns `did you mean "x"?` for the candidate closest to s, or
// "" (profile.DidYouMean: one rule for every suggestion).
func suggest(s string, candidates []string) string { return profile.DidYouMean(s, candidates) }
