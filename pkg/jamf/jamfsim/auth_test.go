package jamfsim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const formType = "application/x-www-form-urlencoded"

func TestOAuthToken(t *testing.T) {
	s := newTestServer(t, Options{APIClients: []APIClient{{ID: "c1", Secret: "s3cret-value", Privileges: AllPrivileges(), TokenLifetime: 60 * time.Second}}})
	c := &client{t: t, s: s, hc: s.Client()}
	tests := []struct {
		name       string
		body       string
		ctype      string
		wantStatus int
		wantError  string
	}{
		{"ok", url.Values{"grant_type": {"client_credentials"}, "client_id": {"c1"}, "client_secret": {"s3cret-value"}}.Encode(), formType, 200, ""},
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"c1"}, "client_secret": {"nope"}}.Encode(), formType, 401, "invalid_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"c2"}, "client_secret": {"s3cret-value"}}.Encode(), formType, 401, "invalid_client"},
		{"wrong grant", url.Values{"grant_type": {"password"}, "client_id": {"c1"}, "client_secret": {"s3cret-value"}}.Encode(), formType, 400, "unsupported_grant_type"},
		{"json body", `{"client_id":"c1"}`, "application/json", 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := c.raw(http.MethodPost, "api/v1/oauth/token", tt.body, map[string]string{"Content-Type": tt.ctype})
			if status != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", status, tt.wantStatus, body)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if strings.Contains(body, "s3cret-value") {
				t.Error("the answer echoes the client secret")
			}
			if tt.wantError != "" {
				if got["error"] != tt.wantError {
					t.Errorf("error = %v, want %q", got["error"], tt.wantError)
				}
				return
			}
			if got["token_type"] != "Bearer" || got["expires_in"] != float64(60) || got["access_token"] == "" {
				t.Errorf("token answer = %v, want Bearer, expires_in 60 and a token", got)
			}
		})
	}
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestUserTokenLifecycle(t *testing.T) {
	clock := newClock()
	s := newTestServer(t, Options{Now: clock.Now, UserTokenLifetime: 30 * time.Minute})
	c := &client{t: t, s: s, hc: s.Client()}

	status, _, _ := c.raw(http.MethodPost, "api/v1/auth/token", "", map[string]string{"Authorization": basic(DefaultUsername, "wrong")})
	if status != http.StatusUnauthorized {
		t.Fatalf("wrong password: status %d, want 401", status)
	}

	status, body, _ := c.raw(http.MethodPost, "api/v1/auth/token", "", map[string]string{"Authorization": basic(DefaultUsername, DefaultPassword)})
	if status != http.StatusOK {
		t.Fatalf("token: status %d body %s", status, body)
	}
	var tok userToken
	if err := json.Unmarshal([]byte(body), &tok); err != nil {
		t.Fatal(err)
	}
	if want := "2026-06-01T12:30:00.000Z"; tok.Expires != want {
		t.Errorf("expires = %q, want %q", tok.Expires, want)
	}
	c.token = tok.Token
	if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != http.StatusOK {
		t.Fatalf("version with user token: %d", st)
	}

	// keep-alive swaps the token.
	st, kb := c.do(http.MethodPost, "api/v1/auth/keep-alive", "")
	if st != http.StatusOK {
		t.Fatalf("keep-alive: %d %s", st, kb)
	}
	var kt userToken
	if err := json.Unmarshal([]byte(kb), &kt); err != nil || kt.Token == "" || kt.Token == tok.Token {
		t.Fatalf("keep-alive answer %q: want a new token (err %v)", kb, err)
	}
	if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != http.StatusUnauthorized {
		t.Errorf("old token after keep-alive: status %d, want 401", st)
	}
	c.token = kt.Token

	// Expiry follows the clock.
	clock.Add(29 * time.Minute)
	if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != http.StatusOK {
		t.Errorf("before expiry: status %d, want 200", st)
	}
	clock.Add(time.Minute)
	if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != http.StatusUnauthorized {
		t.Errorf("at expiry: status %d, want 401", st)
	}
}

func TestInvalidateAndExpireTokens(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	if st, _ := c.do(http.MethodPost, "api/v1/auth/invalidate-token", ""); st != http.StatusNoContent {
		t.Fatalf("invalidate: status %d, want 204", st)
	}
	if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != http.StatusUnauthorized {
		t.Errorf("invalidated token: status %d, want 401", st)
	}

	c = newClient(t, s)
	s.ExpireTokens()
	st, body := c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles", "")
	if st != http.StatusUnauthorized || !strings.Contains(body, "<p>The request requires user authentication</p>") {
		t.Errorf("expired token on Classic: status %d body %q, want 401 HTML", st, body)
	}
	st, body = c.do(http.MethodGet, "api/v1/buildings", "")
	if st != http.StatusUnauthorized || !strings.Contains(body, `"httpStatus":401`) {
		t.Errorf("expired token on Jamf Pro API: status %d body %q, want 401 ApiError", st, body)
	}
	if st, _ := c.do(http.MethodPost, "api/v1/auth/keep-alive", ""); st != http.StatusUnauthorized {
		t.Errorf("keep-alive with an expired token: status %d, want 401", st)
	}
	if got := s.TokensIssued(); got != 2 {
		t.Errorf("TokensIssued = %d, want 2", got)
	}
}

