module github.com/jamf-scep/jamf-scep

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	github.com/smallstep/pkcs7 v0.2.3
	github.com/smallstep/scep v0.0.0-20260331191114-261f960a40d1
	golang.org/x/text v0.44.0
)
