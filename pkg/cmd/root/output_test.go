package root

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

func TestOutputFlag(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string // empty: accepted
	}{
		{name: "json everywhere", args: []string{"version", "-o", "json"}},
		{
			name:    "csv elsewhere names the commands that write it",
			args:    []string{"version", "-o", "csv"},
			wantErr: `invalid value "csv" for flag --output; options are text, json (jamf-scep version does not write csv; -o csv works with jamf-scep verify)`,
		},
		{
			name:    "csv on a nested command",
			args:    []string{"config", "validate", "--output=csv"},
			wantErr: `invalid value "csv" for flag --output; options are text, json (jamf-scep config validate does not write csv; -o csv works with jamf-scep verify)`,
		},
		{
			name:    "an unknown format lists the command's options",
			args:    []string{"version", "-o", "yaml"},
			wantErr: `invalid value "yaml" for flag --output; options are text, json`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, tt.args...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			var usage *cmdutil.UsageError
			if !errors.As(err, &usage) {
				t.Errorf("error is %T, want a *cmdutil.UsageError (exit code %d)", err, cmdutil.ExitUsage)
			}
		})
	}
}

// TestOutputFlagFollowsAnnotation pins that help, completion and the error
// come from cmdutil.AnnotationCSV, not from a list kept by hand.
func TestOutputFlagFollowsAnnotation(t *testing.T) {
	root := newTestRoot(t)
	if got, want := csvCommands(root), []string{"jamf-scep verify"}; !cmp.Equal(got, want) {
		t.Errorf("csvCommands = %q, want %q", got, want)
	}
	usage := root.PersistentFlags().Lookup("output").Usage
	if want := "output format: text or json; csv with jamf-scep verify"; usage != want {
		t.Errorf("-o help = %q, want %q", usage, want)
	}

	verify, _, err := root.Find([]string{"verify"})
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOutput(verify, "csv"); err != nil {
		t.Errorf("verify -o csv: %v", err)
	}

	extra := &cobra.Command{Use: "export", Annotations: map[string]string{cmdutil.AnnotationCSV: "true"}}
	root.AddCommand(extra)
	if got, want := csvCommands(root), []string{"jamf-scep export", "jamf-scep verify"}; !cmp.Equal(got, want) {
		t.Errorf("csvCommands with a new csv command = %q, want %q", got, want)
	}
	if got, want := outputFormats(extra), []string{"text", "json", "csv"}; !cmp.Equal(got, want) {
		t.Errorf("outputFormats(export) = %q, want %q", got, want)
	}
}
