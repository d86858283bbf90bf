package verify_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// TestTargetOf pins the one reading of a stored profile that verify's
// Collect and the rollout share: the plist's PayloadIdentifier, Subject and
// window, or general/uuid and the fallback window when it does not decode.
func TestTargetOf(t *testing.T) {
	const ca = "0123456789abcdef0123456789abcdef01234567"
	p, _, err := profile.Build(profile.Options{
		Name:             "Okta Device Access SCEP",
		Identifier:       "com.acme.okta-device-access",
		SCEPURL:          "https://acme.okta.com/pki/" + ca + "/scep/racAbC123",
		ChallengeURL:     "https://acme.okta.com/api/v1/certificateAuthorities/" + ca + "/registrationAuthorities/racAbC123/challenge",
		Username:         "okta-abc123",
		Password:         secret.New("not-a-real-password"),
		RedistributeDays: 21,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := p.MarshalWire(profile.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	general := func(payloads string) *jamf.Profile {
		return &jamf.Profile{General: jamf.General{ID: 7, Name: "ODA", UUID: "UUID-7", Payloads: payloads}}
	}
	tests := []struct {
		name    string
		stored  *jamf.Profile
		want    verify.Target
		wantErr string
	}{
		{
			name:   "decodes",
			stored: general(string(wire)),
			want: verify.Target{
				ID: 7, Name: "ODA", PayloadIdentifier: p.PayloadIdentifier, Subject: p.SCEP.Content.Subject,
				RedistributeDays: 21, // the plist's window, not the fallback
			},
		},
		{
			name:    "undecodable",
			stored:  general("<plist><dict>"),
			want:    verify.Target{ID: 7, Name: "ODA", PayloadIdentifier: "UUID-7", RedistributeDays: 45},
			wantErr: `profile "ODA" (id 7): cannot read its SCEP payload`,
		},
	}
	for _, tt := range tests {
		got, err := verify.TargetOf(tt.stored, profile.DefaultDialect(), 45)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: TargetOf (-want +got):\n%s", tt.name, diff)
		}
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
}
