module github.com/jamf-scep/jamf-scep

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	howett.net/plist v1.0.1
)
