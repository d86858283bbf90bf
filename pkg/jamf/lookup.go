package jamf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/safedecode"
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
	if err := c.getJSON(ctx, computerGroups, nil, &out); err != nil {
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
	if err := c.getJSON(ctx, sitesPath, nil, &out); err != nil {
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
	if err := c.getJSON(ctx, versionPath, nil, &v); err != nil {
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

// inventoryPath picks the computers-inventory version for a Jamf Pro
// version: v4 from 11.30 on (FIELD-NOTES section 3), v1 before. This is the
// one place that choice lives; when the chosen version answers 404 the
// client steps down (see ComputersInventory).
func inventoryPath(version string) int {
	major, minor, ok := parseVersion(version)
	if !ok || major > 11 || (major == 11 && minor >= 30) {
		return 4
	}
	return 1
}

// page is the Jamf Pro API paged answer.
type page[T any] struct {
	TotalCount int `json:"totalCount"`
	Results    []T `json:"results"`
}

// getPaged fetches every page of path (page, page-size from 0). It stops
// at totalCount, at an empty page, or after the number of pages the first
// totalCount implies, so a server that miscounts cannot loop it.
func getPaged[T any](ctx context.Context, c *Client, path string, q url.Values, size int) ([]T, error) {
	var out []T
	maxPages := 1
	for n := 0; n < maxPages; n++ {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("page", strconv.Itoa(n))
		qq.Set("page-size", strconv.Itoa(size))
		var p page[T]
		if err := c.getJSON(ctx, path, qq, &p); err != nil {
			return nil, err
		}
		if n == 0 {
			out = make([]T, 0, p.TotalCount)
			maxPages = (p.TotalCount + size - 1) / size
		}
		out = append(out, p.Results...)
		if len(p.Results) == 0 || len(out) >= p.TotalCount {
			break
		}
	}
	return out, nil
}

func (c *Client) getJSON(ctx context.Context, path string, q url.Values, out any) error {
	raw, err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, accept: jsonType})
	if err != nil {
		return err
	}
	// Within safedecode.JSONLimits: the nesting is checked before decoding.
	if err := safedecode.JSON(raw, out); err != nil {
		return fmt.Errorf("jamf: GET %s: answer is not the expected JSON: %w", path, err)
	}
	return nil
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
