// Package cmdutil holds what every jamf-scep command shares: the Factory of
// lazily built dependencies, the global flag values, the error vocabulary
// and its exit codes (with the one Jamf error mapping, JamfError, and
// EngineError for pkg/engine), the shared flags, the one Prompter, output
// helpers (JSON, tables, the doctor checklist), and the runs several
// commands start: PlanApply (plan, apply, demo, init), Rings (rollout,
// demo --rollout) and Doctor (doctor, init).
package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// Output formats accepted by the global -o/--output flag.
const (
	OutputText = "text"
	OutputJSON = "json"
	OutputCSV  = "csv" // only where a command says so (verify)
)

// Globals are the values of the root command's persistent flags. They are
// filled by cobra before any command's RunE runs.
type Globals struct {
	// ConfigPath is --config (or JAMF_SCEP_CONFIG); empty means no file.
	ConfigPath string
	// Output is -o/--output: "text" (default) or "json".
	Output string
	// Debug is --debug: log HTTP method, path, status and timing to stderr,
	// every secret redacted.
	Debug bool
	// NoColor is --no-color (NO_COLOR in the environment has the same effect).
	NoColor bool
	// Capture is --capture: a directory that receives every Jamf response
	// of the run, sanitized (jamf.Capture); empty means none.
	Capture string
}

// JSON reports whether machine-readable JSON output was asked for.
func (g *Globals) JSON() bool { return g.Output == OutputJSON }

// Factory builds the dependencies commands need, lazily, so that offline
// commands never construct an HTTP client or ask for credentials.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Globals   *Globals
	// Now is the clock; tests replace it.
	Now func() time.Time
	// LookupEnv reads the environment (os.LookupEnv); tests replace it.
	LookupEnv func(string) (string, bool)

	// Capture receives every Jamf response of the run (--capture; set by
	// the root command before any command runs); nil means none.
	Capture *jamf.Capture
	// CaptureRule is the secret rule Capture masks stored profiles with;
	// every config the Factory loads adds its dialects. Nil without
	// --capture.
	CaptureRule *CaptureRule

	config    *config.Config
	configErr error
	loaded    bool
	warned    *sync.Map // progress warnings shown, by tenant and text; see warnedSet
	// noFile is the default config path, made absolute, when no config
	// file was named and none exists there.
	noFile string
}

// ForConfig returns a Factory for the config file at path, with the
// global flags at their defaults, as `jamf-scep <command> --config path`
// would have them; streams, clock, environment and --capture are f's. The
// setup wizard runs doctor, plan and apply on the config it wrote with it.
func (f *Factory) ForConfig(path string) *Factory {
	return &Factory{
		IOStreams:   f.IOStreams,
		Globals:     &Globals{ConfigPath: path, Output: OutputText},
		Now:         f.Now,
		LookupEnv:   f.LookupEnv,
		Capture:     f.Capture,
		CaptureRule: f.CaptureRule,
		warned:      f.warnedSet(),
	}
}

// warnedSet returns the set of progress warnings this process has shown,
// shared with the Factories ForConfig makes, so a run repeated in one
// process (demo's second run, the wizard's plan then apply) does not
// repeat them. Call it before any goroutine uses the Factory.
func (f *Factory) warnedSet() *sync.Map {
	if f.warned == nil {
		f.warned = &sync.Map{}
	}
	return f.warned
}

// ClientOptions returns the options every Jamf client of the run gets:
// with --capture, the one jamf.Capture all of them record into.
func (f *Factory) ClientOptions() []jamf.Option {
	if f.Capture == nil {
		return nil
	}
	return []jamf.Option{jamf.WithCapture(f.Capture)}
}

// Config returns the configuration: the file named by --config or
// JAMF_SCEP_CONFIG (an error if missing), else ./jamf-scep.yaml when it
// exists, else an empty config; then the environment layer
// (config.ApplyEnv: JAMF_URL, JAMF_CLIENT_ID, ...). The result is parsed but
// not validated (flags may still complete it) and cached for the run.
func (f *Factory) Config() (*config.Config, error) {
	if f.loaded {
		return f.config, f.configErr
	}
	f.loaded = true
	f.config, f.configErr = f.loadConfig()
	return f.config, f.configErr
}

// TenantConfig is Config for the commands that need a tenant (plan,
// apply, doctor, verify, scope, profile pull, config validate): when no
// config file was named or found and the environment describes no tenant
// (JAMF_URL ...), the error says so, names where jamf-scep looked, and
// points to `jamf-scep init` and --config, instead of a complaint about a
// missing url.
func (f *Factory) TenantConfig() (*config.Config, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	if f.noFile != "" && len(cfg.Tenants) == 0 {
		return nil, &UsageError{Err: &NoConfigError{Looked: f.noFile}}
	}
	return cfg, nil
}

// NoConfigError is TenantConfig's error on a first run: no config file
// named, none at the default path, no tenant in the environment.
type NoConfigError struct {
	Looked string // the absolute default path that does not exist
}

func (e *NoConfigError) Error() string {
	return fmt.Sprintf("no config file: none was named (--config, %s) and there is no %s in this folder (looked for %s); run `jamf-scep init` to write one, or pass --config FILE",
		config.EnvConfig, config.DefaultPath, e.Looked)
}

func (f *Factory) loadConfig() (*config.Config, error) {
	lookup := f.LookupEnv
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	path, explicit := config.Locate(f.Globals.ConfigPath, lookup)
	var cfg *config.Config
	switch _, statErr := os.Stat(path); {
	case statErr == nil:
		c, err := config.Load(path)
		if err != nil {
			return nil, &UsageError{Err: err}
		}
		cfg = c
	case explicit:
		return nil, UsageErrorf("config file %s: %v; check --config or %s", path, errors.Unwrap(statErr), config.EnvConfig)
	default:
		cfg = &config.Config{}
		f.noFile = path
		if abs, err := filepath.Abs(path); err == nil {
			f.noFile = abs
		}
	}
	if err := config.ApplyEnv(cfg, lookup); err != nil {
		return nil, &UsageError{Err: err}
	}
	f.noteDialects(cfg)
	return cfg, nil
}

// noteDialects tells the capture, if any, which dialects cfg names.
func (f *Factory) noteDialects(cfg *config.Config) {
	if f.CaptureRule != nil {
		f.CaptureRule.AddConfig(cfg)
	}
}

// Logger returns the debug logger: text records on stderr when --debug is
// set, a logger that discards everything otherwise. Values that implement
// slog.LogValuer (secrets) redact themselves.
func (f *Factory) Logger() *slog.Logger {
	if f.Globals == nil || !f.Globals.Debug {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(f.IOStreams.ErrOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Warnf prints a one-line warning on stderr.
func (f *Factory) Warnf(format string, args ...any) {
	fmt.Fprintf(f.IOStreams.ErrOut, "warning: "+format+"\n", args...)
}

// Successf prints a success line on stderr, only when stdout is a terminal
// (scripts get data, not decoration).
func (f *Factory) Successf(format string, args ...any) {
	if f.IOStreams.IsStdoutTTY() {
		fmt.Fprintf(f.IOStreams.ErrOut, format+"\n", args...)
	}
}

// Stdout is a shorthand for f.IOStreams.Out.
func (f *Factory) Stdout() io.Writer { return f.IOStreams.Out }

// AnnotationCSV is the command annotation that, set to "true", allows -o csv.
const AnnotationCSV = "jamf-scep/output-csv"
