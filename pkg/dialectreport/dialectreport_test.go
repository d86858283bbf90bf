package dialectreport

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// storedProfile returns a stored plist whose SCEP payload dictionary has
// payloadKeys and whose PayloadContent has contentKeys (raw plist XML).
func storedProfile(payloadKeys, contentKeys string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict>
<key>PayloadContent</key><dict>
<key>URL</key><string>https://acme.okta.com/pki/x/scep/rac1</string>
<key>Keysize</key><integer>2048</integer>` + contentKeys + `
</dict>
<key>PayloadEnabled</key><true/>
<key>PayloadIdentifier</key><string>com.apple.security.scep.1</string>
<key>PayloadType</key><string>com.apple.security.scep</string>
<key>PayloadUUID</key><string>5B1A2C3D-0000-4000-8000-000000000002</string>
<key>PayloadVersion</key><integer>1</integer>` + payloadKeys + `
</dict></array>
<key>PayloadIdentifier</key><string>5B1A2C3D-0000-4000-8000-000000000001</string>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>5B1A2C3D-0000-4000-8000-000000000001</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>`)
}

// defaultContent is what the default dialect writes for dynamic mode.
const defaultContent = `
<key>Challenge Type</key><string>Dynamic-Microsoft CA</string>
<key>URL To SCEP Admin</key><string>https://acme.okta.com/challenge</string>
<key>Username</key><string>okta-abc</string>
<key>Password</key><string>s3cret-value</string>
<key>Redistribute Profile</key><integer>30</integer>`

type diffKey struct{ Field, Kind string }

func TestCompare(t *testing.T) {
	tests := []struct {
		name           string
		payload        string
		content        string
		want           []diffKey
		wantField      map[string]profile.DialectField // proposed fields to check
		unreproducible int
	}{
		{
			name:    "same as the default dialect",
			content: defaultContent,
			want:    nil,
		},
		{
			name:    "renamed and moved",
			payload: `<key>RedistributeProfile</key><integer>30</integer>`,
			content: strings.Replace(strings.Replace(defaultContent, "Challenge Type", "ChallengeType", 1),
				`<key>Redistribute Profile</key><integer>30</integer>`, "", 1),
			want: []diffKey{{"challenge_type", DiffKey}, {"redistribute_days", DiffKey}, {"redistribute_days", DiffLocation}},
			wantField: map[string]profile.DialectField{
				"redistribute_days": {Location: profile.LocationPayload, Key: "RedistributeProfile", Type: profile.TypeInteger},
			},
		},
		{
			name:    "absent password and another type",
			content: strings.Replace(strings.Replace(defaultContent, `<key>Password</key><string>s3cret-value</string>`, "", 1), `<integer>30</integer>`, `<string>30</string>`, 1),
			want:    []diffKey{{"password", DiffAbsent}, {"redistribute_days", DiffType}},
			wantField: map[string]profile.DialectField{
				"password":          {Location: profile.LocationContent, Key: "", Type: profile.TypeString, Secret: true},
				"redistribute_days": {Location: profile.LocationContent, Key: "Redistribute Profile", Type: profile.TypeString},
			},
		},
		{
			name:           "another challenge type value and an extra key",
			content:        strings.Replace(defaultContent, "Dynamic-Microsoft CA", "DynamicMicrosoftCA", 1) + `<key>JamfSecretToken</key><string>tok</string>`,
			want:           []diffKey{{"challenge_type", DiffValue}, {"", DiffExtra}},
			unreproducible: 1,
		},
		{
			name:    "static profile: dynamic-only settings not compared",
			content: `<key>Challenge</key><string>static-secret</string><key>Challenge Type</key><string>Static</string><key>Redistribute Profile</key><integer>30</integer>`,
			want:    nil,
		},
		{
			name:           "integer challenge type cannot be reproduced",
			content:        strings.Replace(defaultContent, `<string>Dynamic-Microsoft CA</string>`, `<integer>2</integer>`, 1),
			want:           []diffKey{{"challenge_type", DiffType}, {"challenge_type", DiffValue}},
			unreproducible: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compare(storedProfile(tt.payload, tt.content), nil)
			if err != nil {
				t.Fatalf("Compare: %v", err)
			}
			var got []diffKey
			for _, d := range r.Differences {
				got = append(got, diffKey{d.Field, d.Kind})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("differences (-want +got):\n%s", diff)
			}
			if len(r.Unreproducible) != tt.unreproducible {
				t.Errorf("unreproducible = %q, want %d entries", r.Unreproducible, tt.unreproducible)
			}
			for _, fl := range fieldsOf(r.Proposed) {
				want, ok := tt.wantField[fl.name]
				if !ok {
					continue
				}
				got := *fl.f
				got.Values = nil
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("proposed %s (-want +got):\n%s", fl.name, diff)
				}
			}
			// No secret value ever appears in the report.
			for _, e := range r.Entries {
				for _, s := range []string{"s3cret-value", "static-secret", "tok"} {
					if e.Value == s {
						t.Errorf("entry %s shows a secret value", e.Path)
					}
				}
			}
			// The proposed dialect round-trips through the file format.
			data, err := MarshalDialect(r.Proposed, "test")
			if err != nil {
				t.Fatalf("MarshalDialect: %v", err)
			}
			back, err := profile.ParseDialect(data)
			if err != nil {
				t.Fatalf("ParseDialect: %v", err)
			}
			if diff := cmp.Diff(r.Proposed, back); diff != "" {
				t.Errorf("dialect round trip (-proposed +parsed):\n%s", diff)
			}
		})
	}
}

func TestCompareProposedReproduces(t *testing.T) {
	content := strings.Replace(defaultContent, "Challenge Type", "ChallengeType", 1)
	r, err := Compare(storedProfile("", content), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Comparing with the proposed dialect shows no differences.
	again, err := Compare(storedProfile("", content), r.Proposed)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Differences) != 0 {
		t.Errorf("differences with the proposed dialect: %+v", again.Differences)
	}
}

func TestCompareErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"not a plist", `<plist version="1.0"><dict><key>x</key></plist>`, "not a property list"},
		{"no scep payload", `<plist version="1.0"><dict><key>PayloadContent</key><array/></dict></plist>`, "no com.apple.security.scep payload"},
		{"root array", `<plist version="1.0"><array/></plist>`, "root is array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compare([]byte(tt.data), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compare error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestCompareMasksURLCredentials: a credential inside a stored URL never
// shows in the report, in an entry or a difference (profile.MaskURLSecrets,
// part of the one secret rule).
func TestCompareMasksURLCredentials(t *testing.T) {
	content := strings.Replace(defaultContent, "https://acme.okta.com/challenge", "https://okta-abc123:hunter2@acme.okta.com/challenge?token=tok-CANARY", 1) +
		`<key>Extra</key><string>see https://u:CANARY-2@h.example/</string>`
	r, err := Compare(storedProfile("", content), profile.DefaultDialect())
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, e := range r.Entries {
		all = append(all, e.Value)
	}
	for _, d := range r.Differences {
		all = append(all, d.Jamf, d.Dialect, d.Message)
	}
	for _, s := range all {
		if strings.Contains(s, "hunter2") || strings.Contains(s, "CANARY") {
			t.Errorf("report shows a URL credential: %q", s)
		}
	}
}
