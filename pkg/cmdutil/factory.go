// Package cmdutil holds what every jamf-scep command shares: the Factory of
// lazily built dependencies, the global flag values, the error vocabulary
// and its exit codes, and output helpers (JSON, tables).
package cmdutil

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
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
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
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
