package oktatest_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/okta/oktatest"
)

func get(t *testing.T, url string, auth func(*http.Request)) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != nil {
		auth(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestURLsHaveOktaShapes(t *testing.T) {
	s := oktatest.New(t, oktatest.Options{})
	scep := regexp.MustCompile(`^http://127\.0\.0\.1:\d+/pki/[0-9a-f]{40}/scep/rac[0-9a-z]+$`)
	challenge := regexp.MustCompile(`^http://127\.0\.0\.1:\d+/api/v1/certificateAuthorities/[0-9a-f]{40}/registrationAuthorities/rac[0-9a-z]+/challenge$`)
	if !scep.MatchString(s.SCEPURL) {
		t.Errorf("SCEPURL %s does not have Okta's shape", s.SCEPURL)
	}
	if !challenge.MatchString(s.ChallengeURL) {
		t.Errorf("ChallengeURL %s does not have Okta's shape", s.ChallengeURL)
	}
}

func TestChallengeEndpoint(t *testing.T) {
	tests := []struct {
		name       string
		opts       oktatest.Options
		user, pass string
		wantStatus int
		wantPrefix []byte
		wantIssued int
	}{
		{"UTF-16LE default", oktatest.Options{}, "", "", http.StatusOK, []byte{0xFF, 0xFE}, 1},
		{"UTF-16BE", oktatest.Options{Encoding: oktatest.UTF16BE}, "", "", http.StatusOK, []byte{0xFE, 0xFF}, 1},
		{"UTF-8 with BOM", oktatest.Options{Encoding: oktatest.UTF8BOM}, "", "", http.StatusOK, []byte{0xEF, 0xBB, 0xBF, '<'}, 1},
		{"UTF-8", oktatest.Options{Encoding: oktatest.UTF8}, "", "", http.StatusOK, []byte("<HTML>"), 1},
		{"custom credentials", oktatest.Options{Username: "okta-abc", Password: "pw"}, "okta-abc", "pw", http.StatusOK, nil, 1},
		{"wrong password", oktatest.Options{}, "", "nope", http.StatusUnauthorized, nil, 0},
		{"cache full issues nothing", oktatest.Options{Page: oktatest.PageCacheFull}, "", "", http.StatusOK, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := oktatest.New(t, tt.opts)
			user, pass := s.Username, s.Password
			if tt.user != "" {
				user = tt.user
			}
			if tt.pass != "" {
				pass = tt.pass
			}
			resp, body := get(t, s.ChallengeURL, func(r *http.Request) { r.SetBasicAuth(user, pass) })
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantPrefix != nil && !strings.HasPrefix(string(body), string(tt.wantPrefix)) {
				t.Errorf("page starts % X, want % X", body[:min(len(body), 4)], tt.wantPrefix)
			}
			if got := s.Outstanding(); got != tt.wantIssued {
				t.Errorf("outstanding challenges = %d, want %d", got, tt.wantIssued)
			}
		})
	}
}

func TestSetPage(t *testing.T) {
	s := oktatest.New(t, oktatest.Options{Encoding: oktatest.UTF8})
	auth := func(r *http.Request) { r.SetBasicAuth(s.Username, s.Password) }
	for _, tc := range []struct {
		page oktatest.Page
		want string
	}{
		{oktatest.PagePermission, "sufficient permission"},
		{oktatest.PageCacheFull, "password cache is full"},
		{oktatest.PageChallenge, "challenge password is:"},
	} {
		s.SetPage(tc.page)
		if _, body := get(t, s.ChallengeURL, auth); !strings.Contains(string(body), tc.want) {
			t.Errorf("page %d does not say %q", tc.page, tc.want)
		}
	}
}

func TestGetCACertContentTypes(t *testing.T) {
	for _, tc := range []struct {
		ra   bool
		want string
	}{
		{false, "application/x-x509-ca-cert"},
		{true, "application/x-x509-ca-ra-cert"},
	} {
		s := oktatest.New(t, oktatest.Options{RABundle: tc.ra})
		resp, _ := get(t, s.SCEPURL+"?operation=GetCACert", nil)
		if got := resp.Header.Get("Content-Type"); got != tc.want {
			t.Errorf("RABundle=%v: content type %q, want %q", tc.ra, got, tc.want)
		}
		if (s.RA != nil) != tc.ra {
			t.Errorf("RABundle=%v: RA certificate present = %v", tc.ra, s.RA != nil)
		}
	}
}

func TestWrongIDsAre404(t *testing.T) {
	s := oktatest.New(t, oktatest.Options{})
	for _, u := range []string{
		strings.Replace(s.SCEPURL, s.RAID, "racother", 1) + "?operation=GetCACaps",
		strings.Replace(s.ChallengeURL, s.CAID, strings.Repeat("0", 40), 1),
	} {
		if resp, _ := get(t, u, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", u, resp.StatusCode)
		}
	}
}
