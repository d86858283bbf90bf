package root

import (
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// TestScopeFlagCompletion: every scope category flag of `scope add` whose
// kind can be listed completes names, whatever the flags are called.
func TestScopeFlagCompletion(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.Globals{}, Now: time.Now})
	add, _, err := root.Find([]string{"scope", "add"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range scope.Categories() {
		if add.Flags().Lookup(c.Flag()) == nil {
			t.Errorf("scope add has no --%s", c.Flag())
			continue
		}
		_, got := add.GetFlagCompletionFunc(c.Flag())
		if want := c.Kind() != jamf.KindComputer; got != want {
			t.Errorf("--%s completes names: %t, want %t", c.Flag(), got, want)
		}
	}
}
