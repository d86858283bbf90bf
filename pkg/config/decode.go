package config

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Parse reads a config from data; source names it in messages (a path, or
// "stdin"). It checks the structure, all at once: YAML syntax, one document,
// `version: 1`, no unknown keys (with "did you mean"), the type of every
// value, and that every secret field holds a reference ([secret.ParseRef];
// a literal is refused with the fix). The error is [Problems].
//
// Parse does not check the values (URLs, ranges, required fields): flags
// and the environment may still complete the config. Call
// [Config.Validate] once they have.
// With problems the config is nil: nothing half-read is ever used.
// [CheckFile] reports the structure's and the values' problems at once.
func Parse(data []byte, source string) (*Config, error) {
	c, err := parse(data, source)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// parse is Parse, but when the YAML reads as one version-1 mapping and
// only fields are wrong (unknown keys, wrong types, literal secrets), it
// also returns the config decoded without them, for CheckFile to judge
// the rest; otherwise the config is nil.
func parse(data []byte, source string) (*Config, error) {
	c := &Config{source: source, lines: map[string]int{}}
	k := &collector{c: c}
	if checkFileSize(k, data) {
		return nil, k.err()
	}

	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			k.add("", "the file is empty", "start it with version: 1 (see examples/okta-device-access.yaml)")
		} else {
			k.syntax(err)
		}
		return nil, k.err()
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		k.problems = append(k.problems, Problem{
			Source: source, Line: extra.Line,
			Message: "holds more than one YAML document", Fix: "keep one document; remove the --- separator",
		})
		return nil, k.err()
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		k.problems = append(k.problems, Problem{
			Source: source, Line: root.Line,
			Message: "is not a YAML mapping", Fix: "start it with version: 1 (see examples/okta-device-access.yaml)",
		})
		return nil, k.err()
	}
	// Read the version first: a file for another version is reported as
	// that alone, not as a list of unknown keys.
	if v := mapValue(root, "version"); v == nil {
		k.problems = append(k.problems, Problem{
			Source: source, Line: root.Line, Field: "version",
			Message: "missing", Fix: "add version: 1 at the top",
		})
	} else if n, err := strconv.Atoi(v.Value); v.Kind != yaml.ScalarNode || err != nil || n != Version {
		k.problems = append(k.problems, Problem{
			Source: source, Line: v.Line, Field: "version",
			Message: "this jamf-scep reads version 1 only", Fix: "write version: 1, or use the jamf-scep release that wrote this file",
		})
		return nil, k.err()
	}
	d := decoder{collector: k}
	d.decode(root, reflect.ValueOf(c).Elem(), "")
	if err := k.err(); err != nil {
		return c, err // what decoded, for CheckFile
	}
	return c, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntax records a YAML syntax error. The parser's messages name the
// construct, not the text, so no value (a secret) is echoed.
func (k *collector) syntax(err error) {
	p := Problem{Source: k.c.source, Message: strings.TrimPrefix(err.Error(), "yaml: "), Fix: "fix the YAML syntax at that line"}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = err.Error()[len(m[0]):]
	}
	p.Message = "invalid YAML: " + unquoteYAMLError(p.Message)
	k.problems = append(k.problems, p)
}

// unquoteYAMLError drops the input the parser quotes back in its messages
// ('name' in "unknown anchor 'name' referenced", `text`): a secret written
// where YAML reads an alias (`password: *hunter2`) would otherwise be
// printed. Quotes pair left to right; a single quoted character is the
// grammar's own token (',' or ']') and stays.
func unquoteYAMLError(msg string) string {
	var b strings.Builder
	for {
		i := strings.IndexAny(msg, "'`")
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		j := strings.IndexByte(msg[i+1:], msg[i])
		if j < 0 {
			b.WriteString(msg[:i] + "(text omitted)")
			return b.String()
		}
		quoted := msg[i : i+j+2]
		if j >= 2 {
			quoted = "(text omitted)"
		}
		b.WriteString(msg[:i] + quoted)
		msg = msg[i+j+2:]
	}
}

