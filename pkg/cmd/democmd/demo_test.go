package democmd

import (
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

func TestRun(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputText}, Now: time.Now,
		LookupEnv: func(string) (string, bool) { return "", false },
	}
	if err := run(t.Context(), &Options{F: f}); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, errOut)
	}
	for _, want := range []string{`+ create profile "Okta Device Access SCEP"`, `No changes: profile "Okta Device Access SCEP" (id 1) matches the config.`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"Run 1", "Run 2", "0 write(s)"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out.String()+errOut.String(), "demo-okta-password") {
		t.Error("the demo printed its Okta password")
	}
}

func TestSampleConfigValidates(t *testing.T) {
	if err := sampleConfig("http://127.0.0.1:1/jamf/").Validate(); err != nil {
		t.Fatalf("the demo config is invalid: %v", err)
	}
}
