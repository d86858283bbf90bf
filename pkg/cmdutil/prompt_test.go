package cmdutil

import (
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// TestPrompterRequire pins the one consent rule every command uses
// (apply, scope add/remove/set, doctor --enroll-test).
func TestPrompterRequire(t *testing.T) {
	tests := []struct {
		name   string
		yes    bool
		tty    bool
		answer string
		want   int // exit code of the error
	}{
		{name: "--yes consents without a terminal", yes: true},
		{name: "no terminal, no --yes: usage error naming --yes", want: ExitUsage},
		{name: "terminal, yes", tty: true, answer: "yes\n"},
		{name: "terminal, y", tty: true, answer: "y\n"},
		{name: "terminal, no cancels", tty: true, answer: "no\n", want: ExitCancelled},
		{name: "terminal, empty answer cancels", tty: true, answer: "\n", want: ExitCancelled},
		{name: "terminal, end of input cancels", tty: true, want: ExitCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, in, _, errOut := iostreams.Test()
			ios.SetTTY(tt.tty, tt.tty, tt.tty)
			ios.SetAccessible(true)
			in.WriteString(tt.answer)
			f := &Factory{IOStreams: ios}
			err := f.Prompter().Require(t.Context(), tt.yes, "when not running interactively", "Write it?")
			if got := ExitCode(err); got != tt.want {
				t.Fatalf("exit code %d (%v), want %d", got, err, tt.want)
			}
			if tt.want == ExitUsage && !strings.Contains(err.Error(), "--yes required when not running interactively") {
				t.Errorf("error %q does not name --yes", err)
			}
			if asked := strings.Contains(errOut.String(), "Write it?"); asked != (tt.tty && !tt.yes) {
				t.Errorf("question on stderr = %v, want %v:\n%s", asked, tt.tty && !tt.yes, errOut)
			}
		})
	}
}
