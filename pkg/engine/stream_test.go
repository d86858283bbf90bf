package engine

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// exchanges is the request log of several simulators in one order: each
// line is "tenant METHOD path", appended when the simulator answered.
type exchanges struct {
	mu    sync.Mutex
	lines []string
}

func (x *exchanges) observe(tenant string, after func(r *http.Request)) func(*http.Request, int, http.Header, []byte) {
	return func(r *http.Request, _ int, _ http.Header, _ []byte) {
		x.mu.Lock()
		x.lines = append(x.lines, tenant+" "+r.Method+" "+r.URL.Path)
		x.mu.Unlock()
		if after != nil {
			after(r)
		}
	}
}

// index returns the position of the first line with prefix, or -1.
func (x *exchanges) index(prefix string) int {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, l := range x.lines {
		if strings.HasPrefix(l, prefix) {
			return i
		}
	}
	return -1
}

// quiet is a Progress that shows nothing (and so is safe for concurrent
// use, as Progress must be).
type quiet struct{}

func (quiet) Phase([]string)                 {}
func (quiet) Step(string, string)            {}
func (quiet) Count(string, string, int, int) {}
func (quiet) Warn(string, string)            {}
func (quiet) Planned(*Tenant)                {}
func (quiet) Applied(*Tenant)                {}

// gate holds the requests sent to one host until it is opened.
type gate struct {
	host string
	open chan struct{}
	once sync.Once
	base http.RoundTripper
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == g.host {
		select {
		case <-g.open:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return g.base.RoundTrip(r)
}

// TestApplyStreamsEachTenant pins that apply without a question writes a
// tenant as soon as its own plan is ready: tenant b's requests are held
// until tenant a's write has been answered, so b's plan can only finish
// after a's write. The old runner (every plan, then every write) would
// wait for b's plan before writing a; the gate's fallback then lets b go
// and the log shows b first, failing the test instead of hanging it.
func TestApplyStreamsEachTenant(t *testing.T) {
	log := &exchanges{}
	g := &gate{open: make(chan struct{}), base: http.DefaultTransport}
	const write = "POST /jamf/JSSResource/osxconfigurationprofiles"
	simA := jamfsimtest.New(t, jamfsim.Options{Observe: log.observe("a", func(r *http.Request) {
		if r.Method+" "+r.URL.Path == write+"/id/0" {
			g.release()
		}
	})})
	simB := jamfsimtest.New(t, jamfsim.Options{Observe: log.observe("b", nil)})
	for _, s := range []*jamfsim.Server{simA, simB} {
		s.SeedFleet(12, 1)
	}
	g.host = strings.TrimPrefix(strings.TrimSuffix(simB.URL(), "/jamf/"), "http://")
	// Not an assertion: only keeps the old runner's deadlock from hanging
	// the test until go test's own timeout.
	fallback := time.AfterFunc(30*time.Second, g.release)
	defer fallback.Stop()

	cfg := simConfig(simA, simB)
	env := map[string]string{"SECRET": jamfsim.DefaultClientSecret, "OKTA": "okta-password-in-test"}
	res, err := Run(t.Context(), cfg, Options{
		Apply: true, All: true, Parallel: 2, Redeploy: jamf.RedeployNewlyAssigned,
		Resolver:      secret.Resolver{LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }},
		ClientOptions: []jamf.Option{jamf.WithHTTPClient(&http.Client{Transport: g}), jamf.WithRetryPolicy(jamf.RetryPolicy{MaxAttempts: 1})},
	}, Hooks{Progress: quiet{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range res.Report().Tenants {
		got = append(got, tr.Tenant+" "+tr.Result)
	}
	if diff := cmp.Diff([]string{"a " + plan.ResultApplied, "b " + plan.ResultApplied}, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	aWrite, bFirst := log.index("a "+write), log.index("b ")
	if aWrite < 0 || bFirst < 0 || aWrite > bFirst {
		t.Errorf("tenant a's write at %d, tenant b's first request at %d of the log: a waited for b's plan\n%s",
			aWrite, bFirst, strings.Join(log.lines, "\n"))
	}
}

// simConfig is a valid config with one tenant per simulator, named a, b...
func simConfig(sims ...*jamfsim.Server) *config.Config {
	cfg := &config.Config{
		Version: config.Version,
		Profile: config.Profile{
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
		},
		Scope: config.Scope{ComputerGroups: []string{jamfsim.FleetPilotGroup}},
	}
	for i, s := range sims {
		cfg.Tenants = append(cfg.Tenants, config.Tenant{
			Name: string(rune('a' + i)), URL: s.URL(),
			Auth: config.Auth{ClientID: jamfsim.DefaultClientID, ClientSecret: secret.EnvRef("SECRET")},
		})
	}
	return cfg
}
