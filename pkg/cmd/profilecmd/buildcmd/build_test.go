package buildcmd

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil/cmdtest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

func TestNewCmdBuildFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{
			name: "no flags",
			args: nil,
			want: Options{},
		},
		{
			name: "profile fields",
			args: []string{"--scep-url", "https://a.okta.com/pki/x/scep/y", "--subject", "CN=$SERIALNUMBER", "--key-size", "4096", "--redistribute-days", "14", "--challenge-type", "static", "--profile-name", "Okta"},
			want: Options{Overrides: config.Profile{
				Name: "Okta",
				SCEP: config.SCEP{URL: "https://a.okta.com/pki/x/scep/y", Subject: "CN=$SERIALNUMBER", KeySize: 4096, RedistributeDays: 14, Challenge: config.Challenge{Type: "static"}},
			}, changed: []string{"challenge-type", "key-size", "profile-name", "redistribute-days", "scep-url", "subject"}},
		},
		{
			name: "explicit zero is recorded as given",
			args: []string{"--redistribute-days", "0", "--key-size", "0"},
			want: Options{changed: []string{"key-size", "redistribute-days"}},
		},
		{
			name: "output and secrets",
			args: []string{"--out", "okta.mobileconfig", "--force", "--include-secrets", "--password-file", "pw.txt", "--jamf-dialect", "d.yaml"},
			want: Options{Out: "okta.mobileconfig", Force: true, IncludeSecrets: true, PasswordFile: "pw.txt", JamfDialect: "d.yaml"},
		},
		{
			name: "password as a flag value is captured for refusal",
			args: []string{"--password", "hunter2"},
			want: Options{refusedFlag: "password"},
		},
		{
			name:    "stdin and file are exclusive",
			args:    []string{"--password-stdin", "--password-file", "x"},
			wantErr: "none of the others can be",
		},
		{
			name:    "key size must be a number",
			args:    []string{"--key-size", "big"},
			wantErr: `invalid argument "big" for "--key-size"`,
		},
		{
			name:    "no positional arguments",
			args:    []string{"extra"},
			wantErr: "unknown command",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := cmdtest.Factory(nil)
			got, err := cmdtest.ParseArgs(func(runF func(context.Context, *Options) error) *cobra.Command {
				return NewCmdBuild(f, runF)
			}, tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(Options{}, "F"), cmp.AllowUnexported(Options{}), cmpopts.EquateComparable(secret.Ref{})); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunRefusesPlainSecretWithoutEcho(t *testing.T) {
	f, _ := cmdtest.Factory(nil)
	err := run(t.Context(), &Options{F: f, refusedFlag: "password"})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Fatalf("exit code %d, want usage", cmdutil.ExitCode(err))
	}
	if !strings.Contains(err.Error(), "--password-stdin, --password-file") {
		t.Errorf("error %q does not name the safe alternatives", err)
	}
}

func TestReadSecretInput(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "s3cret\n", want: "s3cret"},
		{in: "s3cret\r\n", want: "s3cret"},
		{in: "\n", wantErr: "the secret is empty"},
		{in: "a\nb\n", wantErr: "more than one line"},
		{in: "\ufeffs3cret\n", want: "s3cret"},
		{in: "s3cret\n\n", wantErr: "the secret ends with white space (U+000A)"},
		{in: " s3cret\n", wantErr: "the secret starts with white space (U+0020)"},
	}
	for _, tt := range tests {
		got, err := readSecretInput(strings.NewReader(tt.in), true, "")
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("readSecretInput(%q) err = %v, want %q", tt.in, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error leaks the secret: %v", err)
			}
			continue
		}
		if err != nil || got.Reveal() != tt.want {
			t.Errorf("readSecretInput(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
