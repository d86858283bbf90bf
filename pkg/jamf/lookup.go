package jamf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/jamf-scep/jamf-scep/internal/crash"
)

const (
	jsonType        = "application/json"
	computerGroups  = "api/v1/computer-groups" // all groups, not paged
	buildingsPath   = "api/v1/buildings"
	departmentsPath = "api/v1/departments"
	categoriesPath  = "api/v1/categories"
	sitesPath       = "api/v1/sites"
	versionPath     = "api/v1/jamf-pro-version"
	mdmCommandsPath = "api/v2/mdm/commands"
	defaultPageSize = 500
	// maxPageSize is the largest page-size jamf-scep asks for. The schema
	// gives no maximum; 2000 is inferred (docs/jamf-behavior.md, "Lookups
	// and paging"), and the contract tests refuse more.
	maxPageSize      = 2000
	inventoryMaxPage = maxPageSize
)

// ComputerGroup is a smart or static computer group (Jamf Pro API ids are
// strings; the Classic id is the same number).
type ComputerGroup struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Smart bool   `json:"smartGroup"`
}

// Building is a Jamf Pro building.
type Building struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Department is a Jamf Pro department.
type Department struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ComputerGroups returns every computer group in one call
// (GET /api/v1/computer-groups, not paged).
func (c *Client) ComputerGroups(ctx context.Context) ([]ComputerGroup, error) {
	var out []ComputerGroup
	if err := c.getJSON(ctx, computerGroups, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Buildings returns every building (GET /api/v1/buildings, all pages).
func (c *Client) Buildings(ctx context.Context) ([]Building, error) {
	return getPaged[Building](ctx, c, buildingsPath, url.Values{"sort": {"id:asc"}}, defaultPageSize)
}

// Departments returns every department (GET /api/v1/departments, all pages).
func (c *Client) Departments(ctx context.Context) ([]Department, error) {
	return getPaged[Department](ctx, c, departmentsPath, url.Values{"sort": {"id:asc"}}, defaultPageSize)
}

// Category is a Jamf Pro category (Settings > Global > Categories).
type Category struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Site is a Jamf Pro site.
type Site struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Categories returns every category (GET /api/v1/categories, all pages).
// Needs the privilege "Read Categories".
func (c *Client) Categories(ctx context.Context) ([]Category, error) {
	return getPaged[Category](ctx, c, categoriesPath, url.Values{"sort": {"id:asc"}}, defaultPageSize)
}

// Sites returns every site (GET /api/v1/sites, one call, not paged).
// Needs the privilege "Read Sites".
func (c *Client) Sites(ctx context.Context) ([]Site, error) {
	var out []Site
	if err := c.getJSON(ctx, sitesPath, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Version returns the Jamf Pro version string, "11.30.0-t1727000000"
// (GET /api/v1/jamf-pro-version). It is fetched once per client: callers
// that ask while the request is out share it, and a failed request is
// tried again by the next caller. Each caller waits only as long as its
// own ctx allows (a caller that leaves gets ctx's error, wrapped, and
// never ends the request for the others); the request stops when every
// caller waiting for it has left. Other errors are the request's, as
// getJSON returns them, or one naming an answer without a version.
func (c *Client) Version(ctx context.Context) (string, error) {
	c.versionMu.Lock()
	if v := c.version; v != "" {
		c.versionMu.Unlock()
		return v, nil
	}
	f := c.versionFlight
	if f == nil {
		// The request belongs to no caller: it keeps ctx's values (the
		// logger's attributes, a trace) but not its cancellation.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &versionFlight{done: make(chan struct{}), cancel: cancel}
		c.versionFlight = f
		go c.fetchVersion(fctx, f)
	}
	f.waiters++
	c.versionMu.Unlock()

	select {
	case <-f.done:
		return f.version, f.err
	case <-ctx.Done():
		c.versionMu.Lock()
		f.waiters--
		if f.waiters == 0 {
			// Nobody waits: stop the request, and let the next caller
			// start its own rather than join a stopped one.
			f.cancel()
			if c.versionFlight == f {
				c.versionFlight = nil
			}
		}
		c.versionMu.Unlock()
		return "", fmt.Errorf("jamf: GET %s: %w", versionPath, ctx.Err())
	}
}

// versionFlight is one GET jamf-pro-version request and the callers of
// Version waiting for it. The fields but done and cancel are guarded by
// Client.versionMu until done is closed; version and err are set before.
type versionFlight struct {
	done    chan struct{}
	cancel  context.CancelFunc // stops the request
	waiters int                // callers waiting for done
	version string
	err     error
}

// fetchVersion makes f's request, remembers a version it answers and
// ends f. A panic in it is f's error (a *crash.Error), reported by each
// caller waiting.
func (c *Client) fetchVersion(ctx context.Context, f *versionFlight) {
	defer f.cancel()
	var v struct {
		Version string `json:"version"`
	}
	err := func() (err error) {
		defer crash.Recover(&err)
		if err := c.getJSON(ctx, versionPath, &v); err != nil {
			return err
		}
		if v.Version == "" {
			return fmt.Errorf("jamf: GET %s: answer has no version", versionPath)
		}
		return nil
	}()
	c.versionMu.Lock()
	if err == nil {
		c.version, f.version = v.Version, v.Version
	}
	f.err = err
	if c.versionFlight == f {
		c.versionFlight = nil
	}
	c.versionMu.Unlock()
	close(f.done)
}

// parseVersion reads "11.30.0-t1727000000" as (11, 30).
func parseVersion(s string) (major, minor int, ok bool) {
	parts := strings.SplitN(s, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minorStr := parts[1]
	if i := strings.IndexFunc(minorStr, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorStr = minorStr[:i]
	}
	minor, err2 := strconv.Atoi(minorStr)
	return major, minor, err1 == nil && err2 == nil
}

// getPaged fetches every page of path (page, page-size from 0). Page 0
// gives totalCount; the remaining pages are then fetched together, at most
// the client's concurrency cap at once (see [DefaultMaxConcurrency]), so a
// listing of any length costs two waves of round trips. Each answer must be
// a page (see decodePage) carrying page 0's totalCount, every page but the
// last must be full, and the pages together must hold exactly totalCount
// results: a page that disagrees (a proxy's answer, a count that moved while
// the listing was read) is an error matching ErrWrongDocument, never a
// short or padded list. So is a 404 on a later page: only page 0's 404
// matches ErrNotFound (the endpoint is missing). The number of pages is
// bounded by maxPages, and nothing is allocated from a server's number
// beyond that bound.
func getPaged[T any](ctx context.Context, c *Client, path string, q url.Values, size int) ([]T, error) {
	return getPagedFunc[T](ctx, c, path, q, size, nil)
}

// getPagedFunc is getPaged calling onPage (when not nil) after page 0 and
// after each later page arrives, with the results read so far and
// totalCount. Later pages arrive concurrently; onPage is called for one at
// a time, with a growing count.
func getPagedFunc[T any](ctx context.Context, c *Client, path string, q url.Values, size int, onPage func(read, total int)) ([]T, error) {
	if onPage == nil {
		onPage = func(int, int) {}
	}
	fetch := func(ctx context.Context, n int) (int, []T, error) {
		qq := make(url.Values, len(q)+2)
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("page", strconv.Itoa(n))
		qq.Set("page-size", strconv.Itoa(size))
		raw, err := c.do(ctx, request{method: http.MethodGet, path: path, query: qq, accept: jsonType})
		if err != nil {
			return 0, nil, err
		}
		return decodePage[T](raw, http.MethodGet, path, size)
	}
	total, first, err := fetch(ctx, 0)
	if err != nil {
		return nil, err
	}
	pages := max(1, (total+size-1)/size)
	if pages > maxPages {
		return nil, wrongDoc(http.MethodGet, path, "listing did not end within %d pages", maxPages)
	}
	if pages > 1 && len(first) < size {
		return nil, wrongDoc(http.MethodGet, path, "page 0 holds %d results, fewer than the page-size %d, of totalCount %d (did the listing change while it was read? run again)", len(first), size, total)
	}
	onPage(min(len(first), total), total)
	var readMu sync.Mutex
	read := len(first)
	rest := make([][]T, pages) // rest[n] is page n; rest[0] stays empty
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cap(c.sem))
	for n := 1; n < pages; n++ {
		g.Go(func() (err error) {
			defer crash.Recover(&err)
			pageTotal, results, err := fetch(gctx, n)
			switch {
			case errors.Is(err, ErrNotFound):
				// Page 0 proved the endpoint: this is no missing endpoint
				// (which callers may step down from), but a listing that
				// changed or a proxy's answer.
				return wrongDoc(http.MethodGet, path, "page %d answered 404 after page 0 answered (did the listing change while it was read? run again)", n)
			case err != nil:
				return err
			case pageTotal != total:
				return wrongDoc(http.MethodGet, path, "page %d says totalCount %d, page 0 said %d (did the listing change while it was read? run again)", n, pageTotal, total)
			case n < pages-1 && len(results) < size:
				return wrongDoc(http.MethodGet, path, "page %d holds %d results, fewer than the page-size %d, before the last page of totalCount %d (did the listing change while it was read? run again)", n, len(results), size, total)
			}
			rest[n] = results
			readMu.Lock()
			read += len(results)
			onPage(min(read, total), total)
			readMu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	got := len(first)
	for _, r := range rest {
		got += len(r)
	}
	switch {
	case got > total:
		return nil, wrongDoc(http.MethodGet, path, "pages hold more results than totalCount %d", total)
	case got < total:
		return nil, wrongDoc(http.MethodGet, path, "pages hold %d results, fewer than totalCount %d (did the listing change while it was read? run again)", got, total)
	}
	out := make([]T, 0, got)
	out = append(out, first...)
	for _, r := range rest {
		out = append(out, r...)
	}
	return out, nil
}

// getJSON GETs path and decodes its answer into out, a pointer to a slice
// (the answer must be a JSON array) or to a struct (a JSON object).
func (c *Client) getJSON(ctx context.Context, path string, out any) error {
	raw, err := c.do(ctx, request{method: http.MethodGet, path: path, accept: jsonType})
	if err != nil {
		return err
	}
	return decodeJSON(raw, http.MethodGet, path, reflect.TypeOf(out).Elem().Kind() == reflect.Slice, out)
}

// Timestamp is a Jamf Pro API date-time. It accepts RFC 3339 with or
// without fractional seconds, the same without a zone (read as UTC), and a
// bare date; JSON null or "" is the zero time.
type Timestamp struct{ time.Time }

var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Timestamp{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	if s == "" {
		*t = Timestamp{}
		return nil
	}
	for _, l := range timestampLayouts {
		if v, err := time.Parse(l, s); err == nil {
			*t = Timestamp{v}
			return nil
		}
	}
	return errors.New("timestamp: unrecognized date-time " + strconv.Quote(s))
}
