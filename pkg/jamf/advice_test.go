package jamf

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestAdvice(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // "" means no advice
	}{
		{"401", &Error{Method: "GET", Path: "api/v1/jamf-pro-version", StatusCode: 401}, "check the tenant's API client id and secret"},
		{"refused token", &Error{Method: "POST", Path: "api/v1/oauth/token", StatusCode: 400, Code: "invalid_client"}, "check the tenant's API client id and secret"},
		{"403 names the privilege", fmt.Errorf("wrapped: %w", &Error{Method: "PUT", Path: "JSSResource/osxconfigurationprofiles/id/3", StatusCode: 403}), "lacks the privilege Update macOS Configuration Profiles: jamf-scep help jamf-privileges"},
		{"bare 403 sentinel", ErrForbidden, "lacks a privilege: jamf-scep help jamf-privileges"},
		{"404", &Error{Method: "GET", Path: "x", StatusCode: 404}, ""},
		{"other", errors.New("boom"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Advice(tt.err)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("Advice = %q, want one containing %q", got, tt.want)
			}
		})
	}
}