// mapValue returns the value node of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// decoder fills the config structs from YAML nodes by their yaml tags,
// recording the line of every key and a problem for everything that does
// not fit, and carrying on so that one pass reports them all.
//
// It is written here rather than using yaml's Decode because the config
// needs what Decode does not give: all problems rather than the first, the
// line of every field for Validate, "did you mean" for unknown keys, nil
// versus empty lists (scope ownership), and secret references refused as
// literals without echoing them.
type decoder struct {
	*collector
}

var refType = reflect.TypeFor[secret.Ref]()

// nullList refuses a list written as null ("key:", "key: ~", "key: null"):
// a missing scope list is left as Jamf has it and an empty one is owned
// empty (see [Scope]), and null could mean either.
func (d *decoder) nullList(path string) {
	if strings.HasPrefix(path, "scope.") || strings.Contains(path, ".scope.") {
		d.add(path, "is null, which is not an empty list", "write [] to own it empty (Jamf keeps none), or remove the key to leave it as Jamf has it")
		return
	}
	d.add(path, "is null, which is not an empty list", "write [] for none, or remove the key")
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.add(path, "uses a YAML anchor or alias", "write the value out in full")
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		if v.Kind() == reflect.Slice {
			d.nullList(path)
		}
		return // "key:" with no value: not set
	}
	switch {
	case v.Type() == refType:
		if n.Kind != yaml.ScalarNode {
			d.add(path, "must be a secret reference", "write "+secret.Forms)
			return
		}
		ref, err := secret.ParseRef(n.Value)
		if re := (*secret.RefError)(nil); errors.As(err, &re) {
			d.add(path, re.Problem, re.Fix)
			return
		}
		v.Set(reflect.ValueOf(ref))
	case v.Kind() == reflect.Struct:
		d.mapping(n, v, path)
	case v.Kind() == reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		d.decode(n, elem.Elem(), path)
		v.Set(elem)
	case v.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.add(path, "must be a list", "write [a, b] or one \"- item\" per line")
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.c.lines[p] = item.Line
			d.decode(item, s.Index(i), p)
		}
		v.Set(s)
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.add(path, "must be a single value", "write a string")
			return
		}
		v.SetString(n.Value)
	case v.Kind() == reflect.Int:
		i, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
			d.add(path, "must be a whole number", "write digits only, without quotes")
			return
		}
		v.SetInt(int64(i))
	case v.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.add(path, "must be true or false", "write true or false, without quotes")
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		panic("config: no decoder for " + v.Type().String()) // a programming error in the schema
	}
}

// mapping decodes a YAML mapping into struct v.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.add(path, "must be a mapping of keys", "indent its keys under it (key: value)")
		return
	}
	fields := map[string]int{}
	var names []string
	for i := range v.NumField() {
		if tag := v.Type().Field(i).Tag.Get("yaml"); tag != "" {
			fields[tag] = i
			names = append(names, tag)
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		p := key.Value
		if path != "" {
			p = path + "." + key.Value
		}
		if key.Kind != yaml.ScalarNode {
			d.problems = append(d.problems, Problem{
				Source: d.c.source, Line: key.Line, Field: path,
				Message: "has a key that is not a name", Fix: "keys are snake_case names",
			})
			continue
		}
		if seen[key.Value] {
			d.problems = append(d.problems, Problem{
				Source: d.c.source, Line: key.Line, Field: p,
				Message: "appears twice", Fix: "keep one",
			})
			continue
		}
		seen[key.Value] = true
		idx, ok := fields[key.Value]
		if !ok {
			fix := suggest(key.Value, names)
			if fix == "" {
				fix = "known keys here: " + strings.Join(names, ", ")
			}
			d.problems = append(d.problems, Problem{
				Source: d.c.source, Line: key.Line, Field: p,
				Message: "unknown key", Fix: fix,
			})
			continue
		}
		d.c.lines[p] = key.Line
		d.decode(val, v.Field(idx), p)
	}
}
