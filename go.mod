module github.com/jamf-scep/jamf-scep

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/smallstep/pkcs7 v0.2.3 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	howett.net/plist v1.0.1 // indirect
)
