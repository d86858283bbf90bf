package jamfsim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// token is an issued bearer token.
type token struct {
	subject    string // client id or user name
	oauth      bool
	privileges []string
	expires    time.Time
	revoked    bool
}

func newSecret(nbytes int) string { return hex.EncodeToString(mustRandom(nbytes)) }

// ExpireTokens makes every token issued so far expire now; the next
// request carrying one answers 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.tokens {
		t.expires = now
	}
}

// TokensIssued returns how many tokens the server has issued, for tests of
// refresh behavior.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens)
}

func (s *Server) issue(subject string, oauth bool, privs []string, life time.Duration) (string, *token) {
	t := &token{subject: subject, oauth: oauth, privileges: privs, expires: s.now().Add(life)}
	v := newSecret(32)
	s.tokens[v] = t
	return v, t
}

// handleOAuthToken serves POST /api/v1/oauth/token (client credentials
// grant, RFC 6749 section 4.4; errors per section 5.2).
func (s *Server) handleOAuthToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	s.mu.Lock()
	c, ok := s.clients[id]
	if !ok || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		s.mu.Unlock()
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "")
		return
	}
	v, _ := s.issue(c.ID, true, c.Privileges, c.TokenLifetime)
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": v,
		"scope":        "api-role:" + c.ID,
		"token_type":   "Bearer",
		"expires_in":   int(c.TokenLifetime / time.Second),
	})
}

type userToken struct {
	Token   string `json:"token"`
	Expires string `json:"expires"`
}

func formatExpires(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// handleAuthToken serves POST /api/v1/auth/token with Basic credentials.
func (s *Server) handleAuthToken(w http.ResponseWriter, r *http.Request) {
	name, pass, ok := r.BasicAuth()
	s.mu.Lock()
	u, known := s.users[name]
	if !ok || !known || subtle.ConstantTimeCompare([]byte(u.Password), []byte(pass)) != 1 {
		s.mu.Unlock()
		writeAPIError(w, http.StatusUnauthorized, "", "")
		return
	}
	v, t := s.issue(u.Name, false, u.Privileges, s.opts.UserTokenLifetime)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, userToken{Token: v, Expires: formatExpires(t.expires)})
}

// handleKeepAlive serves POST /api/v1/auth/keep-alive: a user token is
// swapped for a fresh one and the old one stops working. OAuth tokens
// cannot be kept alive.
func (s *Server) handleKeepAlive(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, t := s.bearer(r)
	if t == nil {
		writeAPIError(w, http.StatusUnauthorized, "", "")
		return
	}
	if t.oauth {
		writeAPIError(w, http.StatusForbidden, "", "keep-alive is not available for OAuth access tokens")
		return
	}
	s.tokens[old].revoked = true
	v, nt := s.issue(t.subject, false, t.privileges, s.opts.UserTokenLifetime)
	writeJSON(w, http.StatusOK, userToken{Token: v, Expires: formatExpires(nt.expires)})
}

// handleInvalidate serves POST /api/v1/auth/invalidate-token: 204.
func (s *Server) handleInvalidate(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, t := s.bearer(r)
	if t == nil {
		writeAPIError(w, http.StatusUnauthorized, "", "")
		return
	}
	s.tokens[v].revoked = true
	w.WriteHeader(http.StatusNoContent)
}

// bearer returns the valid token r carries, or nil. s.mu must be held.
func (s *Server) bearer(r *http.Request) (string, *token) {
	h := r.Header.Get("Authorization")
	v, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return "", nil
	}
	t, ok := s.tokens[v]
	if !ok || t.revoked || !s.now().Before(t.expires) {
		return "", nil
	}
	return v, t
}

// authorize checks r's bearer token and privileges and answers 401/403
// in the area's shape when they fall short; it reports whether the
// handler may go on. s.mu must not be held.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, a area, privs ...string) bool {
	s.mu.Lock()
	_, t := s.bearer(r)
	s.mu.Unlock()
	if t == nil {
		writeError(w, a, http.StatusUnauthorized, "")
		return false
	}
	for _, p := range privs {
		if !slices.Contains(t.privileges, p) {
			info(r).missingPrivilege = p
			if a == areaClassic {
				writeClassicError(w, http.StatusForbidden, "")
			} else {
				writeAPIError(w, http.StatusForbidden, "", "Forbidden")
			}
			return false
		}
	}
	return true
}

// handleVersion serves GET /api/v1/jamf-pro-version.
func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaAPI) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"version": s.opts.Version})
}

// versionAtLeast reports whether a Jamf version string such as
// "11.30.1-t1750000000" is at least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	v, _, _ = strings.Cut(v, "-")
	parts := strings.Split(v, ".")
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || (ma == major && mi >= minor)
}

func mustRandom(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return b
}
