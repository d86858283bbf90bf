package root

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamftest"
)

// TestDynamicCompletion runs cobra's hidden __complete command (what the
// shell scripts call) on a command with the conventional flag names.
func TestDynamicCompletion(t *testing.T) {
	sim := jamftest.NewTest(t, jamftest.Options{Observe: jamfschema.Observer(t, "")})
	sim.AddBuilding("HQ")
	sim.AddBuilding("Lab")
	sim.AddStaticGroup("Pilot", nil)
	env := map[string]string{
		"JAMF_URL":           sim.URL(),
		"JAMF_CLIENT_ID":     jamftest.DefaultClientID,
		"JAMF_CLIENT_SECRET": jamftest.DefaultClientSecret,
		"JAMF_SCEP_CONFIG":   "",
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"fake", "--building", ""}, []string{"HQ", "Lab"}},
		{[]string{"fake", "--building", "l"}, []string{"Lab"}},
		{[]string{"fake", "--exclude-computer-group", ""}, []string{"Pilot"}},
		{[]string{"fake", "--tenant", ""}, []string{"default"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			f := &cmdutil.Factory{
				IOStreams: ios, Globals: &cmdutil.Globals{}, Now: time.Now,
				LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok && v != "" },
			}
			root := NewCmdRoot(f)
			fake := &cobra.Command{Use: "fake", RunE: func(*cobra.Command, []string) error { return nil }}
			for _, name := range []string{"tenant", "building", "exclude-computer-group"} {
				fake.Flags().String(name, "", "")
			}
			root.AddCommand(fake)
			registerCompletions(fake, f)
			root.SetArgs(append([]string{cobra.ShellCompRequestCmd}, tt.args...))
			root.SetOut(out)
			root.SetErr(&bytes.Buffer{})
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			got := lines[:len(lines)-1] // the last line is the directive (":4")
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("completions = %q, want %q", got, tt.want)
			}
		})
	}
}
