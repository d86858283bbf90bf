//go:build race

package jamf_test

// raceDetector reports whether the tests run under -race, which slows the
// client so much that timing-based wave counts are not meaningful there;
// .ci/run runs those assertions again without it.
const raceDetector = true
