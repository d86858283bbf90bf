package applycmd

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil/cmdtest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

func TestNewCmdApplyFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    Options
		wantErr string
	}{
		{args: "", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{Apply: true, Parallel: 4, Redeploy: cmdutil.RedeployNewlyAssigned}}},
		{args: "-y --all", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{Apply: true, Yes: true, All: true, Parallel: 4, Redeploy: cmdutil.RedeployNewlyAssigned}}},
		{args: "--yes --tenant prod --redeploy all --profile-id 7", want: Options{PlanApplyOptions: cmdutil.PlanApplyOptions{Apply: true, Yes: true, Tenants: []string{"prod"}, Parallel: 4, Redeploy: cmdutil.RedeployAll, ProfileID: 7}}},
		{args: "--detailed-exitcode", wantErr: "unknown flag: --detailed-exitcode"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			f, _ := cmdtest.Factory(nil)
			got, err := cmdtest.ParseArgs(func(runF func(context.Context, *Options) error) *cobra.Command {
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
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(Options{}, "F")); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}
