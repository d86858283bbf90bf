package cmdutil

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

func TestJamfError(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantHint string
	}{
		{"401", &jamf.Error{Method: "POST", Path: "api/v1/oauth/token", StatusCode: 401}, ExitAuth, "check the tenant's API client id and secret"},
		{"403 on update names the privilege", &jamf.Error{Method: "PUT", Path: "JSSResource/osxconfigurationprofiles/id/3", StatusCode: 403}, ExitAuth, "lacks the privilege Update macOS Configuration Profiles"},
		{"403 on inventory", fmt.Errorf("wrapped: %w", &jamf.Error{Method: "GET", Path: "api/v4/computers-inventory", StatusCode: 403}), ExitAuth, "Read Computers"},
		{"404", &jamf.Error{Method: "GET", Path: "JSSResource/osxconfigurationprofiles/id/9", StatusCode: 404}, ExitNotFound, ""},
		{"ambiguous name", &jamf.AmbiguousNameError{Kind: "profile", Name: "X", IDs: []string{"1", "2"}}, ExitConflict, "--profile-id"},
		{"dns", &net.DNSError{Err: "no such host", Name: "acme.example", IsNotFound: true}, ExitError, "does not resolve"},
		{"already coded passes through", WithExitCode(ExitPartial, errors.New("x")), ExitPartial, ""},
		{"other", errors.New("boom"), ExitError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := JamfError(tt.err)
			if code := ExitCode(got); code != tt.wantCode {
				t.Errorf("exit code %d, want %d (%v)", code, tt.wantCode, got)
			}
			if !strings.Contains(got.Error(), tt.wantHint) {
				t.Errorf("error %q lacks %q", got, tt.wantHint)
			}
		})
	}
	if JamfError(nil) != nil {
		t.Error("JamfError(nil) != nil")
	}
}
