// Package build holds the version facts stamped into the binary at link time.
//
// The release build sets them with
//
//	-ldflags "-X github.com/jamf-scep/jamf-scep/pkg/build.Version=1.2.3
//	          -X github.com/jamf-scep/jamf-scep/pkg/build.Commit=abc1234
//	          -X github.com/jamf-scep/jamf-scep/pkg/build.Date=2026-11-30T00:00:00Z"
//
// A plain `go build` leaves the defaults, and `go install module@version`
// fills Version from the module's build info.
package build

import "runtime/debug"

// Version is the semantic version of this build, without a leading "v"
// ("1.2.3"), or "dev" for an unstamped build.
var Version = "dev"

// Commit is the short git commit the binary was built from, or "none".
var Commit = "none"

// Date is the build time in RFC 3339 UTC, or "unknown".
var Date = "unknown"

func init() {
	if Version != "dev" {
		return
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		Version = trimV(info.Main.Version)
	}
}

func trimV(v string) string {
	if len(v) > 1 && v[0] == 'v' {
		return v[1:]
	}
	return v
}

// UserAgent is the User-Agent header jamf-scep sends: "jamf-scep/<version>".
func UserAgent() string { return "jamf-scep/" + Version }
