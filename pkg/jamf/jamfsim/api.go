package jamfsim

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// pageOf is the Jamf Pro API's paged answer.
type pageOf[T any] struct {
	TotalCount int `json:"totalCount"`
	Results    []T `json:"results"`
}

// Jamf Pro API page sizes: page-size defaults to 100; the simulator
// refuses more than maxPageSize.
const (
	defaultPageSize = 100
	maxPageSize     = 2000
)

// listing filters, sorts and pages items per the request's filter, sort,
// page and page-size parameters. It answers 400 itself and returns false
// on a bad parameter.
type listing[T any] struct {
	fields rsqlFields[T]
	// sorts maps sortable field names to comparisons; the first entry of
	// order is the default.
	sorts map[string]func(a, b T) int
	order string
}

func (l listing[T]) serve(w http.ResponseWriter, r *http.Request, items []T) ([]T, int, bool) {
	q := r.URL.Query()
	bad := func(field, msg string) ([]T, int, bool) {
		writeAPIError(w, http.StatusBadRequest, "INVALID_FIELD", field+": "+msg)
		return nil, 0, false
	}
	page, size := 0, defaultPageSize
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return bad("page", fmt.Sprintf("invalid value %q; a page is a number from 0", v))
		}
		page = n
	}
	if v := q.Get("page-size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return bad("page-size", fmt.Sprintf("invalid value %q; a page size is a number from 1 to %d", v, maxPageSize))
		}
		size = n
	}
	if f := q.Get("filter"); f != "" {
		n, err := parseRSQL(f)
		if err == nil {
			err = l.fields.check(n)
		}
		if err != nil {
			return bad("filter", err.Error())
		}
		var kept []T
		for _, it := range items {
			if l.fields.match(n, it) {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	order := l.order
	if v := q.Get("sort"); v != "" {
		order = v
	}
	key, dir, _ := strings.Cut(order, ":")
	by, ok := l.sorts[key]
	if !ok || (dir != "" && dir != "asc" && dir != "desc") {
		keys := make([]string, 0, len(l.sorts))
		for k := range l.sorts {
			keys = append(keys, k+":asc", k+":desc")
		}
		slices.Sort(keys)
		return bad("sort", fmt.Sprintf("unsupported sort %q; the simulator sorts by one of %s", order, strings.Join(keys, ", ")))
	}
	items = slices.Clone(items)
	slices.SortStableFunc(items, by)
	if dir == "desc" {
		slices.Reverse(items)
	}
	total := len(items)
	start := min(page*size, total)
	end := min(start+size, total)
	return items[start:end], total, true
}

func byID[T any](id func(T) int) func(a, b T) int {
	return func(a, b T) int { return cmp.Compare(id(a), id(b)) }
}

func byName[T any](name func(T) string) func(a, b T) int {
	return func(a, b T) int { return cmp.Compare(strings.ToLower(name(a)), strings.ToLower(name(b))) }
}

// ---- buildings and departments ----

type jsonNamed struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type jsonBuilding struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	StreetAddress1 *string `json:"streetAddress1"`
	StreetAddress2 *string `json:"streetAddress2"`
	City           *string `json:"city"`
	StateProvince  *string `json:"stateProvince"`
	ZipPostalCode  *string `json:"zipPostalCode"`
	Country        *string `json:"country"`
}

var namedListing = listing[namedItem]{
	fields: rsqlFields[namedItem]{
		"id":   func(n namedItem) string { return strconv.Itoa(n.id) },
		"name": func(n namedItem) string { return n.name },
	},
	sorts: map[string]func(a, b namedItem) int{
		"id":   byID(func(n namedItem) int { return n.id }),
		"name": byName(func(n namedItem) string { return n.name }),
	},
	order: "id:asc",
}

// serveNamed serves a paged, filterable listing of named objects (buildings,
// departments, categories: Jamf's {totalCount, results} shape), each
// result shaped by shape, after checking priv.
func serveNamed[T any](s *Server, w http.ResponseWriter, r *http.Request, priv string, list *[]namedItem, shape func(namedItem) T) {
	if !s.authorize(w, r, areaAPI, priv) {
		return
	}
	s.mu.Lock()
	items := slices.Clone(*list)
	s.mu.Unlock()
	got, total, ok := namedListing.serve(w, r, items)
	if !ok {
		return
	}
	out := pageOf[T]{TotalCount: total, Results: make([]T, 0, len(got))}
	for _, n := range got {
		out.Results = append(out.Results, shape(n))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleBuildings(w http.ResponseWriter, r *http.Request) {
	serveNamed(s, w, r, PrivReadBuildings, &s.buildings, func(n namedItem) jsonBuilding {
		return jsonBuilding{ID: strconv.Itoa(n.id), Name: n.name}
	})
}

func (s *Server) handleDepartments(w http.ResponseWriter, r *http.Request) {
	serveNamed(s, w, r, PrivReadDepartments, &s.departments, func(n namedItem) jsonNamed {
		return jsonNamed{ID: strconv.Itoa(n.id), Name: n.name}
	})
}

// jsonCategory is a category with Jamf's priority (default 9).
type jsonCategory struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Priority int    `json:"priority"`
}

// handleCategories serves GET /api/v1/categories, paged like buildings.
func (s *Server) handleCategories(w http.ResponseWriter, r *http.Request) {
	serveNamed(s, w, r, PrivReadCategories, &s.categories, func(n namedItem) jsonCategory {
		return jsonCategory{ID: strconv.Itoa(n.id), Name: n.name, Priority: 9}
	})
}

// handleSites serves GET /api/v1/sites: every site, not paged.
func (s *Server) handleSites(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaAPI, PrivReadSites) {
		return
	}
	s.mu.Lock()
	out := make([]jsonNamed, 0, len(s.sites))
	for _, x := range s.sites {
		out = append(out, jsonNamed{ID: strconv.Itoa(x.id), Name: x.name})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// ---- computer groups ----

type jsonGroupV1 struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	SmartGroup bool   `json:"smartGroup"`
}

type jsonStaticGroup struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	SiteID      *string `json:"siteId"`
	Count       int     `json:"count"`
}

type jsonSmartGroup struct {
	ID              string  `json:"id"`
	Name            string  `json:"name"`
	Description     string  `json:"description"`
	SiteID          *string `json:"siteId,omitempty"` // SmartComputerGroupSearch: not nullable
	MembershipCount int     `json:"membershipCount"`
}

// handleGroupsV1 serves GET /api/v1/computer-groups: every group, not
// paged.
func (s *Server) handleGroupsV1(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaAPI, PrivReadStaticGroups, PrivReadSmartGroups) {
		return
	}
	s.mu.Lock()
	out := make([]jsonGroupV1, 0, len(s.groups))
	for _, g := range s.groups {
		out = append(out, jsonGroupV1{ID: strconv.Itoa(g.id), Name: g.name, SmartGroup: g.smart})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

var groupListing = listing[*group]{
	fields: rsqlFields[*group]{
		"id":   func(g *group) string { return strconv.Itoa(g.id) },
		"name": func(g *group) string { return g.name },
	},
	sorts: map[string]func(a, b *group) int{
		"id":   byID(func(g *group) int { return g.id }),
		"name": byName(func(g *group) string { return g.name }),
	},
	order: "id:asc",
}

func (s *Server) handleGroupsV3(smart bool) http.HandlerFunc {
	priv := PrivReadStaticGroups
	if smart {
		priv = PrivReadSmartGroups
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v3/") && !s.features.groupsV3 {
			writeAPIError(w, http.StatusNotFound, "", "")
			return
		}
		if !s.authorize(w, r, areaAPI, priv) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var items []*group
		for _, g := range s.groups {
			if g.smart == smart {
				items = append(items, g)
			}
		}
		got, total, ok := groupListing.serve(w, r, items)
		if !ok {
			return
		}
		if smart {
			out := pageOf[jsonSmartGroup]{TotalCount: total, Results: make([]jsonSmartGroup, 0, len(got))}
			for _, g := range got {
				out.Results = append(out.Results, jsonSmartGroup{ID: strconv.Itoa(g.id), Name: g.name, MembershipCount: len(s.groupMembers(g))})
			}
			writeJSON(w, http.StatusOK, out)
			return
		}
		out := pageOf[jsonStaticGroup]{TotalCount: total, Results: make([]jsonStaticGroup, 0, len(got))}
		for _, g := range got {
			out.Results = append(out.Results, jsonStaticGroup{ID: strconv.Itoa(g.id), Name: g.name, Count: len(s.groupMembers(g))})
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// ---- routes ----

func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/oauth/token", s.handleOAuthToken)
	mux.HandleFunc("POST /api/v1/auth/token", s.handleAuthToken)
	mux.HandleFunc("POST /api/v1/auth/keep-alive", s.handleKeepAlive)
	mux.HandleFunc("POST /api/v1/auth/invalidate-token", s.handleInvalidate)
	mux.HandleFunc("GET /api/v1/jamf-pro-version", s.handleVersion)

	mux.HandleFunc("GET "+profilesPath, s.handleProfileList)
	mux.HandleFunc("GET "+profilesPath+"/id/{id}", s.handleProfileGet)
	mux.HandleFunc("GET "+profilesPath+"/name/{name}", s.handleProfileGet)
	mux.HandleFunc("GET "+profilesPath+"/id/{id}/subset/{subset}", s.handleProfileGet)
	mux.HandleFunc("GET "+profilesPath+"/name/{name}/subset/{subset}", s.handleProfileGet)
	mux.HandleFunc("POST "+profilesPath+"/id/{id}", s.handleProfileCreate)
	mux.HandleFunc("PUT "+profilesPath+"/id/{id}", s.handleProfileUpdate)
	mux.HandleFunc("PUT "+profilesPath+"/name/{name}", s.handleProfileUpdate)
	mux.HandleFunc("PUT "+profilesPath+"/id/{id}/subset/{subset}", s.handleProfileUpdate)
	mux.HandleFunc("PUT "+profilesPath+"/name/{name}/subset/{subset}", s.handleProfileUpdate)
	mux.HandleFunc("DELETE "+profilesPath+"/id/{id}", s.handleProfileDelete)
	mux.HandleFunc("DELETE "+profilesPath+"/name/{name}", s.handleProfileDelete)

	mux.HandleFunc("GET /api/v1/buildings", s.handleBuildings)
	mux.HandleFunc("GET /api/v1/departments", s.handleDepartments)
	mux.HandleFunc("GET /api/v1/categories", s.handleCategories)
	mux.HandleFunc("GET /api/v1/sites", s.handleSites)
	mux.HandleFunc("GET /api/v1/computer-groups", s.handleGroupsV1)
	mux.HandleFunc("GET /JSSResource/computergroups/id/{id}", s.handleClassicGroup)
	for _, v := range []string{"v2", "v3"} {
		mux.HandleFunc("GET /api/"+v+"/computer-groups/static-groups", s.handleGroupsV3(false))
		mux.HandleFunc("GET /api/"+v+"/computer-groups/smart-groups", s.handleGroupsV3(true))
	}
	for v := 1; v <= 4; v++ {
		mux.HandleFunc(fmt.Sprintf("GET /api/v%d/computers-inventory", v), s.handleInventory(v))
	}
	mux.HandleFunc("GET /api/v2/mdm/commands", s.handleCommands)

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, areaOf(r.URL.Path), http.StatusNotFound, "")
	})
}
