package profile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

func TestMaskURLSecrets(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://acme.okta.com/api/v1/scep", "https://acme.okta.com/api/v1/scep"},
		{"https://okta-abc123:hunter2@acme.okta.com/api/x", "https://[REDACTED]@acme.okta.com/api/x"},
		{"https://user@acme.okta.com", "https://[REDACTED]@acme.okta.com"},
		{"see https://a:p%40ss@h.example/x?y=1 and http://b:c@d", "see https://[REDACTED]@h.example/x?y=1 and http://[REDACTED]@d"},
		{"https://h.example/x?token=abc&page=2&client_secret=s3", "https://h.example/x?token=[REDACTED]&page=2&client_secret=[REDACTED]"},
		{"https://h.example/x?challengeType=dynamic", "https://h.example/x?challengeType=dynamic"},
		{"https://h.example/a@b/c", "https://h.example/a@b/c"},
		{"no url: user:pw@host", "no url: user:pw@host"},
	}
	for _, tt := range tests {
		got, masked := profile.MaskURLSecrets(tt.in)
		if got != tt.want || masked != (tt.in != tt.want) {
			t.Errorf("MaskURLSecrets(%q) = %q, %v; want %q", tt.in, got, masked, tt.want)
		}
	}
}

func TestMaskTree(t *testing.T) {
	root := map[string]any{
		"PayloadContent": []any{map[string]any{
			"URL To SCEP Admin":   "https://okta-abc123:hunter2@acme.okta.com/api",
			"SCEP Admin Password": "pw",
			"Name":                "plain",
			"URLs":                []any{"https://u:p@h"},
		}},
	}
	paths := profile.MaskTree(root, profile.NewSecretRule(nil), "[M]")
	want := map[string]any{
		"PayloadContent": []any{map[string]any{
			"URL To SCEP Admin":   "https://[REDACTED]@acme.okta.com/api",
			"SCEP Admin Password": "[M]",
			"Name":                "plain",
			"URLs":                []any{"https://[REDACTED]@h"},
		}},
	}
	if diff := cmp.Diff(want, root); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if len(paths) != 3 {
		t.Errorf("masked paths = %v, want 3", paths)
	}
}
