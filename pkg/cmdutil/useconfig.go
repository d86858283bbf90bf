package cmdutil

import "github.com/jamf-scep/jamf-scep/pkg/config"

// UseConfig makes Config return cfg from now on, read from neither a file
// nor the environment: `demo` runs real commands on its in-memory config.
func (f *Factory) UseConfig(cfg *config.Config) {
	f.config, f.configErr, f.loaded = cfg, nil, true
	f.noteDialects(cfg)
}
