package cmdutil

import (
	"sync"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// CaptureRule is the secret rule a --capture masks stored profiles with
// (profile.SecretRule): every key that LooksSecret, the embedded dialect's
// password key, and the password key of each dialect the run names
// (--jamf-dialect, profile.jamf_dialect, a tenant's overrides), so that a
// dialect that stores the SCEP password under its own key never leaves it
// in a capture file. It grows as the run loads configs (the Factory adds
// each one) and is safe for concurrent use.
type CaptureRule struct {
	mu       sync.Mutex
	paths    map[string]bool
	dialects []*profile.Dialect
}

// NewCaptureRule returns a rule with the embedded dialect only.
func NewCaptureRule() *CaptureRule {
	return &CaptureRule{paths: map[string]bool{}, dialects: []*profile.Dialect{profile.DefaultDialect()}}
}

// AddDialect adds the dialect file at path (config.LoadDialect; "" is the
// embedded one, already in). A file that does not load adds nothing: the
// command that reads it reports why.
func (r *CaptureRule) AddDialect(path string) {
	if path == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paths[path] {
		return
	}
	r.paths[path] = true
	if d, err := config.LoadDialect(path); err == nil {
		r.dialects = append(r.dialects, d)
	}
}

// AddConfig adds every dialect cfg names: the profile's and each tenant's
// override. A nil cfg adds nothing.
func (r *CaptureRule) AddConfig(cfg *config.Config) {
	if cfg == nil {
		return
	}
	r.AddDialect(cfg.Profile.JamfDialect)
	for _, t := range cfg.Tenants {
		r.AddDialect(t.Overrides.Profile.JamfDialect)
	}
}

// Rule returns the rule as it stands.
func (r *CaptureRule) Rule() profile.SecretRule {
	r.mu.Lock()
	defer r.mu.Unlock()
	return profile.NewSecretRule(r.dialects...)
}

// Masker returns the jamf.PlistMasker for jamf.NewCapture: each stored
// profile is masked with the rule as it stands when the answer arrives
// (profile.CapturePlistMasker).
func (r *CaptureRule) Masker() jamf.PlistMasker {
	return func(text string) (string, []string, error) {
		return profile.CapturePlistMasker(r.Rule())(text)
	}
}
