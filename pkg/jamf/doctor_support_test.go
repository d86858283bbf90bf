package jamf_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

func TestReadProbesAgainstSimulator(t *testing.T) {
	all := jamfsim.AllPrivileges()
	for _, p := range jamf.ReadProbes() {
		t.Run(p.Privilege, func(t *testing.T) {
			without := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == p.Privilege })
			sim := jamfsimtest.New(t, jamfsim.Options{APIClients: []jamfsim.APIClient{{ID: "role", Secret: "role-secret", Privileges: without}}})
			sim.SeedFleet(3, 1)
			c, err := jamf.New(sim.URL(), jamf.OAuthClient("role", "role-secret"))
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			for _, q := range jamf.ReadProbes() {
				err := c.Probe(t.Context(), q)
				switch {
				case err == nil:
				case errors.Is(err, jamf.ErrForbidden):
					failed = append(failed, q.Privilege)
				default:
					t.Errorf("probe %s: unexpected error %v", q.Privilege, err)
				}
			}
			if diff := cmp.Diff([]string{p.Privilege}, failed); diff != "" {
				t.Errorf("probes refused (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadProbesCostOneRequestEach(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{})
	sim.SeedFleet(30, 1)
	c, err := jamf.New(sim.URL(), jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Authenticate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Version(t.Context()); err != nil {
		t.Fatal(err)
	}
	sim.ResetRequests()
	for _, p := range jamf.ReadProbes() {
		if err := c.Probe(t.Context(), p); err != nil {
			t.Errorf("probe %s: %v", p.Privilege, err)
		}
		if !strings.HasPrefix(p.Endpoint, "GET ") {
			t.Errorf("probe %s: Endpoint %q does not name the request", p.Privilege, p.Endpoint)
		}
	}
	var writes int
	for _, r := range sim.Requests() {
		if r.Method != "GET" {
			writes++
		}
	}
	if got, want := len(sim.Requests()), len(jamf.ReadProbes()); got != want || writes != 0 {
		t.Errorf("probes sent %d requests (%d not GET), want %d GETs", got, writes, want)
	}
}

func TestAuthenticate(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{})
	tests := []struct {
		name    string
		creds   jamf.Credentials
		wantErr error
	}{
		{"client", jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret), nil},
		{"user", jamf.UserAccount(jamfsim.DefaultUsername, jamfsim.DefaultPassword), nil},
		{"wrong client secret", jamf.OAuthClient(jamfsim.DefaultClientID, "wrong-SECRET"), jamf.ErrUnauthorized},
		{"wrong password", jamf.UserAccount(jamfsim.DefaultUsername, "wrong-SECRET"), jamf.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := jamf.New(sim.URL(), tt.creds)
			if err != nil {
				t.Fatal(err)
			}
			err = c.Authenticate(t.Context())
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Authenticate() = %v, want %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "wrong-SECRET") {
				t.Errorf("error leaks the secret")
			}
		})
	}
}
