package tenant

import (
	"errors"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

func env(vars map[string]string) secret.Resolver {
	return secret.Resolver{LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
}

func TestConnectOAuthAgainstSimulator(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{Observe: jamfschema.Observer(t, "")})
	tn := config.Tenant{Name: "sim", URL: sim.URL(), Auth: config.Auth{
		ClientID: jamfsim.DefaultClientID, ClientSecret: secret.MustParseRef("env:SECRET"),
	}}
	c, err := Connect(t.Context(), tn, Options{Resolver: env(map[string]string{"SECRET": jamfsim.DefaultClientSecret})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Version(t.Context()); err != nil {
		t.Fatalf("Version through the connected client: %v", err)
	}
}

func TestConnectErrors(t *testing.T) {
	const secretValue = "hunter2-never-printed"
	tests := []struct {
		name    string
		tenant  config.Tenant
		vars    map[string]string
		want    string
		wantErr error
	}{
		{
			name:   "no url",
			tenant: config.Tenant{Name: "a"},
			want:   `tenant "a": url is empty; set tenants[].url or JAMF_URL`,
		},
		{
			name:    "no auth",
			tenant:  config.Tenant{Name: "a", URL: "https://a.jamfcloud.com"},
			want:    "set auth.client_id and auth.client_secret",
			wantErr: ErrNoAuth,
		},
		{
			name: "unset env secret",
			tenant: config.Tenant{Name: "a", URL: "https://a.jamfcloud.com", Auth: config.Auth{
				ClientID: "id", ClientSecret: secret.MustParseRef("env:MISSING"),
			}},
			want: `tenant "a": auth.client_secret (env:MISSING)`,
		},
		{
			name: "plain http to a remote host",
			tenant: config.Tenant{Name: "a", URL: "http://a.jamfcloud.com", Auth: config.Auth{
				Username: "u", Password: secret.MustParseRef("env:P"),
			}},
			vars: map[string]string{"P": secretValue},
			want: `tenant "a"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Connect(t.Context(), tt.tenant, Options{Resolver: env(tt.vars)})
			if err == nil {
				t.Fatal("Connect succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), secretValue) {
				t.Errorf("error leaks the secret: %q", err)
			}
		})
	}
}
