// Package profile models the macOS configuration profile that jamf-scep
// builds for Okta Device Access: one outer Configuration profile holding one
// com.apple.security.scep payload, with Apple's exact key names (Apple's
// device-management schema, com.apple.security.scep.yaml and TopLevel.yaml).
//
// The package is pure: no file, network or clock access and no mutable
// globals. Callers resolve config files, flags and secrets into [Options],
// call [Build], and render the result with [Profile.MarshalFile] (a file an
// admin reads) or [Profile.MarshalWire] (the compact form sent to Jamf Pro).
// [Lint] checks a profile an admin already has; [ParseSubject],
// [SubjectBudget] and [CheckValues] handle the certificate Subject and its
// RFC 5280 length limits.
//
// How Jamf Pro stores its own SCEP settings (challenge type, URL to SCEP
// admin, username, password, redistribution) is not published. That encoding
// lives in one data file, profiles/jamf-dialect.yaml, parsed into a
// [Dialect]; users override it without a new release.
package profile
