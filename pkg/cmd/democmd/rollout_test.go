package democmd

import (
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

func TestRunRollout(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputText}, Now: time.Now,
		LookupEnv: func(string) (string, bool) { return "", false },
	}
	if err := run(t.Context(), &Options{F: f, Rollout: true}); err != nil {
		t.Fatalf("Run: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	// The gate holds while MAC-03 is offline, the capped step names what
	// remains, and the rollout reaches everyone.
	for _, want := range []string{
		"advance: blocked, the gate of stage pilot is not met",
		"demo: advanced to hq: 2 Mac(s) added, 2 remain for later steps",
		"demo: advanced to everyone: 1 Mac(s) added",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"MAC-03 is back online", "Exit 8", "Exit 9: nothing left"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestRolloutSampleConfigValidates(t *testing.T) {
	if err := rolloutSampleConfig("http://127.0.0.1:1/jamf/").Validate(); err != nil {
		t.Fatalf("the demo's rollout config is invalid: %v", err)
	}
}
