// Package jamfschema is Jamf's published API contract as a test oracle:
// the Jamf Pro API OpenAPI 3 schemas of Jamf Pro 11.23.2, 11.29.1 and
// 11.30.1 and the Classic API's paths (testdata/SOURCE.txt says where they
// come from), loaded with github.com/getkin/kin-openapi and made strict, so
// that a test fails when the client sends a request or the simulator serves
// an answer that Jamf's schema does not describe.
//
// Only tests import this package: the schemas are embedded in test binaries,
// never in jamf-scep itself. Where the schema and any note disagree, the
// schema wins (docs/jamf-behavior.md, "Sources").
package jamfschema

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed testdata/*.json testdata/*.yaml
var files embed.FS

// Versions are the Jamf Pro versions whose Jamf Pro API schema is held,
// oldest first.
var Versions = []string{"11.23.2", "11.29.1", "11.30.1"}

// MaxPageSize is the largest page-size jamf-scep may send. Jamf's schema
// gives no maximum; jamf-scep keeps to 2000 (docs/jamf-behavior.md,
// "Lookups and paging").
const MaxPageSize = 2000

// For returns the held schema version that describes a server reporting
// Jamf Pro version v (such as "11.29.3-t1750000000"): the newest held
// version whose major.minor is not above v's, the oldest for older servers,
// and the newest for a version it cannot read.
func For(v string) string {
	major, minor, ok := majorMinor(v)
	if !ok {
		return Versions[len(Versions)-1]
	}
	out := Versions[0]
	for _, h := range Versions {
		hm, hn, _ := majorMinor(h)
		if hm < major || (hm == major && hn <= minor) {
			out = h
		}
	}
	return out
}

func majorMinor(v string) (int, int, bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minorText := parts[1]
	if i := strings.IndexFunc(minorText, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorText = minorText[:i]
	}
	minor, err2 := strconv.Atoi(minorText)
	return major, minor, err1 == nil && err2 == nil
}

// Spec is one Jamf Pro version's contract: the Jamf Pro API (OpenAPI 3)
// and the Classic API's paths and methods (Swagger 2, which publishes no
// response schemas).
type Spec struct {
	// Version is the Jamf Pro version the schema was published for.
	Version string
	// Doc is the Jamf Pro API schema, made strict: every object schema
	// that declares properties refuses undeclared ones.
	Doc     *openapi3.T
	router  routers.Router
	classic map[string][]string // path template under JSSResource -> methods
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*Spec{}
)

// Load returns the contract for a held version (one of Versions). Specs
// are loaded once and shared; treat them as read-only.
func Load(version string) (*Spec, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if s, ok := cache[version]; ok {
		return s, nil
	}
	if !slices.Contains(Versions, version) {
		return nil, fmt.Errorf("jamfschema: no schema for Jamf Pro %s; held: %s", version, strings.Join(Versions, ", "))
	}
	raw, err := files.ReadFile("testdata/jamf-pro-" + version + ".json")
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("jamfschema: %s: %w", version, err)
	}
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("jamfschema: %s: schema invalid: %w", version, err)
	}
	forbidUndeclared(doc)
	// The schema's servers entry is "/api"; routes are matched on paths
	// relative to the tenant's base URL, so match against a fixed host.
	doc.Servers = openapi3.Servers{{URL: "http://jamf.invalid/api"}}
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("jamfschema: %s: %w", version, err)
	}
	classic, err := loadClassic()
	if err != nil {
		return nil, err
	}
	s := &Spec{Version: version, Doc: doc, router: router, classic: classic}
	cache[version] = s
	return s, nil
}

// MustLoad is Load for tests: it panics on an error (the schemas are
// embedded, so an error is a defect of this package).
func MustLoad(version string) *Spec {
	s, err := Load(version)
	if err != nil {
		panic(err)
	}
	return s
}

// forbidUndeclared sets additionalProperties false on every object schema
// that declares properties and says nothing about others. Jamf's schemas
// leave additionalProperties unset (which OpenAPI reads as "allowed"), but
// a field the schema does not declare is exactly the drift these tests
// exist to catch.
func forbidUndeclared(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(r *openapi3.SchemaRef)
	walk = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			no := false
			s.AdditionalProperties.Has = &no
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, l := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, x := range l {
				walk(x)
			}
		}
	}
	for _, r := range doc.Components.Schemas {
		walk(r)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(p.Value.Schema)
				}
			}
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// Schema returns the named component schema, such as "ComputerGeneralV4",
// or nil.
func (s *Spec) Schema(name string) *openapi3.Schema {
	r := s.Doc.Components.Schemas[name]
	if r == nil {
		return nil
	}
	return r.Value
}

// Operation returns the Jamf Pro API operation for method and a path
// relative to the API root, such as "/v4/computers-inventory", or nil.
func (s *Spec) Operation(method, path string) *openapi3.Operation {
	item := s.Doc.Paths.Value(path)
	if item == nil {
		return nil
	}
	return item.GetOperation(method)
}

// Area is the part of the server a request path belongs to.
type Area int

const (
	// AreaOther is anything else (answers are not checked).
	AreaOther Area = iota
	// AreaAPI is the Jamf Pro API, under "api/".
	AreaAPI
	// AreaClassic is the Classic API, under "JSSResource/".
	AreaClassic
)

// split returns the area of u relative to base and the path inside it
// ("/v1/buildings", "/osxconfigurationprofiles/id/3").
func split(base, u *url.URL) (Area, string) {
	rel, ok := strings.CutPrefix(u.EscapedPath(), strings.TrimSuffix(base.EscapedPath(), "/"))
	if !ok {
		return AreaOther, ""
	}
	if p, ok := strings.CutPrefix(rel, "/api/"); ok {
		return AreaAPI, "/" + p
	}
	if p, ok := strings.CutPrefix(rel, "/JSSResource/"); ok {
		return AreaClassic, "/" + p
	}
	return AreaOther, rel
}

// apiRequest rewrites r (under base) to the fixed host the router matches.
func apiRequest(r *http.Request, path string) *http.Request {
	u := &url.URL{Scheme: "http", Host: "jamf.invalid", Path: "/api" + path, RawQuery: r.URL.RawQuery}
	out := r.Clone(r.Context())
	out.URL = u
	out.Host = u.Host
	out.RequestURI = ""
	return out
}

// ValidateRequest checks a request the client sends to the tenant at base
// against the contract. For the Jamf Pro API: the path and method are an
// operation of the schema; path and query parameters validate against it
// (types, enums such as section values); no query parameter is undeclared;
// page-size is 1 to MaxPageSize; every sort field and every filter field
// is one the operation's description allows (the schema lists them there);
// an operation that requires a filter gets one. For the Classic API: the
// path and method are listed. Other paths are not checked. The body of r
// is not read.
func (s *Spec) ValidateRequest(base *url.URL, r *http.Request) error {
	area, path := split(base, r.URL)
	switch area {
	case AreaClassic:
		return s.checkClassic(r.Method, path)
	case AreaAPI:
	default:
		return nil
	}
	req := apiRequest(r, path)
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s /api%s: not an operation of Jamf Pro %s's schema: %w", r.Method, path, s.Version, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: shortErrors(&openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true, MultiError: true}),
	}
	var errs []error
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, checkQuery(route.Operation, req.URL.Query())...)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s /api%s?%s: request does not match Jamf Pro %s's schema: %w", r.Method, path, req.URL.RawQuery, s.Version, err)
	}
	return nil
}

// ValidateExchange checks a request and its answer (ValidateRequest, then
// ValidateResponse). A Jamf Pro API request for an operation this version
// does not have but a newer held one does (Versions), answered 404, is no
// violation when it is a valid request of that newer schema: the client
// asked for an endpoint newer than the server (pkg/jamf asks
// computers-inventory's newest version before it knows the server's), and
// the server said so as Jamf does (docs/jamf-behavior.md, "Inventory
// versions and fields"). Answered anything else, or a path no held schema
// has (a typo answered 404 by any server), it is one.
func (s *Spec) ValidateExchange(base *url.URL, r *http.Request, status int, header http.Header, body []byte) error {
	if status == http.StatusNotFound && s.newerOperation(base, r) {
		return nil
	}
	return errors.Join(s.ValidateRequest(base, r), s.ValidateResponse(base, r, status, header, body))
}

// newerOperation reports whether r is a Jamf Pro API request that is not
// an operation of s but is a valid request of a held schema newer than s.
func (s *Spec) newerOperation(base *url.URL, r *http.Request) bool {
	area, path := split(base, r.URL)
	if area != AreaAPI {
		return false
	}
	if _, _, err := s.router.FindRoute(apiRequest(r, path)); err == nil {
		return false
	}
	i := slices.Index(Versions, s.Version)
	if i < 0 {
		return false
	}
	for _, v := range Versions[i+1:] {
		if newer, err := Load(v); err == nil && newer.ValidateRequest(base, r) == nil {
			return true
		}
	}
	return false
}

// ValidateResponse checks the answer to a request against the contract.
// Jamf Pro API answers with a status the operation declares must validate
// against that status's schema: types, required fields, enums, formats and
// no undeclared fields. Other 4xx answers with a JSON body must be an
// ApiError (or, from the token endpoint, an OAuth error); other 5xx answers
// are not checked (they may come from a gateway in front of Jamf); any
// other undeclared status is a violation. Classic API
// answers are not checked (the Classic schema has no response schemas).
func (s *Spec) ValidateResponse(base *url.URL, r *http.Request, status int, header http.Header, body []byte) error {
	area, path := split(base, r.URL)
	if area != AreaAPI {
		return nil
	}
	req := apiRequest(r, path)
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s /api%s: not an operation of Jamf Pro %s's schema: %w", r.Method, path, s.Version, err)
	}
	declared := route.Operation.Responses.Status(status) != nil
	if !declared && status/100 == 5 {
		// Server errors the operation does not declare may come from
		// the load balancer or gateway in front of Jamf, in any shape.
		return nil
	}
	if !declared && status/100 == 4 {
		return s.validateError(route, status, header, body)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: shortErrors(&openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}),
	}
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		return fmt.Errorf("%s /api%s: %d answer does not match Jamf Pro %s's schema: %w", r.Method, path, status, s.Version, err)
	}
	return nil
}

// validateError checks an error answer the operation does not declare.
func (s *Spec) validateError(route *routers.Route, status int, header http.Header, body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 || !strings.Contains(header.Get("Content-Type"), "json") {
		return nil
	}
	name := "ApiError"
	if strings.HasSuffix(route.Path, "/oauth/token") {
		name = "OAuthTokenEndpointErrorResponse"
	}
	schema := s.Schema(name)
	var v any
	if err := jsonUnmarshal(body, &v); err != nil {
		return fmt.Errorf("%s %s: %d answer is not JSON: %w", route.Method, route.Path, status, err)
	}
	if err := schema.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse(), openapi3.SetSchemaErrorMessageCustomizer(schemaErrorText)); err != nil {
		return fmt.Errorf("%s %s: %d answer is not a %s of Jamf Pro %s's schema: %w", route.Method, route.Path, status, name, s.Version, err)
	}
	return nil
}

// Example returns a value built from the schema's own examples for the
// named component schema: an object holds every declared property that
// has an example (or is itself an object or array), an array holds one
// item. Decoding it is how tests prove the client reads the fields as Jamf
// documents them.
func (s *Spec) Example(name string) any {
	r := s.Doc.Components.Schemas[name]
	if r == nil {
		return nil
	}
	return example(r.Value, 0)
}

func example(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 8 {
		return nil
	}
	if s.Example != nil {
		return s.Example
	}
	switch {
	case s.Type.Is(openapi3.TypeArray):
		if v := example(s.Items.Value, depth+1); v != nil {
			return []any{v}
		}
		return []any{}
	case s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0:
		out := map[string]any{}
		for k, p := range s.Properties {
			if p.Value == nil {
				continue
			}
			if v := example(p.Value, depth+1); v != nil {
				out[k] = v
			}
		}
		return out
	case len(s.Enum) > 0:
		return s.Enum[0]
	}
	return nil
}

// shortErrors makes o report a schema violation as "at /path: reason"
// instead of dumping the whole schema and value.
func shortErrors(o *openapi3filter.Options) *openapi3filter.Options {
	o.WithCustomSchemaErrorFunc(schemaErrorText)
	return o
}

func schemaErrorText(err *openapi3.SchemaError) string {
	return "at /" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
}
