module github.com/jamf-scep/jamf-scep

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	github.com/google/uuid v1.6.0
	github.com/smallstep/pkcs7 v0.2.3
	go.yaml.in/yaml/v3 v3.0.6
	howett.net/plist v1.0.1
)
