package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// recorder is a Progress that counts events; a run refused for its input
// must report none (nothing was started, nothing sent).
type recorder struct{ events int }

func (r *recorder) Phase([]string)                 { r.events++ }
func (r *recorder) Step(string, string)            { r.events++ }
func (r *recorder) Count(string, string, int, int) { r.events++ }
func (r *recorder) Warn(string, string)            { r.events++ }
func (r *recorder) Planned(*Tenant)                { r.events++ }
func (r *recorder) Applied(*Tenant)                { r.events++ }

// TestRunRefusesBadInputBeforeAnyTenant pins that a wrong selection or an
// invalid config is an InputError naming the fix, returned before any
// tenant starts (so before any request).
func TestRunRefusesBadInputBeforeAnyTenant(t *testing.T) {
	tenant := func(name string) config.Tenant {
		return config.Tenant{Name: name, URL: "https://" + name + ".jamfcloud.com", Auth: config.Auth{ClientID: "id", ClientSecret: secret.EnvRef("SECRET")}}
	}
	valid := func(ts ...config.Tenant) *config.Config {
		return &config.Config{Version: config.Version, Profile: config.Profile{
			Name: "Okta Device Access SCEP",
			SCEP: config.SCEP{
				URL:     "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d5e6f7g8h9",
				Subject: "CN=$SERIALNUMBER",
				Challenge: config.Challenge{
					URL:      "https://acme.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/rac1a2b3c4d5e6f7g8h9/challenge",
					Username: "okta-abc123",
					Password: secret.EnvRef("OKTA"),
				},
			},
		}, Tenants: ts}
	}
	tests := []struct {
		name string
		cfg  *config.Config
		opts Options
		want string
	}{
		{name: "no tenant", cfg: valid(), want: "no Jamf Pro tenant: set JAMF_URL"},
		{name: "several tenants, none picked", cfg: valid(tenant("a"), tenant("b")), want: "the config has 2 tenants (a, b); pass --tenant NAME or --all"},
		{name: "unknown tenant", cfg: valid(tenant("a")), opts: Options{Tenants: []string{"nope"}}, want: "nope"},
		{name: "--profile-id with several tenants", cfg: valid(tenant("a"), tenant("b")), opts: Options{All: true, ProfileID: 7}, want: "--profile-id names one profile on one tenant"},
		{name: "invalid config", cfg: &config.Config{Version: config.Version, Tenants: []config.Tenant{tenant("a")}}, want: "the config has problems; nothing was sent:\nprofile.name: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			tt.opts.Parallel = 1
			res, err := Run(t.Context(), tt.cfg, tt.opts, Hooks{Progress: rec})
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run = %v (%T), want an InputError containing %q", err, err, tt.want)
			}
			if res != nil || rec.events != 0 {
				t.Errorf("a refused run started: result %v, %d progress event(s)", res, rec.events)
			}
		})
	}
}
