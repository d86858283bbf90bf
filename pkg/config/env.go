package config

import (
	"errors"
	"fmt"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// EnvVar is an environment variable jamf-scep reads, for `jamf-scep help
// environment`.
type EnvVar struct {
	Name    string
	Meaning string
}

// Environment variable names.
const (
	EnvConfig           = "JAMF_SCEP_CONFIG"
	EnvURL              = "JAMF_URL"
	EnvClientID         = "JAMF_CLIENT_ID"
	EnvClientSecret     = "JAMF_CLIENT_SECRET"
	EnvUsername         = "JAMF_USERNAME"
	EnvPassword         = "JAMF_PASSWORD"
	EnvOktaSCEPPassword = "OKTA_SCEP_PASSWORD"
)

// DefaultPath is the config file read when neither --config nor
// JAMF_SCEP_CONFIG names one; its absence is not an error.
const DefaultPath = "jamf-scep.yaml"

// DefaultTenant is the name of the tenant [ApplyEnv] creates when the
// config has none.
const DefaultTenant = "default"

// EnvVars returns the environment variables jamf-scep reads, in the order
// `help environment` lists them.
func EnvVars() []EnvVar {
	return []EnvVar{
		{EnvConfig, "config file path when --config is not given (default " + DefaultPath + " if present)"},
		{EnvURL, "Jamf Pro URL of the single tenant (overrides its url)"},
		{EnvClientID, "Jamf API client id of the single tenant"},
		{EnvClientSecret, "Jamf API client secret of the single tenant (read when needed, never stored)"},
		{EnvUsername, "Jamf Pro account of the single tenant, instead of an API client"},
		{EnvPassword, "password of that account (read when needed, never stored)"},
		{EnvOktaSCEPPassword, "Okta SCEP challenge password: sets profile.scep.challenge.password for every tenant; a tenant that names its own password in overrides keeps it"},
	}
}

// Pick returns the first set value in precedence order: flag, then
// environment, then config file, then default. "Set" means not the zero
// value. This is the one place the order is written; see the package
// documentation for the table.
func Pick[T comparable](flag, env, file, def T) T {
	var zero T
	for _, v := range []T{flag, env, file} {
		if v != zero {
			return v
		}
	}
	return def
}

// Locate returns the config path to read: the --config flag, else
// $JAMF_SCEP_CONFIG, else [DefaultPath]. explicit is false for the default,
// whose absence the caller should ignore. lookup is os.LookupEnv in
// production.
func Locate(flag string, lookup func(string) (string, bool)) (path string, explicit bool) {
	env, _ := lookup(EnvConfig)
	path = Pick(flag, env, "", DefaultPath)
	return path, flag != "" || env != ""
}

// ApplyEnv applies the environment layer to c (env beats file):
//
//   - JAMF_URL, JAMF_CLIENT_ID, JAMF_CLIENT_SECRET, JAMF_USERNAME and
//     JAMF_PASSWORD describe a single tenant. With no tenant in c, ApplyEnv
//     adds one named [DefaultTenant]; with one, they override its fields.
//     With several, JAMF_URL set is an error (an env var must not silently
//     rewrite one of many tenants); without JAMF_URL the others describe no
//     tenant and are left to the references that name them (a CI job that
//     exports JAMF_CLIENT_SECRET for client_secret: env:JAMF_CLIENT_SECRET).
//     Setting either client variable replaces user-account auth and vice
//     versa.
//   - OKTA_SCEP_PASSWORD sets profile.scep.challenge.password.
//
// Secrets are recorded as references (env:JAMF_CLIENT_SECRET), so their
// values stay in the environment until resolved. Variables set to "" count
// as unset. lookup is os.LookupEnv in production.
func ApplyEnv(c *Config, lookup func(string) (string, bool)) error {
	get := func(name string) string { v, _ := lookup(name); return v }
	url, id, sec, user, pass := get(EnvURL), get(EnvClientID), get(EnvClientSecret), get(EnvUsername), get(EnvPassword)
	if c.Version == 0 && len(c.lines) == 0 {
		c.Version = Version // a config built from the environment alone
	}
	if okta := get(EnvOktaSCEPPassword); okta != "" {
		c.Profile.SCEP.Challenge.Password = secret.EnvRef(EnvOktaSCEPPassword)
		c.markEnv("profile.scep.challenge.password", EnvOktaSCEPPassword)
	}
	if url == "" && id == "" && sec == "" && user == "" && pass == "" {
		return nil
	}
	switch len(c.Tenants) {
	case 0:
		c.Tenants = []Tenant{{Name: DefaultTenant}}
	case 1:
	default:
		if url == "" {
			// The variables describe no tenant here: a config with several
			// tenants names them in its own references
			// (client_secret: env:JAMF_CLIENT_SECRET), resolved per tenant.
			return nil
		}
		return fmt.Errorf("%s is set, which describes a single tenant, but %s lists %d tenants; unset %s to run the config's tenants (their own url and auth apply), or use a config with one tenant",
			EnvURL, cmpOr(c.source, "the config"), len(c.Tenants), EnvURL)
	}
	t := &c.Tenants[0]
	if url != "" {
		t.URL = url
		c.markEnv("tenants[0].url", EnvURL)
	}
	if id != "" || sec != "" {
		t.Auth.Username, t.Auth.Password = "", secret.Ref{}
	}
	if user != "" || pass != "" {
		if id != "" || sec != "" {
			return errors.New("set JAMF_CLIENT_ID/JAMF_CLIENT_SECRET or JAMF_USERNAME/JAMF_PASSWORD, not both")
		}
		t.Auth.ClientID, t.Auth.ClientSecret = "", secret.Ref{}
	}
	for _, f := range []struct {
		env, path string
		set       func()
		val       string
	}{
		{EnvClientID, "tenants[0].auth.client_id", func() { t.Auth.ClientID = id }, id},
		{EnvClientSecret, "tenants[0].auth.client_secret", func() { t.Auth.ClientSecret = secret.EnvRef(EnvClientSecret) }, sec},
		{EnvUsername, "tenants[0].auth.username", func() { t.Auth.Username = user }, user},
		{EnvPassword, "tenants[0].auth.password", func() { t.Auth.Password = secret.EnvRef(EnvPassword) }, pass},
	} {
		if f.val != "" {
			f.set()
			c.markEnv(f.path, f.env)
		}
	}
	return nil
}

func (c *Config) markEnv(path, env string) {
	if c.fromEnv == nil {
		c.fromEnv = map[string]string{}
	}
	c.fromEnv[path] = env
}
