package config

import (
	"encoding/json"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SchemaID is where the config's JSON Schema is published, for the YAML
// language server's modeline:
//
//	# yaml-language-server: $schema=<SchemaID>
const SchemaID = "https://raw.githubusercontent.com/jamf-scep/jamf-scep/main/examples/jamf-scep.schema.json"

// JSONSchema returns a JSON Schema (draft 2020-12) of the config file, for
// editors: made from the same Go types Parse decodes (keys, types, secret
// references; unknown keys refused), each key described by the comment
// above it in documented, the commented example config that `jamf-scep
// help config-file` prints (examples/okta-device-access.yaml). The value
// rules (ranges, URL forms) stay [Config.Validate]'s; run `jamf-scep
// config validate` for them.
func JSONSchema(documented string) ([]byte, error) {
	docs := map[string]string{}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(documented), &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 1 {
		collectDocs(root.Content[0], "", docs)
	}
	s := schemaFor(reflect.TypeFor[Config](), "", docs)
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = SchemaID
	s["title"] = "jamf-scep config file"
	s["required"] = []string{"version"}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// collectDocs records the head comment of every key under n by path
// ("profile.scep.url"; list items as "tenants[]").
func collectDocs(n *yaml.Node, path string, docs map[string]string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if c := cleanComment(k.HeadComment); c != "" {
				docs[p] = c
			}
			collectDocs(v, p, docs)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			collectDocs(item, path+"[]", docs)
		}
	}
}

// cleanComment turns a YAML head comment into plain text.
func cleanComment(c string) string {
	var lines []string
	for l := range strings.SplitSeq(c, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "#"))
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " ")
}

// schemaFor mirrors decoder.decode: what it accepts for type t at path.
func schemaFor(t reflect.Type, path string, docs map[string]string) map[string]any {
	s := map[string]any{}
	switch {
	case t == refType:
		s["type"] = "string"
		s["pattern"] = "^(env|file|keychain):.+"
		s["description"] = "a secret reference (env:NAME, file:PATH or keychain:SERVICE/ACCOUNT); never the secret itself"
	case t.Kind() == reflect.Struct:
		props := map[string]any{}
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("yaml")
			if tag == "" {
				continue
			}
			p := tag
			if path != "" {
				p = path + "." + tag
			}
			props[tag] = schemaFor(f.Type, p, docs)
		}
		s["type"] = "object"
		s["properties"] = props
		s["additionalProperties"] = false
	case t.Kind() == reflect.Pointer:
		return schemaFor(t.Elem(), path, docs)
	case t.Kind() == reflect.Slice:
		s["type"] = "array"
		s["items"] = schemaFor(t.Elem(), path+"[]", docs)
	case t.Kind() == reflect.String:
		s["type"] = "string"
	case t.Kind() == reflect.Int:
		s["type"] = "integer"
	case t.Kind() == reflect.Bool:
		s["type"] = "boolean"
	default:
		panic("config: no schema for " + t.String()) // as decode: a programming error
	}
	if d, ok := docs[path]; ok {
		if prev, has := s["description"].(string); has {
			d += " (" + prev + ")"
		}
		s["description"] = d
	}
	return s
}
