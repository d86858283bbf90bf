package cmdutil

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/shard"
)

// TestParseShard pins the --shard errors: a usage error (exit 3) naming
// the flag and the fix, and --shard only with --all.
func TestParseShard(t *testing.T) {
	tests := []struct {
		value   string
		all     bool
		want    shard.Shard
		wantErr string
	}{
		{value: "", want: shard.Shard{}},
		{value: "", all: true, want: shard.Shard{}},
		{value: "3/8", all: true, want: shard.Shard{K: 3, N: 8}},
		{value: "0/8", all: true, wantErr: `invalid value "0/8" for flag --shard: the shard number K must be 1 to N (8): shards count from 1`},
		{value: "9/8", all: true, wantErr: `invalid value "9/8" for flag --shard: the shard number K must be 1 to N (8): shards count from 1`},
		{value: "3", all: true, wantErr: `invalid value "3" for flag --shard: want K/N, such as 2/4 (shard K of N, counting from 1)`},
		{value: "x/y", all: true, wantErr: `invalid value "x/y" for flag --shard: want K/N with whole numbers, such as 2/4`},
		{value: "1/0", all: true, wantErr: `invalid value "1/0" for flag --shard: the shard count N must be 1 to 10000`},
		{value: "1/2", wantErr: "--shard 1/2 splits every tenant of the config: use it with --all"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, err := ParseShard(tt.value, tt.all)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || ExitCode(err) != ExitUsage {
					t.Fatalf("ParseShard(%q, %v) = %v (exit %d), want usage error %q", tt.value, tt.all, err, ExitCode(err), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseShard (-want +got):\n%s", diff)
			}
		})
	}
}
