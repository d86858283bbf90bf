package tenant

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestAffinityRememberedForTheNextRun(t *testing.T) {
	dir := t.TempDir()
	base, _ := url.Parse("https://acme.jamfcloud.com/")
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	first := newAffinityJar(base, dir, clock)
	first.SetCookies(base, []*http.Cookie{
		{Name: "jpro-ingress", Value: "node-2", Path: "/"},
		{Name: "JSESSIONID", Value: "session-secret", Path: "/"},
	})

	files, _ := filepath.Glob(filepath.Join(dir, "affinity-*.json"))
	if len(files) != 1 {
		t.Fatalf("affinity files = %v, want one", files)
	}
	data, _ := os.ReadFile(files[0])
	if string(data) == "" || strings.Contains(string(data), "session-secret") {
		t.Errorf("the file holds more than the affinity cookie: %s", data)
	}
	if fi, _ := os.Stat(files[0]); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}

	next := newAffinityJar(base, dir, clock)
	if got := cookieValue(next.Cookies(base), "jpro-ingress"); got != "node-2" {
		t.Errorf("next run's jpro-ingress = %q, want node-2", got)
	}
	if got := cookieValue(next.Cookies(base), "JSESSIONID"); got != "" {
		t.Errorf("a session cookie was carried over: %q", got)
	}

	other, _ := url.Parse("https://other.jamfcloud.com/")
	if got := cookieValue(newAffinityJar(other, dir, clock).Cookies(other), "jpro-ingress"); got != "" {
		t.Errorf("another tenant got this tenant's affinity: %q", got)
	}

	now = now.Add(AffinityTTL + time.Second)
	if got := cookieValue(newAffinityJar(base, dir, clock).Cookies(base), "jpro-ingress"); got != "" {
		t.Errorf("affinity remembered past its window: %q", got)
	}
}

func TestAffinityDisabled(t *testing.T) {
	base, _ := url.Parse("https://acme.jamfcloud.com/")
	j := newAffinityJar(base, "", time.Now)
	j.SetCookies(base, []*http.Cookie{{Name: "jpro-ingress", Value: "node-1"}})
	if got := cookieValue(j.Cookies(base), "jpro-ingress"); got != "node-1" {
		t.Errorf("the run's own jar lost the cookie: %q", got)
	}
}

func cookieValue(cs []*http.Cookie, name string) string {
	for _, c := range cs {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func TestAffinityPrunesExpiredFiles(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "affinity-0000000000000000.json")
	if err := os.WriteFile(old, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	stale := time.Now().Add(-AffinityTTL - time.Minute)
	if err := os.Chtimes(old, stale, stale); err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://acme.jamfcloud.com/")
	newAffinityJar(base, dir, time.Now).SetCookies(base, []*http.Cookie{{Name: "jpro-ingress", Value: "node-1"}})
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("expired affinity file kept (err %v)", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "affinity-*.json")); len(files) != 1 {
		t.Errorf("files = %v, want just the fresh one", files)
	}
}
