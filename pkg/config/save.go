package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/pkg/atomicfile"
)

// Marshal encodes c as YAML (2-space indentation) without comments that [Parse] reads back to an
// equal config. Unset fields are left out; a declared empty scope category
// is written as [] (it is owned, see [Scope]); secrets are written as their
// references.
func (c *Config) Marshal() ([]byte, error) {
	n := encode(reflect.ValueOf(*c))
	if n == nil {
		n = &yaml.Node{Kind: yaml.MappingNode}
	}
	// Two-space indentation, as in the examples and README.
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes c to path as [Config.Marshal] gives it: mode 0600, atomically
// (a temporary file in the same directory, synced, then renamed over path),
// and only over an existing file when force is true ([atomicfile.WriteFile]).
func Save(path string, c *Config, force bool) error {
	data, err := c.Marshal()
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := atomicfile.WriteFile(path, data, 0o600, force); err != nil {
		if errors.Is(err, atomicfile.ErrExists) {
			return fmt.Errorf("config: %s already exists; pass --force to overwrite it", path)
		}
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// encode turns a config value into a YAML node, or nil when it is unset
// (the mirror of decoder.decode).
func encode(v reflect.Value) *yaml.Node {
	if v.Type() == refType {
		if v.Interface().(interface{ IsZero() bool }).IsZero() {
			return nil
		}
		return scalar("!!str", v.Interface().(fmt.Stringer).String())
	}
	switch v.Kind() {
	case reflect.Struct:
		m := &yaml.Node{Kind: yaml.MappingNode}
		for i := range v.NumField() {
			tag := v.Type().Field(i).Tag.Get("yaml")
			if tag == "" {
				continue
			}
			if n := encode(v.Field(i)); n != nil {
				m.Content = append(m.Content, scalar("!!str", tag), n)
			}
		}
		if len(m.Content) == 0 {
			return nil
		}
		return m
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return encode(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		s := &yaml.Node{Kind: yaml.SequenceNode}
		if v.Len() == 0 {
			s.Style = yaml.FlowStyle
		}
		for i := range v.Len() {
			n := encode(v.Index(i))
			if n == nil {
				n = encodeEmpty(v.Index(i))
			}
			s.Content = append(s.Content, n)
		}
		return s
	case reflect.String:
		if v.String() == "" {
			return nil
		}
		return scalar("!!str", v.String())
	case reflect.Int:
		if v.Int() == 0 {
			return nil
		}
		return scalar("!!int", strconv.FormatInt(v.Int(), 10))
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	}
	panic("config: no encoder for " + v.Type().String())
}

// encodeEmpty encodes a list element that is unset, so list positions stay.
func encodeEmpty(v reflect.Value) *yaml.Node {
	if v.Kind() == reflect.Struct {
		return &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	}
	return scalar("!!str", "")
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}
