package profile_test

import (
	"fmt"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

func ExampleParseSubject() {
	s, err := profile.ParseSubject(`/C=US/O=Acme\, Inc./CN=$COMPUTERNAME ma $UDID`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(s), s[1][0].Value)
	fmt.Println(s)

	_, err = profile.ParseSubject("emailAddress=a@example.com")
	fmt.Println(err)
	// Output:
	// 3 Acme, Inc.
	// C=US,O=Acme\, Inc.,CN=$COMPUTERNAME ma $UDID
	// subject attribute type "emailAddress" is not one Apple accepts; write its OID instead: 1.2.840.113549.1.9.1=value
}

func ExampleSubjectBudget() {
	s, _ := profile.ParseSubject("CN=$COMPUTERNAME ma $UDID")
	for _, v := range profile.SubjectBudget(s, 0, nil).Values {
		fmt.Println(v.Sentence())
	}
	// Output:
	// CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID + 7 appended by Jamf for $PROFILE_IDENTIFIER = 47 of 64 characters; leaves 17 characters for $COMPUTERNAME
}

func ExampleCheckValues() {
	s, _ := profile.ParseSubject("CN=$COMPUTERNAME ma $UDID")
	vars := map[string]string{
		"COMPUTERNAME": "Büro-MacBook-Pro-Jürgen",
		"UDID":         "4D8CD419-1892-4CFE-8D18-D1DD53CC7970",
	}
	for _, v := range profile.CheckValues(s, vars, 4711, nil) {
		fmt.Println(v.Chars, v.Bytes, v.Limit)
	}
	// Output:
	// 68 70 64
}

func ExampleBuild() {
	p, findings, err := profile.Build(profile.Options{
		Identifier:   "com.acme.okta-device-access",
		SCEPURL:      "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/racAbC123",
		ChallengeURL: "https://acme.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/racAbC123/challenge",
		Username:     "okta-abc123",
		Password:     secret.New("resolved-from-env"),
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings.Warnings() {
		fmt.Println(f.Path)
	}
	for _, s := range p.Secrets() {
		fmt.Println("left out unless IncludeSecrets:", s.Field)
	}
	// Output:
	// profile.scep.challenge.password
	// left out unless IncludeSecrets: profile.scep.challenge.password
}
