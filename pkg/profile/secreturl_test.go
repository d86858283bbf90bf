package profile_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

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
			"URL To SCEP Admin":   "https://(sensitive)@acme.okta.com/api",
			"SCEP Admin Password": "[M]",
			"Name":                "plain",
			"URLs":                []any{"https://(sensitive)@h"},
		}},
	}
	if diff := cmp.Diff(want, root); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if len(paths) != 3 {
		t.Errorf("masked paths = %v, want 3", paths)
	}
}
