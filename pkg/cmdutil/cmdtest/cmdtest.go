// Package cmdtest helps test jamf-scep commands: a Factory over in-memory
// streams, and the argv -> options check every command's tests make through
// its runF (cli/cli's pattern: parse flags, run nothing).
package cmdtest

import (
	"bytes"
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// Streams are the buffers behind a test Factory's IOStreams.
type Streams struct {
	In, Out, ErrOut *bytes.Buffer
}

// Factory returns a Factory over in-memory streams (not a terminal), text
// output, a fixed clock (2026-11-30 09:00 UTC) and an environment that
// holds only env.
func Factory(env map[string]string) (*cmdutil.Factory, Streams) {
	ios, in, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Globals:   &cmdutil.Globals{Output: cmdutil.OutputText},
		Now:       func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) },
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
	}
	return f, Streams{In: in, Out: out, ErrOut: errOut}
}

// ParseArgs builds a command with newCmd, whose runF captures the options
// instead of running, executes it with args, and returns the options the
// flags produced, or the parse or validation error.
func ParseArgs[O any](newCmd func(runF func(context.Context, *O) error) *cobra.Command, args []string) (*O, error) {
	var got *O
	cmd := newCmd(func(_ context.Context, o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		return nil, err
	}
	return got, nil
}
