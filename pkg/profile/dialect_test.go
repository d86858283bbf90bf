package profile

import (
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/profiles"
)

func dialectText() []byte { return profiles.JamfDialect() }

func TestDefaultDialect(t *testing.T) {
	d := DefaultDialect()
	if d.Fields.Password.Key == "" || !d.Fields.Password.Secret {
		t.Errorf("default password field = %+v, want a secret key", d.Fields.Password)
	}
	if d.ProfileIdentifier.MaxLength != 6 || d.ProfileIdentifier.Placement != PlacementAppendLastCN {
		t.Errorf("default profile_identifier = %+v", d.ProfileIdentifier)
	}
	if !strings.Contains(string(dialectText()), "INFERRED, NOT PUBLISHED") {
		t.Error("dialect file does not say plainly that it is inferred")
	}
}

func TestParseDialectErrors(t *testing.T) {
	tests := []struct {
		name    string
		replace []string // old, new pairs applied to the default file
		want    []string
	}{
		{"unknown field", []string{"version: 1", "version: 1\nextra: x"}, []string{"field extra not found"}},
		{"version", []string{"version: 1", "version: 2"}, []string{"version is 2"}},
		{"bad location", []string{"location: content\n    key: Username", "location: inside\n    key: Username"}, []string{`fields.username.location is "inside"; options are profile, payload, content`}},
		{"apple key", []string{"key: Username", "key: URL"}, []string{`fields.username.key "URL" is an Apple key`}},
		{"duplicate", []string{"key: Username", "key: Password"}, []string{`fields.password.key "Password" is also used by fields.username`}},
		{"bad type", []string{"key: Username\n    type: string", "key: Username\n    type: integer"}, []string{"fields.username.type is \"integer\"; it must be string"}},
		{"missing mode", []string{"      static: Static\n", ""}, []string{"values has no entry for static"}},
		{"secret off", []string{"secret: true", "secret: false"}, []string{"fields.password.secret must be true"}},
		{"placement", []string{"placement: append-last-cn", "placement: prepend"}, []string{`placement is "prepend"; options are append-last-cn, separate-cn, none`}},
		{"max length", []string{"max_length: 6", "max_length: 99"}, []string{"max_length is 99"}},
		{"placement separate-cn is valid, bad value is not", []string{"placement: append-last-cn", "placement: separate-cn", "value: jamf-id", "value: serial"}, []string{`profile_identifier.value is "serial"; options are jamf-id, payload-identifier, payload-uuid`}},
		{"uuid is 36", []string{"value: jamf-id", "value: payload-uuid"}, []string{"max_length is 6; a PayloadUUID is always 36 characters"}},
		{"variable", []string{"variable: $PROFILE_IDENTIFIER", "variable: $NOPE"}, []string{`variable is "$NOPE"`}},
		{"all at once", []string{"version: 1", "version: 3", "max_length: 6", "max_length: -1"}, []string{"version is 3", "max_length is -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.NewReplacer(tt.replace...).Replace(string(dialectText()))
			_, err := ParseDialect([]byte(text))
			if err == nil {
				t.Fatalf("ParseDialect succeeded, want errors %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestDialectOverrideMovesKeys(t *testing.T) {
	d := otherDialect(t)
	p := mustBuild(t, exampleOptions())
	out, err := p.MarshalFile(RenderOptions{Dialect: d})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<key>JamfChallengeType</key>", "<key>RedistributeDays</key>\n\t\t\t\t\t<string>30</string>"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(string(out), "<key>Challenge Type</key>") {
		t.Error("output still has the default challenge type key")
	}
}

func TestPresets(t *testing.T) {
	p, err := LoadPreset("")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "okta-device-access" || p.PayloadScope != "System" || p.SCEP.KeySize != 2048 || *p.SCEP.KeyUsage != 1 ||
		*p.SCEP.KeyIsExtractable || !*p.SCEP.AllowAllAppsAccess || p.SCEP.RedistributeDays != 30 ||
		p.SCEP.ChallengeType != ChallengeDynamicMicrosoftCA || p.SCEP.Subject != "CN=$COMPUTERNAME ma $UDID" {
		t.Errorf("okta-device-access preset = %+v", p)
	}
	if _, err := ParsePreset([]byte("name: x\n")); err == nil || !strings.Contains(err.Error(), "scep.key_is_extractable is missing") {
		t.Errorf("ParsePreset(incomplete) error = %v, want missing fields", err)
	}
	if _, err := ParsePreset([]byte("name: x\nbogus: 1\n")); err == nil || !strings.Contains(err.Error(), "field bogus not found") {
		t.Errorf("ParsePreset(unknown field) error = %v", err)
	}
}
