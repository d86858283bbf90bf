package apply

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jamf-scep/jamf-scep/pkg/cmd/plan"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

func TestNewCmdApplyFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    plan.Options
		wantErr string
	}{
		{args: "", want: plan.Options{Apply: true, Parallel: 4, Redeploy: plan.RedeployNewlyAssigned}},
		{args: "-y --all", want: plan.Options{Apply: true, Yes: true, All: true, Parallel: 4, Redeploy: plan.RedeployNewlyAssigned}},
		{args: "--yes --tenant prod --redeploy all --profile-id 7", want: plan.Options{Apply: true, Yes: true, Tenants: []string{"prod"}, Parallel: 4, Redeploy: plan.RedeployAll, ProfileID: 7}},
		{args: "--detailed-exitcode", wantErr: "unknown flag: --detailed-exitcode"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.Globals{}, Now: time.Now}
			var got *plan.Options
			cmd := NewCmdApply(f, func(_ context.Context, o *plan.Options) error { got = o; return nil })
			cmd.SetArgs(strings.Fields(tt.args))
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(plan.Options{}, "F")); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}
