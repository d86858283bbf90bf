package profile

import (
	"bytes"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/profiles"
)

// Preset is the fixed and default values of a kind of profile, read from
// profiles/<name>.yaml. Fixed values (PayloadScope, key type and usage,
// extractability, app access, retries) are not user options; defaults
// (names, Subject, key size, redistribution, challenge type) apply when
// [Options] leaves a field zero.
type Preset struct {
	Name         string     `yaml:"name"`
	Identifier   string     `yaml:"identifier"`
	DisplayName  string     `yaml:"display_name"`
	Description  string     `yaml:"description"`
	PayloadScope string     `yaml:"payload_scope"`
	SCEP         PresetSCEP `yaml:"scep"`
}

// PresetSCEP is the SCEP part of a [Preset]. Pointer fields must be present
// in the file: a preset writes every value explicitly.
type PresetSCEP struct {
	Name               string        `yaml:"name"`
	Subject            string        `yaml:"subject"`
	KeySize            int           `yaml:"key_size"`
	KeyType            string        `yaml:"key_type"`
	KeyUsage           *int          `yaml:"key_usage"`
	KeyIsExtractable   *bool         `yaml:"key_is_extractable"`
	AllowAllAppsAccess *bool         `yaml:"allow_all_apps_access"`
	Retries            *int          `yaml:"retries"`
	RetryDelay         *int          `yaml:"retry_delay"`
	RedistributeDays   int           `yaml:"redistribute_days"`
	ChallengeType      ChallengeType `yaml:"challenge_type"`
}

// LoadPreset returns the embedded preset name ("" means
// "okta-device-access"). The error lists the known presets.
func LoadPreset(name string) (*Preset, error) {
	if name == "" {
		name = profiles.DefaultPreset
	}
	data, err := profiles.Preset(name)
	if err != nil {
		return nil, err
	}
	return ParsePreset(data)
}

// ParsePreset parses and validates a preset file. Unknown fields are
// errors; every missing value is reported at once.
func ParsePreset(data []byte) (*Preset, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Preset
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("preset: %w", err)
	}
	var errs []error
	missing := func(field string, bad bool) {
		if bad {
			errs = append(errs, fmt.Errorf("preset %q: %s is missing; presets write every value explicitly", p.Name, field))
		}
	}
	missing("name", p.Name == "")
	missing("identifier", p.Identifier == "")
	missing("display_name", p.DisplayName == "")
	missing("payload_scope", p.PayloadScope != "System" && p.PayloadScope != "User")
	missing("scep.subject", p.SCEP.Subject == "")
	missing("scep.key_size", p.SCEP.KeySize == 0)
	missing("scep.key_type", p.SCEP.KeyType == "")
	missing("scep.key_usage", p.SCEP.KeyUsage == nil)
	missing("scep.key_is_extractable", p.SCEP.KeyIsExtractable == nil)
	missing("scep.allow_all_apps_access", p.SCEP.AllowAllAppsAccess == nil)
	missing("scep.retries", p.SCEP.Retries == nil)
	missing("scep.retry_delay", p.SCEP.RetryDelay == nil)
	missing("scep.redistribute_days", p.SCEP.RedistributeDays == 0)
	missing("scep.challenge_type", p.SCEP.ChallengeType == "")
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &p, nil
}
