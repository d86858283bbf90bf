package doctor

import (
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Env holds what the checks depend on. Every field is required except
// where noted; tests pass fakes.
type Env struct {
	// Now is the clock (certificate validity, clock skew, test enrollment).
	Now func() time.Time
	// Resolver resolves secret references (env:, file:, keychain:).
	Resolver secret.Resolver
	// Secrets, when set, records every secret value the checks resolve or
	// fetch, for RunOptions.Secrets to redact from every result.
	Secrets *Secrets
	// Connect builds a Jamf Pro client for a tenant without sending
	// anything (tenant.Connect in production).
	Connect func(ctx context.Context, t config.Tenant) (*jamf.Client, error)
	// HTTPClient sends the SCEP and Challenge URL requests
	// (scepcheck.NewHTTPClient in production).
	HTTPClient *http.Client
	// Network is used to tell DNS, TLS and HTTP failures of a Jamf Pro URL
	// apart; the zero value uses the system's.
	Network Network
	// Dialect is how Jamf stores its own SCEP settings, for every profile;
	// nil loads each effective profile's with config.DialectFor
	// (DialectFile, else its jamf_dialect, else the embedded default), as
	// plan and apply do.
	Dialect *profile.Dialect
	// Random supplies the made-up Mac's unique values for --enroll-test;
	// nil means crypto/rand.Reader.
	Random io.Reader
	// GenerateKey makes the test enrollment's RSA key of the given bits;
	// nil means a fresh key from crypto/rand, which doctor must use
	// (tests share one to stay fast).
	GenerateKey func(bits int) (*rsa.PrivateKey, error)
	// DialectFile is --jamf-dialect; "" means the config's.
	DialectFile string
}

// Options are the checks with side effects, off unless asked for.
type Options struct {
	// FetchChallenge fetches one challenge from the Okta Challenge URL. It
	// stays valid, unused, until it expires, unless EnrollTest uses it;
	// CAs that cap unused challenges (Microsoft NDES) count it until then.
	FetchChallenge bool
	// EnrollTest fetches one challenge (dynamic mode; the same one as
	// FetchChallenge) and runs a real SCEP enrollment with it, which makes
	// the CA issue a certificate. The caller must have the user's consent.
	EnrollTest bool
}

// SkewLimit is the clock difference doctor tolerates: with Jamf Pro's
// clock above it the clock check warns, and a test-enrolled certificate
// may start up to this far in the future (the CA's clock ahead of this
// machine's). Certificates and tokens carry validity times, and a Mac or
// an admin workstation that far off sees them as not yet valid or expired.
const SkewLimit = 5 * time.Minute

// target is one distinct effective profile and the tenants that use it.
type target struct {
	label   string         // "" for the only one, else " (tenant, tenant)"
	cfg     config.Profile // as configured, secrets as references
	prof    *profile.Profile
	opts    profile.Options
	dialect *profile.Dialect // the effective profile's (config.DialectFor)
	finding profile.Findings
	err     error // the profile did not build
}

// Checks returns the groups doctor runs for cfg (already parsed) and the
// selected tenants, in display order: config, then each tenant, then each
// distinct Okta SCEP configuration. Building the list does no I/O.
func Checks(cfg *config.Config, tenants []config.Tenant, env Env, opts Options) []Group {
	targets, byTenant := buildTargets(cfg, tenants, env)

	cfgGroup := Group{Name: "config", Checks: []Check{
		{Name: "config", Gate: true, Local: true, Run: func(context.Context) []check.Result { return []check.Result{checkConfig(cfg, tenants)} }},
		{Name: "secrets", Local: true, Run: func(ctx context.Context) []check.Result {
			return []check.Result{checkSecrets(ctx, cfg, tenants, env.Resolver, env.Secrets)}
		}},
	}}
	for _, t := range targets {
		cfgGroup.Checks = append(cfgGroup.Checks, Check{Name: "profile" + t.label, Run: func(context.Context) []check.Result { return profileResults(t) }})
	}
	groups := []Group{cfgGroup}
	for _, t := range tenants {
		eff, err := cfg.Effective(t.Name)
		if err != nil {
			groups = append(groups, Group{Name: t.Name, Checks: []Check{{Name: "jamf " + t.Name, Run: func(context.Context) []check.Result {
				return []check.Result{{Status: check.Fail, Message: err.Error(), Fix: "fix the tenant's overrides in the config"}}
			}}}})
			continue
		}
		groups = append(groups, jamfGroup(eff, byTenant[t.Name], env))
	}
	for _, t := range targets {
		groups = append(groups, oktaGroup(t, env, opts))
	}
	return groups
}

// buildTargets builds the base profile when no tenant is selected, else
// each selected tenant's effective profile, keeping one target per distinct
// profile so that Okta is asked once per SCEP configuration.
func buildTargets(cfg *config.Config, tenants []config.Tenant, env Env) ([]*target, map[string]*target) {
	var targets []*target
	byTenant := map[string]*target{}
	var users [][]string
	add := func(p config.Profile, tenant string) *target {
		for i, t := range targets {
			if reflect.DeepEqual(t.cfg, p) {
				if tenant != "" {
					users[i] = append(users[i], tenant)
				}
				return t
			}
		}
		t := &target{cfg: p, dialect: env.Dialect}
		if t.dialect == nil {
			t.dialect, t.err = config.DialectFor(env.DialectFile, p)
		}
		// Secrets stay unresolved here: the secrets check resolves them,
		// and the profile needs only to know they are set.
		if t.err == nil {
			t.opts, t.err = config.ProfileOptions(context.Background(), p, secret.Resolver{}, false)
		}
		if t.err == nil {
			t.prof, t.finding, t.err = profile.Build(t.opts, t.dialect)
		}
		targets = append(targets, t)
		var u []string
		if tenant != "" {
			u = []string{tenant}
		}
		users = append(users, u)
		return t
	}
	if len(tenants) == 0 {
		add(cfg.Profile, "")
	}
	for _, tn := range tenants {
		eff, err := cfg.Effective(tn.Name)
		if err != nil {
			continue
		}
		byTenant[tn.Name] = add(eff.Profile, tn.Name)
	}
	if len(targets) > 1 {
		for i, t := range targets {
			t.label = " (" + strings.Join(users[i], ", ") + ")"
		}
	}
	return targets, byTenant
}

// checkConfig validates the parsed config: required fields, URLs, ranges.
func checkConfig(cfg *config.Config, tenants []config.Tenant) check.Result {
	src := cmpOr(cfg.Source(), "environment and defaults")
	if err := cfg.Validate(); err != nil {
		r := check.Result{Status: check.Fail, Message: src + " has problems", Fix: "fix each field listed, then run doctor again", Err: err}
		for _, line := range strings.Split(err.Error(), "\n") {
			if line != "" {
				r.Details = append(r.Details, check.Detail{Name: "problem", Value: line})
			}
		}
		if len(r.Details) == 1 {
			r.Message = r.Details[0].Value
		}
		return r
	}
	return check.Result{Status: check.Pass, Message: fmt.Sprintf("%s is valid; %d tenant(s) selected", src, len(tenants))}
}

// checkSecrets resolves every secret reference the run needs, without
// printing a value: the profile's challenge password or static challenge
// and each selected tenant's credentials and overrides.
func checkSecrets(ctx context.Context, cfg *config.Config, tenants []config.Tenant, res secret.Resolver, found *Secrets) check.Result {
	type ref struct {
		field string
		ref   secret.Ref
	}
	var refs []ref
	addProfile := func(prefix string, p config.Profile) {
		refs = append(refs,
			ref{prefix + "scep.challenge.password", p.SCEP.Challenge.Password},
			ref{prefix + "scep.challenge.secret", p.SCEP.Challenge.Secret})
	}
	addProfile("profile.", cfg.Profile)
	for i, t := range cfg.Tenants {
		if !selected(tenants, t.Name) {
			continue
		}
		p := fmt.Sprintf("tenants[%d].", i)
		refs = append(refs, ref{p + "auth.client_secret", t.Auth.ClientSecret}, ref{p + "auth.password", t.Auth.Password})
		addProfile(p+"overrides.profile.", t.Overrides.Profile)
	}
	r := check.Result{Status: check.Pass}
	var bad, good int
	for _, x := range refs {
		if x.ref.IsZero() {
			continue
		}
		v, err := res.Resolve(ctx, x.ref)
		if err != nil {
			bad++
			r.Details = append(r.Details, check.Detail{Name: x.field, Value: err.Error()})
			continue
		}
		good++
		found.Add(v.Reveal())
		r.Details = append(r.Details, check.Detail{Name: x.field, Value: x.ref.String() + ": resolves"})
	}
	switch {
	case bad > 0:
		r.Status = check.Fail
		r.Message = fmt.Sprintf("%d of %d secret reference(s) do not resolve", bad, bad+good)
		r.Fix = "set the variable, create the file (chmod 600) or the keychain item each reference names; values are never printed"
		r.Err = fmt.Errorf("%w: %s", config.ErrInvalid, r.Message)
	case good == 0:
		r.Message = "no secret references to resolve"
	default:
		r.Message = fmt.Sprintf("all %d secret reference(s) resolve (values not shown)", good)
	}
	return r
}

func selected(tenants []config.Tenant, name string) bool {
	for _, t := range tenants {
		if t.Name == name {
			return true
		}
	}
	return false
}

// profileResults turns a profile build into one result per finding, so
// each carries its own fix; a clean build is one pass.
func profileResults(t *target) []check.Result {
	if t.prof == nil && len(t.finding) == 0 {
		msg := "the profile was not built"
		if t.err != nil {
			msg = t.err.Error()
		}
		return []check.Result{{Status: check.Fail, Message: msg, Fix: "fix the profile section of the config", Err: t.err}}
	}
	var out []check.Result
	for _, f := range t.finding {
		r := check.Result{Message: f.Path + ": " + f.Message, Fix: f.Fix}
		switch f.Severity {
		case profile.SeverityError:
			r.Status = check.Fail
		case profile.SeverityWarning:
			r.Status = check.Warn
		default:
			r.Status = check.Info
		}
		out = append(out, r)
	}
	if t.prof != nil && Worst(out) != check.Fail {
		c := t.prof.SCEP.Content
		out = append([]check.Result{{Status: check.Pass, Message: fmt.Sprintf("%q builds: Subject %s, %d-bit key", t.prof.PayloadDisplayName, c.Subject, deref(c.Keysize))}}, out...)
	}
	return out
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
