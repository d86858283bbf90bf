module github.com/jamf-scep/jamf-scep

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/smallstep/pkcs7 v0.2.3 // indirect
	github.com/smallstep/scep v0.0.0-20260331191114-261f960a40d1 // indirect
	golang.org/x/text v0.44.0 // indirect
)
