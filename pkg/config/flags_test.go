package config_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// TestOverlaySecretFlag pins the flag layer of the secrets: a secret given
// by flag replaces the config's reference for the effective challenge type
// (never resolving the reference), and reaches profile.Options as the same
// secret.Value even when secrets are otherwise withheld.
func TestOverlaySecretFlag(t *testing.T) {
	const given = "flag-given-secret"
	tests := []struct {
		name       string
		patch      []string
		flagType   string // --challenge-type, "" for none
		wantPasswd string
		wantChal   string
	}{
		{name: "dynamic: the password", wantPasswd: given},
		{name: "static by config: the challenge", patch: []string{
			"      type: dynamic-microsoft-ca\n      url: https://acme.okta.com/api/v1/certificateAuthorities/0123/registrationAuthorities/rac1/challenge\n      username: okta-abc123\n      password: env:OKTA_SCEP_PASSWORD",
			"      type: static\n      secret: env:UNSET_STATIC",
		}, wantChal: given},
		{name: "static by flag: the challenge", flagType: "static", wantPasswd: "(withheld)", wantChal: given},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			if tt.patch != nil {
				in = patch(t, tt.patch...)
			}
			c, err := config.Parse([]byte(in), "c.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var given []string
			if tt.flagType != "" {
				given = []string{"challenge-type"}
			}
			c.OverlayFlags(config.Profile{SCEP: config.SCEP{Challenge: config.Challenge{Type: tt.flagType}}}, given)
			c.OverlaySecretFlag(secret.New("flag-given-secret"), "--password-stdin")
			res := secret.Resolver{LookupEnv: func(name string) (string, bool) {
				t.Errorf("the config's reference env:%s was resolved", name)
				return "", false
			}}
			o, err := config.ProfileOptions(t.Context(), c.Profile, res, false)
			if err != nil {
				t.Fatal(err)
			}
			got := [2]string{o.Password.Reveal(), o.Challenge.Reveal()}
			if diff := cmp.Diff([2]string{tt.wantPasswd, tt.wantChal}, got); diff != "" {
				t.Errorf("password, challenge (-want +got):\n%s", diff)
			}
			if _, _, err := profile.Build(o, nil); err != nil {
				t.Errorf("Build: %v", err)
			}
		})
	}
}
