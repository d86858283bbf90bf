package examples_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/examples"
	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/pkg/config"
)

// schemaFile is the shipped JSON Schema of the config, for the YAML
// language server (README, "Editor support").
const schemaFile = "jamf-scep.schema.json"

// TestSchemaIsCurrent: the shipped schema is what config.JSONSchema makes
// from the config types and the documented example today (go test
// ./examples -update rewrites it).
func TestSchemaIsCurrent(t *testing.T) {
	got, err := config.JSONSchema(examples.OktaDeviceAccess)
	if err != nil {
		t.Fatal(err)
	}
	if golden.Updating() {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("examples/%s is stale; run go test ./examples -update", schemaFile)
	}
}

// TestExamplesMatchSchema validates the example configs against the
// shipped schema with a JSON Schema validator, and checks that it refuses
// what Parse refuses (an unknown key, a literal secret, a wrong type).
func TestExamplesMatchSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml string
		valid      bool
	}{
		{"okta-device-access.yaml", examples.OktaDeviceAccess, true},
		{"multi-tenant.yaml", examples.MultiTenant, true},
		{"unknown key", "version: 1\nprofile:\n  scpe: {}\n", false},
		{"literal secret", "version: 1\ntenants:\n  - name: a\n    auth:\n      client_secret: hunter2\n", false},
		{"wrong type", "version: 1\nprofile:\n  scep:\n    key_size: big\n", false},
		{"no version", "profile: {}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc any
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			err := sch.Validate(doc)
			if (err == nil) != tt.valid {
				t.Errorf("valid = %v, want %v: %v", err == nil, tt.valid, err)
			}
		})
	}
}

// TestReadmeModeline: the README's modeline names the published schema.
func TestReadmeModeline(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := "# yaml-language-server: $schema=" + config.SchemaID; !bytes.Contains(readme, []byte(want)) {
		t.Errorf("README.md has no %q", want)
	}
}
