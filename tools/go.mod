module github.com/jamf-scep/jamf-scep/tools

go 1.26.8
