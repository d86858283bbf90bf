module github.com/jamf-scep/jamf-scep

go 1.26.8
