package initcmd

import (
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// TestChallengeURLGateMatchesBuild pins that the wizard judges the Okta
// URLs with the one comparison Build warns with (profile.OktaURLDifferences):
// it refuses exactly the pairs that differ.
func TestChallengeURLGateMatchesBuild(t *testing.T) {
	const (
		ca      = "0123456789abcdef0123456789abcdef01234567"
		otherCA = "fedcba9876543210fedcba9876543210fedcba98"
	)
	scep := func(host, ca, ra string) string { return "https://" + host + "/pki/" + ca + "/scep/" + ra }
	chal := func(host, ca, ra string) string {
		return "https://" + host + "/api/v1/certificateAuthorities/" + ca + "/registrationAuthorities/" + ra + "/challenge"
	}
	tests := []struct {
		name     string
		scep, ch string
		refused  bool
	}{
		{"same", scep("acme.okta.com", ca, "rac1"), chal("acme.okta.com", ca, "rac1"), false},
		{"CA differs", scep("acme.okta.com", ca, "rac1"), chal("acme.okta.com", otherCA, "rac1"), true},
		{"RA differs", scep("acme.okta.com", ca, "rac1"), chal("acme.okta.com", ca, "rac2"), true},
		{"host differs", scep("acme.okta.com", ca, "rac1"), chal("other.okta.com", ca, "rac1"), true},
		{"not Okta shaped, same host", "https://acme.okta.com/certsrv/mscep/mscep.dll", chal("acme.okta.com", ca, "rac1"), false},
		{"not Okta shaped, other host", "https://scep.example.com/certsrv/mscep/mscep.dll", chal("acme.okta.com", ca, "rac1"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(profile.OktaURLDifferences(tt.scep, tt.ch)) > 0; got != tt.refused {
				t.Fatalf("OktaURLDifferences reports a difference = %v, want %v", got, tt.refused)
			}
			opts := profile.Options{
				Name: "Okta Device Access SCEP", SCEPURL: tt.scep, ChallengeURL: tt.ch,
				ChallengeType: profile.ChallengeDynamicMicrosoftCA, Username: "okta-abc123",
			}
			err := challengeURLError(opts, nil, "Challenge URL")
			if (err != nil) != tt.refused {
				t.Errorf("challengeURLError = %v, want refused %v", err, tt.refused)
			}
		})
	}
}
