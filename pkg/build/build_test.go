package build

import (
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFillFromBuildInfo(t *testing.T) {
	unstamped := Info{Version: "dev", Commit: "none", Date: "unknown", GoVersion: "go1.26.8", Platform: "linux/amd64"}
	released := Info{Version: "1.2.3", Commit: "abc1234", Date: "2026-11-30T00:00:00Z", GoVersion: "go1.26.8", Platform: "linux/amd64"}
	vcs := func(revision, time, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: revision},
			{Key: "vcs.time", Value: time},
			{Key: "vcs.modified", Value: modified},
		}
	}
	const rev = "b57497e1c0ffee0123456789abcdef0123456789"
	const revTime = "2026-12-07T02:41:00Z"

	tests := []struct {
		name    string
		stamped Info
		bi      *debug.BuildInfo
		want    Info
	}{
		{
			name:    "no build info leaves the stamps",
			stamped: unstamped,
			bi:      nil,
			want:    unstamped,
		},
		{
			name:    "go install ./cmd/jamf-scep in a clean clone",
			stamped: unstamped,
			bi: &debug.BuildInfo{
				Main:     debug.Module{Path: "github.com/jamf-scep/jamf-scep", Version: "(devel)"},
				Settings: vcs(rev, revTime, "false"),
			},
			want: Info{Version: "dev", Commit: "b57497e", Date: revTime, GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
		{
			name:    "a clone with uncommitted changes is marked modified",
			stamped: unstamped,
			bi: &debug.BuildInfo{
				Main:     debug.Module{Path: "github.com/jamf-scep/jamf-scep", Version: "v1.2.4-0.20261207024100-b57497e1c0ff+dirty"},
				Settings: vcs(rev, revTime, "true"),
			},
			want: Info{Version: "1.2.4-0.20261207024100-b57497e1c0ff+dirty", Commit: "b57497e", Modified: true, Date: revTime, GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
		{
			name:    "go install module@version has a version and no VCS facts",
			stamped: unstamped,
			bi: &debug.BuildInfo{
				Main: debug.Module{Path: "github.com/jamf-scep/jamf-scep", Version: "v1.2.3"},
			},
			want: Info{Version: "1.2.3", Commit: "none", Date: "unknown", GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
		{
			name:    "-buildvcs=false leaves commit and date unknown",
			stamped: unstamped,
			bi: &debug.BuildInfo{
				Main:     debug.Module{Path: "github.com/jamf-scep/jamf-scep", Version: "(devel)"},
				Settings: []debug.BuildSetting{{Key: "-trimpath", Value: "true"}},
			},
			want: unstamped,
		},
		{
			name:    "a release's stamps win over the build info",
			stamped: released,
			bi: &debug.BuildInfo{
				Main:     debug.Module{Path: "github.com/jamf-scep/jamf-scep", Version: "v9.9.9"},
				Settings: vcs(rev, revTime, "true"),
			},
			want: released,
		},
		{
			name:    "a stamped commit is never paired with another commit's time",
			stamped: Info{Version: "dev", Commit: "abc1234", Date: "unknown"},
			bi: &debug.BuildInfo{
				Main:     debug.Module{Version: "(devel)"},
				Settings: vcs(rev, revTime, "true"),
			},
			want: Info{Version: "dev", Commit: "abc1234", Date: "unknown"},
		},
		{
			name:    "a short revision is kept whole",
			stamped: unstamped,
			bi: &debug.BuildInfo{
				Main:     debug.Module{Version: "(devel)"},
				Settings: vcs("b57", "", "false"),
			},
			want: Info{Version: "dev", Commit: "b57", Date: "unknown", GoVersion: "go1.26.8", Platform: "linux/amd64"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fillFromBuildInfo(tt.stamped, tt.bi)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fillFromBuildInfo() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInfoString(t *testing.T) {
	tests := []struct {
		name string
		info Info
		want string
	}{
		{
			name: "release",
			info: Info{Version: "1.2.3", Commit: "abc1234", Date: "2026-11-30T00:00:00Z", GoVersion: "go1.26.8", Platform: "darwin/arm64"},
			want: "jamf-scep 1.2.3 (commit abc1234, built 2026-11-30T00:00:00Z, go1.26.8 darwin/arm64)",
		},
		{
			name: "modified work tree",
			info: Info{Version: "dev", Commit: "b57497e", Modified: true, Date: "2026-12-07T02:41:00Z", GoVersion: "go1.26.8", Platform: "linux/amd64"},
			want: "jamf-scep dev (commit b57497e-dirty, built 2026-12-07T02:41:00Z, go1.26.8 linux/amd64)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.info.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
