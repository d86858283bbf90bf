// Package build holds the version facts stamped into the binary at link time.
//
// The release build sets them with
//
//	-ldflags "-X github.com/jamf-scep/jamf-scep/pkg/build.Version=1.2.3
//	          -X github.com/jamf-scep/jamf-scep/pkg/build.Commit=abc1234
//	          -X github.com/jamf-scep/jamf-scep/pkg/build.Date=2026-11-30T00:00:00Z"
//
// A build that is not stamped fills what it can from the build info the Go
// toolchain embeds (runtime/debug.ReadBuildInfo): `go install module@version`
// records the module version, and `go build` or `go install ./cmd/jamf-scep`
// in a git clone records the commit (vcs.revision), its time (vcs.time) and
// whether the work tree had changes (vcs.modified). See "go help buildinfo"
// and the -buildvcs flag in "go help build".
package build

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the semantic version of this build, without a leading "v"
// ("1.2.3"), or "dev" for an unstamped build.
var Version = "dev"

// Commit is the short git commit the binary was built from, or "none".
var Commit = "none"

// Date is the build time in RFC 3339 UTC, or "unknown". Release builds stamp
// the commit time, so the same tag builds the same bytes; an unstamped build
// from a clone reports vcs.time, also the commit time.
var Date = "unknown"

// Modified reports that the binary was built from a work tree with
// uncommitted changes (vcs.modified). Releases are built from a clean tag,
// so it is only ever true for an unstamped build.
var Modified bool

// The values of the variables above when nothing stamped them.
const (
	unstampedVersion = "dev"
	unstampedCommit  = "none"
	unstampedDate    = "unknown"
)

// shortCommitLen is how many hex digits of vcs.revision are kept, matching
// the 7-digit short commit (`git rev-parse --short`) that releases stamp.
const shortCommitLen = 7

func init() {
	if bi, ok := debug.ReadBuildInfo(); ok {
		got := fillFromBuildInfo(Current(), bi)
		Version, Commit, Date, Modified = got.Version, got.Commit, got.Date, got.Modified
	}
}

// Info is every fact about this build: what `jamf-scep version` prints and
// the JSON shape of `jamf-scep version -o json`.
type Info struct {
	// Version is the semantic version without "v" ("1.2.3"), or "dev".
	Version string `json:"version"`
	// Commit is the short git commit, or "none".
	Commit string `json:"commit"`
	// Modified is true when the work tree had uncommitted changes.
	Modified bool `json:"modified"`
	// Date is the commit time in RFC 3339 UTC, or "unknown".
	Date string `json:"date"`
	// GoVersion is the Go toolchain that built the binary ("go1.26.8").
	GoVersion string `json:"goVersion"`
	// Platform is GOOS/GOARCH ("darwin/arm64").
	Platform string `json:"platform"`
}

// Current returns the facts of the running binary.
func Current() Info {
	return Info{
		Version:   Version,
		Commit:    Commit,
		Modified:  Modified,
		Date:      Date,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
}

// String is the one-line version text that both `jamf-scep version` and
// `jamf-scep --version` print:
//
//	jamf-scep 1.2.3 (commit abc1234, built 2026-11-30T00:00:00Z, go1.26.8 darwin/arm64)
//
// A build from a work tree with uncommitted changes shows "abc1234-dirty".
func (i Info) String() string {
	commit := i.Commit
	if i.Modified {
		commit += "-dirty"
	}
	return fmt.Sprintf("jamf-scep %s (commit %s, built %s, %s %s)",
		i.Version, commit, i.Date, i.GoVersion, i.Platform)
}

// fillFromBuildInfo returns stamped with every fact the linker left at its
// unstamped value filled from bi, where bi has it. Stamped values win: a
// release's ldflags are the truth. The VCS facts are taken together or not
// at all, so a stamped commit is never paired with a date read from another.
func fillFromBuildInfo(stamped Info, bi *debug.BuildInfo) Info {
	out := stamped
	if bi == nil {
		return out
	}
	if out.Version == unstampedVersion && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		out.Version = trimV(bi.Main.Version)
	}
	if out.Commit != unstampedCommit {
		return out
	}
	var revision, vcsTime, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			vcsTime = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return out
	}
	out.Commit = revision
	if len(out.Commit) > shortCommitLen {
		out.Commit = out.Commit[:shortCommitLen]
	}
	out.Modified = modified == "true"
	if out.Date == unstampedDate && vcsTime != "" {
		out.Date = vcsTime
	}
	return out
}

func trimV(v string) string {
	if len(v) > 1 && v[0] == 'v' {
		return v[1:]
	}
	return v
}

// UserAgent is the User-Agent header jamf-scep sends: "jamf-scep/<version>".
func UserAgent() string { return "jamf-scep/" + Version }
