// Package tenant connects a configured Jamf Pro tenant: it resolves the
// tenant's secret references and builds one *jamf.Client for it, with the
// tool's User-Agent and debug logger. Every command that talks to Jamf Pro
// goes through Connect, so credentials are handled in one place.
package tenant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/build"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Options tune Connect. The zero value is ready to use.
type Options struct {
	// Resolver resolves secret references; the zero Resolver reads the
	// process environment, files and the OS keychain.
	Resolver secret.Resolver
	// Logger receives the client's debug records (nil: discard).
	Logger *slog.Logger
	// ClientOptions are appended to the client's options (tests pass
	// jamf.WithRetryPolicy or jamf.WithHTTPClient).
	ClientOptions []jamf.Option
	// CacheDir holds the remembered node affinity (see AffinityTTL); ""
	// means the user cache directory's jamf-scep folder. Set NoAffinity to
	// remember nothing.
	CacheDir   string
	NoAffinity bool
	// Now is the clock for the affinity window; nil means time.Now.
	Now func() time.Time
}

// ErrNoAuth is returned for a tenant without usable credentials.
var ErrNoAuth = errors.New("no credentials")

// configError is a tenant's url or auth that cannot be used: a reference
// that does not resolve, missing credentials, a bad url. It matches
// config.ErrInvalid, so every command exits with the usage code for it
// (nothing was sent), and keeps its own text.
type configError struct{ err error }

func (e *configError) Error() string        { return e.err.Error() }
func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == config.ErrInvalid }

// Connect resolves t's credentials and returns a client for t.URL. It
// sends nothing: the first request fetches the token. Errors name the
// tenant and the config field (tenants[].auth.client_secret ...), never
// contain a secret value, and match config.ErrInvalid (errors.Is): each is
// the config's, found before anything was sent. The caller closes the
// client (Close invalidates a user-account token).
func Connect(ctx context.Context, t config.Tenant, opts Options) (*jamf.Client, error) {
	c, err := connect(ctx, t, opts)
	if err != nil {
		return nil, &configError{err}
	}
	return c, nil
}

func connect(ctx context.Context, t config.Tenant, opts Options) (*jamf.Client, error) {
	if t.URL == "" {
		return nil, fmt.Errorf("tenant %q: url is empty; set tenants[].url or %s", t.Name, config.EnvURL)
	}
	var creds jamf.Credentials
	switch t.Auth.Kind() {
	case config.AuthClient:
		v, err := opts.Resolver.Resolve(ctx, t.Auth.ClientSecret)
		if err != nil {
			return nil, fmt.Errorf("tenant %q: auth.client_secret (%s): %w", t.Name, t.Auth.ClientSecret, err)
		}
		creds = jamf.OAuthClient(t.Auth.ClientID, v.Reveal())
	case config.AuthUser:
		v, err := opts.Resolver.Resolve(ctx, t.Auth.Password)
		if err != nil {
			return nil, fmt.Errorf("tenant %q: auth.password (%s): %w", t.Name, t.Auth.Password, err)
		}
		creds = jamf.UserAccount(t.Auth.Username, v.Reveal())
	default:
		return nil, fmt.Errorf("tenant %q: %w: set auth.client_id and auth.client_secret (an API client), or auth.username and auth.password; or %s/%s",
			t.Name, ErrNoAuth, config.EnvClientID, config.EnvClientSecret)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	base, err := url.Parse(t.URL)
	if err != nil {
		return nil, fmt.Errorf("tenant %q: url: %w", t.Name, err)
	}
	dir, now := opts.CacheDir, opts.Now
	switch {
	case opts.NoAffinity:
		dir = ""
	case dir == "":
		dir = cacheDir()
	}
	if now == nil {
		now = time.Now
	}
	all := append([]jamf.Option{
		jamf.WithUserAgent(build.UserAgent()),
		jamf.WithLogger(logger.With("tenant", t.Name)),
		jamf.WithHTTPClient(&http.Client{Jar: newAffinityJar(base, dir, now)}),
	}, opts.ClientOptions...)
	c, err := jamf.New(t.URL, creds, all...)
	if err != nil {
		return nil, fmt.Errorf("tenant %q: %w", t.Name, err)
	}
	return c, nil
}
