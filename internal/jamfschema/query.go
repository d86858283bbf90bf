package jamfschema

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// checkQuery adds to kin-openapi's parameter validation what Jamf's schema
// says in prose: no undeclared parameter, page-size bounds, the sort and
// filter fields each operation's description allows, and a required filter.
func checkQuery(op *openapi3.Operation, q url.Values) []error {
	var errs []error
	declared := map[string]*openapi3.Parameter{}
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			declared[p.Value.Name] = p.Value
		}
	}
	for name := range q {
		if declared[name] == nil {
			errs = append(errs, fmt.Errorf("query parameter %q is not declared by the operation", name))
		}
	}
	if v := q.Get("page-size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			errs = append(errs, fmt.Errorf("page-size %q is outside 1 to %d", v, MaxPageSize))
		}
	}
	if p := declared["sort"]; p != nil {
		allowed := sortFields(p)
		for _, v := range q["sort"] {
			for item := range strings.SplitSeq(v, ",") {
				field, dir, _ := strings.Cut(item, ":")
				if dir != "asc" && dir != "desc" {
					errs = append(errs, fmt.Errorf("sort %q is not property:asc or property:desc", item))
				}
				if !slices.Contains(allowed, field) {
					errs = append(errs, fmt.Errorf("sort field %q is not one the schema allows (%s)", field, strings.Join(allowed, ", ")))
				}
			}
		}
	}
	if p := declared["filter"]; p != nil {
		allowed := allowedFields(p.Description, "Fields allowed in the query")
		for _, v := range q["filter"] {
			fields, err := rsqlSelectors(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("filter %q: %w", v, err))
				continue
			}
			for _, f := range fields {
				if !slices.Contains(allowed, f) {
					errs = append(errs, fmt.Errorf("filter field %q is not one the schema allows (%s)", f, strings.Join(allowed, ", ")))
				}
			}
		}
		if strings.Contains(p.Description, "must contain minimum one filter field") && q.Get("filter") == "" {
			errs = append(errs, fmt.Errorf("the operation requires a filter"))
		}
	}
	return errs
}

var (
	backquoted = regexp.MustCompile("`([A-Za-z][A-Za-z0-9_.]*)`")
	bareWord   = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_.]*`)
)

// allowedFields reads the field list that follows label in a parameter's
// description: "Fields allowed in the query: `general.name`, `udid`, ..."
// or "Fields allowed in the query: uuid, clientManagementId, ... and
// active." It returns nil when the description has no such list.
func allowedFields(desc, label string) []string {
	_, rest, ok := strings.Cut(desc, label+":")
	if !ok {
		return nil
	}
	if m := backquoted.FindAllStringSubmatch(rest, -1); len(m) > 0 {
		// The list runs until the first blank line ("This param can be
		// combined ..." and the example follow it).
		list, _, _ := strings.Cut(rest, "\n\n")
		var out []string
		for _, x := range backquoted.FindAllStringSubmatch(list, -1) {
			out = append(out, x[1])
		}
		return out
	}
	list, _, _ := strings.Cut(rest, ".")
	var out []string
	for _, w := range bareWord.FindAllString(list, -1) {
		if w != "and" {
			out = append(out, w)
		}
	}
	return out
}

// sortFields is the sort parameter's allowed fields: the description's
// "Fields allowed in the sort" list when it has one, otherwise the fields
// of its default and of its example ("sort=date:desc,name:asc").
func sortFields(p *openapi3.Parameter) []string {
	if f := allowedFields(p.Description, "Fields allowed in the sort"); len(f) > 0 {
		return f
	}
	var out []string
	if p.Schema != nil && p.Schema.Value != nil {
		if d, ok := p.Schema.Value.Default.([]any); ok {
			for _, x := range d {
				if s, ok := x.(string); ok {
					f, _, _ := strings.Cut(s, ":")
					out = append(out, f)
				}
			}
		}
	}
	if _, ex, ok := strings.Cut(p.Description, "sort="); ok {
		ex, _, _ = strings.Cut(ex, " ")
		for item := range strings.SplitSeq(strings.TrimSpace(ex), ",") {
			f, _, _ := strings.Cut(item, ":")
			out = append(out, f)
		}
	}
	return out
}

// rsqlSelectors returns the field names an RSQL expression compares
// (`general.name=="x";udid=in=("a","b")` -> general.name, udid). It skips
// quoted values and fails on an unterminated quote or a comparison without
// a known operator.
func rsqlSelectors(expr string) ([]string, error) {
	var out []string
	i := 0
	for i < len(expr) {
		c := expr[i]
		switch {
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(expr) {
				return nil, fmt.Errorf("unterminated quote at %d", i)
			}
			i = j + 1
		case c == '(' || c == ')' || c == ';' || c == ',' || c == ' ':
			i++
		case isSelectorStart(c):
			j := i
			for j < len(expr) && isSelectorChar(expr[j]) {
				j++
			}
			word := expr[i:j]
			rest := expr[j:]
			op := comparison.FindString(rest)
			if op == "" {
				return nil, fmt.Errorf("%q is not followed by a comparison operator", word)
			}
			out = append(out, word)
			i = j + len(op)
			// The value: quoted (handled by the loop), a list in
			// parentheses (handled), or a bare word to skip.
			for i < len(expr) && !strings.ContainsRune("\"'();,", rune(expr[i])) {
				i++
			}
		default:
			return nil, fmt.Errorf("unexpected %q at %d", c, i)
		}
	}
	return out, nil
}

var comparison = regexp.MustCompile(`^(==|!=|=[a-z]+=|<=|>=|<|>)`)

func isSelectorStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isSelectorChar(c byte) bool {
	return isSelectorStart(c) || c >= '0' && c <= '9' || c == '.' || c == '_'
}

// loadClassic reads the Classic API's path templates and methods.
func loadClassic() (map[string][]string, error) {
	raw, err := files.ReadFile("testdata/classic-11.30.1.yaml")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("jamfschema: classic: %w", err)
	}
	out := map[string][]string{}
	for path, ops := range doc.Paths {
		for m := range ops {
			out[path] = append(out[path], strings.ToUpper(m))
		}
	}
	return out, nil
}

// checkClassic reports whether method and path (under JSSResource, such
// as "/osxconfigurationprofiles/id/3") are in the Classic API's paths.
func (s *Spec) checkClassic(method, path string) error {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for tmpl, methods := range s.classic {
		ts := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(ts) != len(segs) {
			continue
		}
		match := true
		for i := range ts {
			if !strings.HasPrefix(ts[i], "{") && ts[i] != segs[i] {
				match = false
				break
			}
		}
		if match && slices.Contains(methods, method) {
			return nil
		}
	}
	return fmt.Errorf("%s /JSSResource%s is not in the Classic API's paths", method, path)
}