func TestKeepAliveRefusesOAuth(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	if st, _ := c.do(http.MethodPost, "api/v1/auth/keep-alive", ""); st != http.StatusForbidden {
		t.Errorf("keep-alive with an OAuth token: status %d, want 403", st)
	}
}

func TestBasicRefusedOnClassic(t *testing.T) {
	s := newTestServer(t, Options{})
	c := &client{t: t, s: s, hc: s.Client()}
	st, _, _ := c.raw(http.MethodGet, "JSSResource/osxconfigurationprofiles", "", map[string]string{"Authorization": basic(DefaultUsername, DefaultPassword)})
	if st != http.StatusUnauthorized {
		t.Errorf("Basic on Classic: status %d, want 401 (Basic stopped working in 11.5)", st)
	}
}

func TestPrivileges(t *testing.T) {
	profile := profileXML("P", "")
	tests := []struct {
		method, path, body string
		priv               string
		classic            bool
	}{
		{"GET", "JSSResource/osxconfigurationprofiles", "", PrivReadProfiles, true},
		{"GET", "JSSResource/osxconfigurationprofiles/id/1", "", PrivReadProfiles, true},
		{"POST", "JSSResource/osxconfigurationprofiles/id/0", profile, PrivCreateProfiles, true},
		{"PUT", "JSSResource/osxconfigurationprofiles/id/1", profile, PrivUpdateProfiles, true},
		{"DELETE", "JSSResource/osxconfigurationprofiles/id/1", "", PrivDeleteProfiles, true},
		{"GET", "api/v1/computers-inventory", "", PrivReadComputers, false},
		{"GET", "api/v4/computers-inventory", "", PrivReadComputers, false},
		{"GET", "api/v1/computer-groups", "", PrivReadSmartGroups, false},
		{"GET", "api/v1/computer-groups", "", PrivReadStaticGroups, false},
		{"GET", "api/v3/computer-groups/smart-groups", "", PrivReadSmartGroups, false},
		{"GET", "api/v3/computer-groups/static-groups", "", PrivReadStaticGroups, false},
		{"GET", "api/v1/buildings", "", PrivReadBuildings, false},
		{"GET", "api/v1/departments", "", PrivReadDepartments, false},
		{"GET", "api/v2/mdm/commands", "", PrivViewMDMCommands, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.priv, func(t *testing.T) {
			var privs []string
			for _, p := range AllPrivileges() {
				if p != tt.priv {
					privs = append(privs, p)
				}
			}
			s := newTestServer(t, Options{APIClients: []APIClient{
				{ID: "all", Secret: "a", Privileges: AllPrivileges()},
				{ID: "less", Secret: "l", Privileges: privs},
			}})
			s.AddProfile(Profile{Name: "existing"})
			c := &client{t: t, s: s, hc: s.Client()}
			c.token = oauthToken(t, c, "less", "l")
			st, body := c.do(tt.method, tt.path, tt.body)
			if st != http.StatusForbidden {
				t.Fatalf("without %q: status %d, want 403 (body %s)", tt.priv, st, body)
			}
			if tt.classic != strings.Contains(body, "<html>") {
				t.Errorf("403 body %q: want the %s shape", body, map[bool]string{true: "Classic HTML", false: "ApiError JSON"}[tt.classic])
			}
			reqs := s.Requests()
			if got := reqs[len(reqs)-1].MissingPrivilege; got != tt.priv {
				t.Errorf("MissingPrivilege = %q, want %q", got, tt.priv)
			}
			c.token = oauthToken(t, c, "all", "a")
			if st, body := c.do(tt.method, tt.path, tt.body); st == http.StatusForbidden || st == http.StatusUnauthorized {
				t.Errorf("with every privilege: status %d (body %s)", st, body)
			}
		})
	}
}

func TestAPIErrorShape(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	st, body := c.do(http.MethodGet, "api/v1/buildings?page-size=0", "")
	if st != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", st)
	}
	var got apiError
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := apiError{HTTPStatus: 400, Errors: []apiErrorCause{{Code: "INVALID_FIELD", Field: "page-size", Description: `page-size: invalid value "0"; a page size is a number from 1 to 2000`, ID: "0"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ApiError mismatch (-want +got):\n%s", diff)
	}
}

func TestOAuthTokenExpiry(t *testing.T) {
	clock := newClock()
	s := newTestServer(t, Options{Now: clock.Now, APIClients: []APIClient{{ID: "c", Secret: "s", Privileges: AllPrivileges(), TokenLifetime: 60 * time.Second}}})
	c := &client{t: t, s: s, hc: s.Client()}
	c.token = oauthToken(t, c, "c", "s")
	clock.Add(59 * time.Second)
	if st, _ := c.do(http.MethodGet, "api/v1/buildings", ""); st != http.StatusOK {
		t.Errorf("at 59 s: %d, want 200", st)
	}
	clock.Add(time.Second)
	if st, _ := c.do(http.MethodGet, "api/v1/buildings", ""); st != http.StatusUnauthorized {
		t.Errorf("at 60 s: %d, want 401", st)
	}
}
