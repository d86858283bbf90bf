package profile

import "testing"

func TestLooksSecret(t *testing.T) {
	for key, want := range map[string]bool{
		"Password": true, "Challenge": true, "ChallengeToken": true, "client_secret": true,
		"Admin Passwd": true, "challenge": true,
		"Challenge Type": false, "ChallengeType": false, "URL To SCEP Admin": false,
		"ChallengeURL": false, "Username": false, "Subject": false, "Keysize": false,
	} {
		if got := LooksSecret(key); got != want {
			t.Errorf("LooksSecret(%q) = %v, want %v", key, got, want)
		}
	}
}
