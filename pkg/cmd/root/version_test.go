package root

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// run executes a fresh command tree with args and returns its stdout.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios, Globals: &cmdutil.Globals{}, Now: time.Now,
		LookupEnv: func(string) (string, bool) { return "", false },
	}
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(&bytes.Buffer{})
	err := root.Execute()
	return out.String(), err
}

// TestVersionFlagMatchesCommand pins that `--version`, `-v` and `version`
// print the same line: version, commit, date, Go version and platform.
func TestVersionFlagMatchesCommand(t *testing.T) {
	want, err := run(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"jamf-scep ", "commit ", "built ", "go1.", "/"} {
		if !strings.Contains(want, field) {
			t.Errorf("version output %q lacks %q", want, field)
		}
	}
	for _, args := range [][]string{{"--version"}, {"-v"}} {
		got, err := run(t, args...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s output differs from `version` (-version +%s):\n%s", args[0], args[0], diff)
		}
	}
}
