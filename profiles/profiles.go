// Package profiles embeds the data files jamf-scep builds profiles from:
// presets (one YAML file per preset, named <preset>.yaml) and the Jamf
// dialect (jamf-dialect.yaml), the one place that records how Jamf Pro is
// believed to store its own SCEP settings inside a profile.
//
// The package holds bytes only; package profile parses and validates them.
package profiles

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// DefaultPreset is the preset used when the config names none.
const DefaultPreset = "okta-device-access"

// dialectFile is the embedded Jamf dialect; it is not a preset.
const dialectFile = "jamf-dialect.yaml"

// Preset returns the YAML text of the embedded preset name
// ("okta-device-access"). The error lists the known presets.
func Preset(name string) ([]byte, error) {
	if name != "" && name+".yaml" != dialectFile && !strings.ContainsAny(name, "/\\.") {
		if b, err := files.ReadFile(name + ".yaml"); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("unknown preset %q; known presets: %s", name, strings.Join(Presets(), ", "))
}

// Presets returns the names of the embedded presets, sorted.
func Presets() []string {
	entries, _ := fs.ReadDir(files, ".") // embedded: cannot fail
	var names []string
	for _, e := range entries {
		if e.Name() == dialectFile {
			continue
		}
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// JamfDialect returns the YAML text of the embedded Jamf dialect.
func JamfDialect() []byte {
	b, err := files.ReadFile(dialectFile)
	if err != nil {
		panic("profiles: embedded " + dialectFile + " missing: " + err.Error())
	}
	return b
}
