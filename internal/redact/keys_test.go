package redact

import "testing"

func TestLooksSecret(t *testing.T) {
	for key, want := range map[string]bool{
		"Password": true, "Challenge": true, "ChallengeToken": true, "client_secret": true,
		"Admin Passwd": true, "challenge": true, "Secret": true, "AuthToken": true,
		"ChallengeSecret": true, "KeyPassphrase": true, "API-Key": true, "PrivateKey": true,
		"Credentials":    true,
		"Challenge Type": false, "ChallengeType": false, "URL To SCEP Admin": false,
		"ChallengeURL": false, "Username": false, "Subject": false, "Keysize": false,
		"PayloadContent": false, "Key Usage": false,
	} {
		if got := LooksSecret(key); got != want {
			t.Errorf("LooksSecret(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestMaskURLSecrets(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://acme.okta.com/api/v1/scep", "https://acme.okta.com/api/v1/scep"},
		{"https://okta-abc123:hunter2@acme.okta.com/api/x", "https://(sensitive)@acme.okta.com/api/x"},
		{"https://user@acme.okta.com", "https://(sensitive)@acme.okta.com"},
		{"see https://a:p%40ss@h.example/x?y=1 and http://b:c@d", "see https://(sensitive)@h.example/x?y=1 and http://(sensitive)@d"},
		{"https://h.example/x?token=abc&page=2&client_secret=s3", "https://h.example/x?token=(sensitive)&page=2&client_secret=(sensitive)"},
		{"https://h.example/x?challengeType=dynamic", "https://h.example/x?challengeType=dynamic"},
		{"https://h.example/a@b/c", "https://h.example/a@b/c"},
		{"no url: user:pw@host", "no url: user:pw@host"},
	}
	for _, tt := range tests {
		got, masked := MaskURLSecrets(tt.in)
		if got != tt.want || masked != (tt.in != tt.want) {
			t.Errorf("MaskURLSecrets(%q) = %q, %v; want %q", tt.in, got, masked, tt.want)
		}
	}
}
