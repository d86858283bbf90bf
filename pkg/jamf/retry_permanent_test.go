package jamf

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"testing"
)

func TestPermanentNetError(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&net.DNSError{Err: "no such host", Name: "acme.jamfcloud.example", IsNotFound: true}, true},
		{&net.DNSError{Err: "server misbehaving", Name: "acme.jamfcloud.com", IsTemporary: true}, false},
		{fmt.Errorf("Get: %w", x509.UnknownAuthorityError{}), true},
		{fmt.Errorf("Get: %w", x509.HostnameError{Host: "x"}), true},
		{errors.New("connection reset by peer"), false},
	}
	for _, tt := range tests {
		if got := permanentNetError(tt.err); got != tt.want {
			t.Errorf("permanentNetError(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
