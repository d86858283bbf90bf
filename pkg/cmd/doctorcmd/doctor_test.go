package doctorcmd

import (
	"context"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil/cmdtest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestNewCmdDoctorFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    Options
		wantErr bool
	}{
		{nil, Options{DoctorOptions: cmdutil.DoctorOptions{Timeout: cmdutil.DefaultDoctorTimeout}}, false},
		{[]string{"--tenant", "prod,staging", "--fetch-challenge"}, Options{DoctorOptions: cmdutil.DoctorOptions{Tenants: []string{"prod", "staging"}, FetchChallenge: true, Timeout: cmdutil.DefaultDoctorTimeout}}, false},
		{[]string{"--enroll-test", "--yes", "--timeout", "5s"}, Options{DoctorOptions: cmdutil.DoctorOptions{EnrollTest: true, Yes: true, Timeout: 5 * time.Second}}, false},
		{[]string{"--tenant", "prod", "--all"}, Options{}, true},
		{[]string{"extra"}, Options{}, true},
	}
	for _, tt := range tests {
		f, _ := cmdtest.Factory(nil)
		got, err := cmdtest.ParseArgs(func(runF func(context.Context, *Options) error) *cobra.Command {
			return NewCmdDoctor(f, runF)
		}, tt.args)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%v: err = %v, wantErr %v", tt.args, err, tt.wantErr)
		}
		if err != nil {
			continue
		}
		if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(Options{}, "F")); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tt.args, diff)
		}
	}
}
