package scopecmd

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

func TestNewCmdEditFlags(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name    string
		mode    scope.Mode
		args    []string
		want    EditOptions
		wantErr bool
	}{
		{
			name: "repeatable targets and exclusions",
			mode: scope.ModeAdd,
			args: []string{"--profile", "P", "--computer-group", "A", "--computer-group", "B", "--exclude-building", "HQ", "--yes"},
			want: EditOptions{
				Mode: scope.ModeAdd, Target: TargetOptions{ProfileName: "P"}, Yes: true,
				Include: jamf.Names{ComputerGroups: []string{"A", "B"}},
				Exclude: jamf.Names{Buildings: []string{"HQ"}},
				Given:   map[string]bool{"computer-group": true, "exclude-building": true},
			},
		},
		{
			name: "set with an empty value owns the category",
			mode: scope.ModeSet,
			args: []string{"--profile-id", "7", "--department", "", "--all-computers"},
			want: EditOptions{
				Mode: scope.ModeSet, Target: TargetOptions{ProfileID: 7}, AllComputers: &yes,
				Given: map[string]bool{"department": true},
			},
		},
		{
			name: "no-all-computers on remove",
			mode: scope.ModeRemove,
			args: []string{"--tenant", "prod", "--no-all-computers"},
			want: EditOptions{Mode: scope.ModeRemove, Target: TargetOptions{Tenant: "prod"}, AllComputers: &no, Given: map[string]bool{}},
		},
		{name: "remove has no --all-computers", mode: scope.ModeRemove, args: []string{"--all-computers"}, wantErr: true},
		{name: "both switches", mode: scope.ModeAdd, args: []string{"--all-computers", "--no-all-computers"}, wantErr: true},
		{name: "no arguments", mode: scope.ModeAdd, args: []string{"HQ"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *EditOptions
			cmd := NewCmdEdit(&cmdutil.Factory{}, tt.mode, func(_ context.Context, o *EditOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.ExecuteContext(t.Context())
			if tt.wantErr {
				if err == nil {
					t.Fatalf("args %q: no error", tt.args)
				}
				return
			}
			if err != nil {
				t.Fatalf("args %q: %v", tt.args, err)
			}
			got.F = nil
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEditValidate(t *testing.T) {
	tests := []struct {
		name string
		o    EditOptions
		ok   bool
	}{
		{"nothing named", EditOptions{Mode: scope.ModeAdd}, false},
		{"add with an empty category", EditOptions{Mode: scope.ModeAdd, Given: map[string]bool{"building": true}}, false},
		{"set with an empty category", EditOptions{Mode: scope.ModeSet, Given: map[string]bool{"building": true}}, true},
		{"remove a name", EditOptions{Mode: scope.ModeRemove, Given: map[string]bool{"building": true}, Include: jamf.Names{Buildings: []string{"HQ"}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %t", err, tt.ok)
			}
			if err != nil && cmdutil.ExitCode(err) != cmdutil.ExitUsage {
				t.Errorf("exit code %d, want %d", cmdutil.ExitCode(err), cmdutil.ExitUsage)
			}
		})
	}
}
