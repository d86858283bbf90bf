package jamfschema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// Transport is an http.RoundTripper for tests that checks every exchange
// with a tenant against a Spec: each request before it is sent, each
// answer after it arrives (see Spec.ValidateRequest and
// Spec.ValidateResponse). Violations are collected, not returned, so the
// code under test runs as it would against Jamf; Check or Errors reports
// them.
type Transport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// BaseURL is the tenant's base URL (such as the simulator's URL()).
	BaseURL *url.URL
	// Spec is the contract; it must be set.
	Spec *Spec

	mu   sync.Mutex
	errs []error
	n    int
}

// NewTransport returns a Transport for the tenant at baseURL checked
// against Jamf Pro version's schema (a held version or any server version
// string: For picks the schema).
func NewTransport(baseURL, version string) (*Transport, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, err
	}
	s, err := Load(For(version))
	if err != nil {
		return nil, err
	}
	return &Transport{BaseURL: u, Spec: s}, nil
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	if err != nil {
		t.record(t.Spec.ValidateRequest(t.BaseURL, r))
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		t.record(t.Spec.ValidateRequest(t.BaseURL, r))
		return resp, err
	}
	t.record(t.Spec.ValidateExchange(t.BaseURL, r, resp.StatusCode, resp.Header, body))
	return resp, nil
}

func (t *Transport) record(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	if err != nil {
		t.errs = append(t.errs, err)
	}
}

// Errors returns every violation seen so far, joined (nil when none).
func (t *Transport) Errors() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return errors.Join(t.errs...)
}

// Checked is how many requests and answers were checked.
func (t *Transport) Checked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// Check fails tb with every violation seen so far.
func (t *Transport) Check(tb testing.TB) {
	tb.Helper()
	if err := t.Errors(); err != nil {
		tb.Errorf("exchanges that break Jamf Pro %s's published schema:\n%v", t.Spec.Version, err)
	}
}

// Client returns an *http.Client using t, for jamf.WithHTTPClient.
func (t *Transport) Client() *http.Client { return &http.Client{Transport: t} }

// Wrap returns an *http.Client that checks every exchange against the
// schema for version and fails tb at the end of the test on a violation.
func Wrap(tb testing.TB, baseURL, version string) *http.Client {
	tb.Helper()
	t, err := NewTransport(baseURL, version)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { t.Check(tb) })
	return t.Client()
}

// String names the transport's contract for messages.
func (t *Transport) String() string { return fmt.Sprintf("Jamf Pro %s schema", t.Spec.Version) }

// Observer returns a function for jamfsim.Options.Observe that checks
// every exchange of a simulator mounted at the default base path "/jamf/"
// against the schema for version (a held version or a server version
// string) and fails tb at the end of the test on a violation.
func Observer(tb testing.TB, version string) func(*http.Request, int, http.Header, []byte) {
	tb.Helper()
	spec, err := Load(For(version))
	if err != nil {
		tb.Fatal(err)
	}
	t := &Transport{BaseURL: &url.URL{Path: "/jamf/"}, Spec: spec}
	tb.Cleanup(func() { t.Check(tb) })
	return func(r *http.Request, status int, header http.Header, body []byte) {
		t.record(spec.ValidateExchange(t.BaseURL, r, status, header, body))
	}
}
