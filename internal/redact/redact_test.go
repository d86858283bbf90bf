package redact_test

import (
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/redact"
)

func TestSecrets(t *testing.T) {
	tests := []struct {
		name, in string
		secrets  []string
		want     string
	}{
		{"none", "password hunter2", nil, "password hunter2"},
		{"one", "password hunter2 refused", []string{"hunter2"}, "password (sensitive) refused"},
		{"every occurrence", "a s3 b s3", []string{"s3"}, "a (sensitive) b (sensitive)"},
		{"empty secret ignored", "abc", []string{""}, "abc"},
		{"longer first", "token abc123", []string{"abc", "abc123"}, "token (sensitive)"},
		{"empty text", "", []string{"x"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redact.Secrets(tt.in, tt.secrets...); got != tt.want {
				t.Errorf("Secrets(%q, %q) = %q, want %q", tt.in, tt.secrets, got, tt.want)
			}
		})
	}
}
