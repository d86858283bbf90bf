// Package iostreams owns the process's standard streams and the facts about
// them that decide how jamf-scep talks: whether stdin and stdout are
// terminals, whether prompting is allowed, and whether color is wanted.
//
// Commands never touch os.Stdin/os.Stdout/os.Stderr directly; they receive an
// *IOStreams, so tests can substitute buffers (see Test) and pretend to be a
// terminal.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// NoPromptEnv disables every interactive prompt when set to a non-empty value
// other than "0" or "false". CI=true has the same effect.
const NoPromptEnv = "JAMF_SCEP_NO_PROMPT"

// AccessibleEnv switches the setup wizard to huh's accessible mode (plain
// line-by-line prompts for screen readers and dumb terminals).
const AccessibleEnv = "JAMF_SCEP_ACCESSIBLE"

// IOStreams is the process's stdin, stdout and stderr plus what is known
// about them. The zero value is not usable; build one with System or Test.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY   bool
	stdoutTTY  bool
	stderrTTY  bool
	noPrompt   bool
	colorOff   bool
	accessible bool
	width      int // columns forced by SetTerminalWidth; 0 asks the terminal
}

// System returns streams bound to the process's standard streams, with the
// terminal facts read once from the file descriptors and the environment
// (NO_COLOR, CI, JAMF_SCEP_NO_PROMPT, JAMF_SCEP_ACCESSIBLE, TERM=dumb).
func System() *IOStreams {
	s := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	}
	s.noPrompt = truthy(os.Getenv(NoPromptEnv)) || truthy(os.Getenv("CI"))
	_, noColor := os.LookupEnv("NO_COLOR")
	s.colorOff = noColor || os.Getenv("TERM") == "dumb"
	// ACCESSIBLE is huh's own convention; JAMF_SCEP_ACCESSIBLE the tool's.
	s.accessible = truthy(os.Getenv(AccessibleEnv)) || truthy(os.Getenv("ACCESSIBLE")) || os.Getenv("TERM") == "dumb"
	return s
}

// Test returns streams over in-memory buffers, none of them a terminal.
// The returned buffers are stdin, stdout and stderr.
func Test() (s *IOStreams, stdin, stdout, stderr *bytes.Buffer) {
	stdin, stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: stdin, Out: stdout, ErrOut: stderr, colorOff: true}, stdin, stdout, stderr
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func truthy(v string) bool {
	v = strings.TrimSpace(strings.ToLower(v))
	return v != "" && v != "0" && v != "false" && v != "no"
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal: tables are aligned and
// success lines printed only then.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal (progress, the wizard).
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// SetTTY overrides the terminal facts; for tests.
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// SetNeverPrompt disables prompting (the --yes/--no-input style switch, or CI).
func (s *IOStreams) SetNeverPrompt(v bool) { s.noPrompt = v }

// CanPrompt reports whether an interactive prompt may be shown: stdin and
// stdout are terminals and prompting is not disabled by CI or
// JAMF_SCEP_NO_PROMPT. Check it before building any huh form: without a
// terminal huh fails with "could not open TTY".
func (s *IOStreams) CanPrompt() bool {
	return s.stdinTTY && s.stdoutTTY && !s.noPrompt
}

// SetColorEnabled forces color on or off (--no-color sets it off).
func (s *IOStreams) SetColorEnabled(v bool) { s.colorOff = !v }

// ColorEnabled reports whether ANSI color may be written to stdout: it is a
// terminal and neither NO_COLOR nor --no-color is set.
func (s *IOStreams) ColorEnabled() bool { return s.stdoutTTY && !s.colorOff }

// Accessible reports whether prompts should use huh's accessible mode.
func (s *IOStreams) Accessible() bool { return s.accessible }

// SetAccessible forces accessible mode; for tests and the env var.
func (s *IOStreams) SetAccessible(v bool) { s.accessible = v }

// DefaultWidth is the width assumed when no terminal can say (80 columns).
const DefaultWidth = 80

// TerminalWidth returns the width in columns of the terminal on stdout,
// or else stderr, read at each call so a resized window is followed;
// DefaultWidth when neither is a terminal or the size is unknown.
func (s *IOStreams) TerminalWidth() int {
	if s.width > 0 {
		return s.width
	}
	for _, w := range []io.Writer{s.Out, s.ErrOut} {
		if f, ok := w.(*os.File); ok && isTerminal(f) {
			if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
				return cols
			}
		}
	}
	return DefaultWidth
}

// SetTerminalWidth forces TerminalWidth (tests; 0 asks the terminal again).
func (s *IOStreams) SetTerminalWidth(cols int) { s.width = cols }
