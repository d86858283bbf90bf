package apply

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil/cmdtest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jamf-scep/jamf-scep/pkg/cmd/plan"
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
			f, _ := cmdtest.Factory(nil)
			got, err := cmdtest.ParseArgs(func(runF func(context.Context, *plan.Options) error) *cobra.Command {
				return NewCmdApply(f, runF)
			}, strings.Fields(tt.args))
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
