package pullcmd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// A stored profile whose secrets sit where Jamf might put them: nested
// dictionaries, data values, a token; the challenge type and admin URL are
// not secrets.
const stored = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict>
  <key>PayloadContent</key><dict>
    <key>Challenge Type</key><string>Dynamic-Microsoft CA</string>
    <key>URL To SCEP Admin</key><string>https://acme.okta.com/challenge</string>
    <key>Password</key><data>Q0FOQVJZLWRhdGEtMg==</data>
    <key>ChallengeToken</key><string>CANARY-token-3</string>
    <key>Jamf</key><dict><key>Password</key><string>CANARY-nested-1</string></dict>
    <key>Secret</key><string>CANARY-5</string>
    <key>AuthToken</key><data>Q0FOQVJZLTY=</data>
    <key>ChallengeSecret</key><array><string>CANARY-7</string></array>
    <key>Vendor</key><array><dict><key>api_key</key><integer>8</integer></dict></array>
  </dict>
  <key>PayloadType</key><string>com.apple.security.scep</string>
</dict></array>
<key>Challenge</key><string>CANARY-static-4</string>
</dict></plist>`

func TestMaskSecretsEverywhere(t *testing.T) {
	out, masked, err := maskSecrets([]byte(stored), profile.DefaultDialect())
	if err != nil {
		t.Fatal(err)
	}
	for _, canary := range []string{"CANARY", "Q0FOQVJZ"} {
		if strings.Contains(string(out), canary) {
			t.Errorf("masked output still holds %s:\n%s", canary, out)
		}
	}
	want := []string{
		"Challenge",
		"PayloadContent[0].PayloadContent.AuthToken",
		"PayloadContent[0].PayloadContent.ChallengeSecret",
		"PayloadContent[0].PayloadContent.ChallengeToken",
		"PayloadContent[0].PayloadContent.Jamf.Password",
		"PayloadContent[0].PayloadContent.Password",
		"PayloadContent[0].PayloadContent.Secret",
		"PayloadContent[0].PayloadContent.Vendor[0].api_key",
	}
	if diff := cmp.Diff(want, masked); diff != "" {
		t.Errorf("masked paths (-want +got):\n%s", diff)
	}
	for _, kept := range []string{"Dynamic-Microsoft CA", "https://acme.okta.com/challenge"} {
		if !strings.Contains(string(out), kept) {
			t.Errorf("%q was masked but is not a secret", kept)
		}
	}
}

func TestMaskSecretsNothingToMaskKeepsBytes(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>PayloadType</key><string>Configuration</string></dict></plist>`
	out, masked, err := maskSecrets([]byte(in), profile.DefaultDialect())
	if err != nil || len(masked) != 0 || string(out) != in {
		t.Errorf("maskSecrets changed a profile without secrets: %q %v %v", out, masked, err)
	}
}

// BenchmarkMaskTreeDeep masks a tree nested 100,000 levels deep (built in
// memory, past the parse limit, to measure the walk alone) with a secret at
// the bottom: linear in depth. Before the path was kept on a stack, each
// level concatenated the full path, O(depth²) bytes.
func BenchmarkMaskTreeDeep(b *testing.B) {
	const depth = 100_000
	rule := profile.NewSecretRule(nil)
	var root any = map[string]any{"Password": "x"}
	for range depth {
		root = map[string]any{"k": []any{root}}
	}
	for b.Loop() { // masking again finds the same key
		if got := maskTree(root, rule); len(got) != 1 {
			b.Fatal(got)
		}
	}
}

// TestMaskSecretsURLUserinfo: a credential inside a stored URL is masked
// by the same rule as a secret key (profile.MaskTree).
func TestMaskSecretsURLUserinfo(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>URL To SCEP Admin</key><string>https://okta-abc123:hunter2@acme.okta.com/api/v1</string></dict></plist>`
	out, masked, err := maskSecrets([]byte(in), profile.DefaultDialect())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "hunter2") || strings.Contains(string(out), "okta-abc123") {
		t.Errorf("masked output still holds the URL's credentials:\n%s", out)
	}
	if diff := cmp.Diff([]string{"URL To SCEP Admin"}, masked); diff != "" {
		t.Errorf("masked paths (-want +got):\n%s", diff)
	}
}
