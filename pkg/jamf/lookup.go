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
	"time"
)

const (
	jsonType         = "application/json"
	computerGroups   = "api/v1/computer-groups" // all groups, not paged
	buildingsPath    = "api/v1/buildings"
	departmentsPath  = "api/v1/departments"
	categoriesPath   = "api/v1/categories"
	sitesPath        = "api/v1/sites"
	versionPath      = "api/v1/jamf-pro-version"
	mdmCommandsPath  = "api/v2/mdm/commands"
	defaultPageSize  = 500
	inventoryMaxPage = 2000 // Jamf's largest page-size for computers-inventory
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
// (GET /api/v1/jamf-pro-version). It is fetched once per client.
func (c *Client) Version(ctx context.Context) (string, error) {
	c.versionMu.Lock()
	defer c.versionMu.Unlock()
	if c.version != "" {
		return c.version, nil
	}
	var v struct {
		Version string `json:"version"`
	}
	if err := c.getJSON(ctx, versionPath, &v); err != nil {
		return "", err
	}
	if v.Version == "" {
		return "", fmt.Errorf("jamf: GET %s: answer has no version", versionPath)
	}
	c.version = v.Version
	return v.Version, nil
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

// getPaged fetches every page of path (page, page-size from 0). Each
// answer must be a page (see decodePage) carrying the first page's
// totalCount, and the pages together must hold exactly totalCount results:
// a page that disagrees (a proxy's answer, a count that moved while the
// listing was read) is an error matching ErrWrongDocument, never a short
// or padded list. The number of pages is bounded by totalCount, so a
// server that miscounts cannot loop it, and nothing is allocated from a
// server's number.
func getPaged[T any](ctx context.Context, c *Client, path string, q url.Values, size int) ([]T, error) {
	return getPagedFunc[T](ctx, c, path, q, size, nil)
}

// getPagedFunc is getPaged calling onPage (when not nil) after each page
// with the results read so far and totalCount.
func getPagedFunc[T any](ctx context.Context, c *Client, path string, q url.Values, size int, onPage func(read, total int)) ([]T, error) {
	var out []T
	total := -1
	for n := 0; total < 0 || len(out) < total; n++ {
		if n >= maxPages {
			return nil, wrongDoc(http.MethodGet, path, "listing did not end within %d pages", maxPages)
		}
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("page", strconv.Itoa(n))
		qq.Set("page-size", strconv.Itoa(size))
		raw, err := c.do(ctx, request{method: http.MethodGet, path: path, query: qq, accept: jsonType})
		if err != nil {
			return nil, err
		}
		pageTotal, results, err := decodePage[T](raw, http.MethodGet, path, size)
		if err != nil {
			return nil, err
		}
		switch {
		case total >= 0 && pageTotal != total:
			return nil, wrongDoc(http.MethodGet, path, "page %d says totalCount %d, page 0 said %d (did the listing change while it was read? run again)", n, pageTotal, total)
		case len(out)+len(results) > pageTotal:
			return nil, wrongDoc(http.MethodGet, path, "pages hold more results than totalCount %d", pageTotal)
		case len(results) == 0 && len(out) < pageTotal:
			return nil, wrongDoc(http.MethodGet, path, "page %d is empty after %d of totalCount %d results", n, len(out), pageTotal)
		}
		total = pageTotal
		out = append(out, results...)
		if onPage != nil {
			onPage(len(out), total)
		}
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
