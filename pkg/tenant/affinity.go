package tenant

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/userfile"
	"github.com/jamf-scep/jamf-scep/pkg/atomicfile"
)

// AffinityCookies are the load-balancer cookies that pin a client to one
// Jamf Cloud node: jpro-ingress, and APBALANCEID on older hosting.
var AffinityCookies = []string{"jpro-ingress", "APBALANCEID"}

// AffinityTTL is how long a run's node affinity is remembered for the next
// run. Jamf Cloud copies a change to its other nodes within about a
// minute (docs/jamf-behavior.md, 'Jamf Cloud nodes and cookie'), so a run started right after another's
// write must reach the same node to see it; after this window any node
// will do.
const AffinityTTL = 2 * time.Minute

// affinityJar is a cookie jar that remembers the tenant's affinity cookies
// in a small file (mode 0600) for AffinityTTL, so that a second jamf-scep
// process, such as an apply right after an apply, lands on the node that
// holds the first one's write instead of a node that has not seen it yet
// (and would, say, report no profile and have it created twice). Only the
// affinity cookies are stored: they route requests and grant nothing.
type affinityJar struct {
	http.CookieJar
	base *url.URL
	path string // "" disables persistence
	now  func() time.Time

	mu   sync.Mutex
	last string // the affinity value last saved
}

// storedAffinity is the file's JSON.
type storedAffinity struct {
	Cookies []storedCookie `json:"cookies"`
	Expires time.Time      `json:"expires"`
}

type storedCookie struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// newAffinityJar returns a jar for base that starts with the affinity
// cookies a run against the same tenant saved within AffinityTTL. dir is
// the cache directory ("" disables persistence).
func newAffinityJar(base *url.URL, dir string, now func() time.Time) *affinityJar {
	inner, _ := cookiejar.New(nil) // never fails with nil options
	j := &affinityJar{CookieJar: inner, base: base, now: now}
	if dir == "" {
		return j
	}
	sum := sha256.Sum256([]byte(base.Scheme + "://" + base.Host + base.Path))
	j.path = filepath.Join(dir, "affinity-"+hex.EncodeToString(sum[:8])+".json")
	// A cache file is a few hundred bytes; anything else is not ours.
	data, _, err := userfile.Read(j.path, 64<<10)
	if err != nil {
		return j
	}
	var s storedAffinity
	if json.Unmarshal(data, &s) != nil || now().After(s.Expires) {
		return j
	}
	var cs []*http.Cookie
	for _, c := range s.Cookies {
		if slices.Contains(AffinityCookies, c.Name) {
			cs = append(cs, &http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	inner.SetCookies(base, cs)
	return j
}

// SetCookies stores cookies and, when an affinity cookie arrives, saves
// the current affinity for the next run. A failure to save only loses the
// optimization.
func (j *affinityJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.CookieJar.SetCookies(u, cookies)
	if j.path == "" || !slices.ContainsFunc(cookies, func(c *http.Cookie) bool { return slices.Contains(AffinityCookies, c.Name) }) {
		return
	}
	var s storedAffinity
	for _, c := range j.CookieJar.Cookies(j.base) {
		if slices.Contains(AffinityCookies, c.Name) {
			s.Cookies = append(s.Cookies, storedCookie{Name: c.Name, Value: c.Value})
		}
	}
	data, err := json.Marshal(s.Cookies)
	if err != nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	s.Expires = j.now().Add(AffinityTTL)
	if string(data) == j.last {
		return
	}
	if out, err := json.Marshal(s); err == nil && os.MkdirAll(filepath.Dir(j.path), 0o700) == nil &&
		atomicfile.WriteFile(j.path, out, 0o600, true) == nil {
		j.last = string(data)
		pruneAffinity(filepath.Dir(j.path), time.Now()) // file times are wall-clock times
	}
}

// pruneAffinity removes affinity files last written more than AffinityTTL
// ago, so the folder holds only windows that can still matter (test and
// demo simulators on random ports leave many).
func pruneAffinity(dir string, now time.Time) {
	files, _ := filepath.Glob(filepath.Join(dir, "affinity-*.json"))
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && now.Sub(fi.ModTime()) > AffinityTTL {
			_ = os.Remove(f)
		}
	}
}

// cacheDir is where affinity files live: the user cache directory's
// jamf-scep folder, or "" when the system has none.
func cacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "jamf-scep")
}
