package jamfsim

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestFailNext(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	s.FailNext(2, http.StatusServiceUnavailable, 1500*time.Millisecond)
	for i := range 2 {
		st, body, h := c.raw(http.MethodGet, "api/v1/buildings", "", map[string]string{"Authorization": "Bearer " + c.token})
		if st != 503 || h.Get("Retry-After") != "2" || !strings.Contains(body, `"httpStatus":503`) {
			t.Errorf("request %d: status %d Retry-After %q body %s", i, st, h.Get("Retry-After"), body)
		}
	}
	if st, _ := c.do(http.MethodGet, "api/v1/buildings", ""); st != 200 {
		t.Errorf("third request: %d, want 200", st)
	}
}

func TestFaultMatching(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	s.InjectFault(Fault{Method: http.MethodPut, PathPrefix: "/JSSResource/", Status: http.StatusBadGateway, Count: 1})
	s.InjectFault(Fault{PathPrefix: "/api/v1/departments", Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	id := s.AddProfile(Profile{Name: "p"})
	path := "JSSResource/osxconfigurationprofiles/id/" + strconv.Itoa(id)
	if st, _ := c.do(http.MethodGet, path, ""); st != 200 {
		t.Errorf("GET not matching the PUT fault: %d", st)
	}
	st, body := c.do(http.MethodPut, path, profileXML("p", ""))
	if st != 502 || !strings.Contains(body, "<html>") {
		t.Errorf("PUT: %d %s, want 502 as an HTML page", st, body)
	}
	if st, _ := c.do(http.MethodGet, "api/v1/departments", ""); st != 429 {
		t.Errorf("departments: %d, want 429", st)
	}
	if st, _ := c.do(http.MethodPut, path, profileXML("p", "")); st != 201 {
		t.Errorf("second PUT: %d, want 201", st)
	}
	s.InjectFault(Fault{Status: 500, Count: 5})
	s.ClearFaults()
	if st, _ := c.do(http.MethodGet, path, ""); st != 200 {
		t.Errorf("after ClearFaults: %d", st)
	}
}

func TestResetNext(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	s.ResetNext(1)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+"api/v1/jamf-pro-version", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	// A fresh transport: on a reused connection net/http would silently
	// retry the GET on a new one.
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("reset request answered %d, want a connection error", resp.StatusCode)
	}
	if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != 200 {
		t.Errorf("after the reset: %d, want 200", st)
	}
	reqs := s.Requests()
	if got := reqs[len(reqs)-2]; got.Path != "/api/v1/jamf-pro-version" || got.Status != 0 {
		t.Errorf("reset request logged as %+v, want status 0", got)
	}
}

func TestLatencyHonoursCancellation(t *testing.T) {
	s := newTestServer(t, Options{})
	c := newClient(t, s)
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"api/v1/jamf-pro-version", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.hc.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("request finished despite an hour of latency")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	s.SetLatency(0)
	if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != 200 {
		t.Errorf("after removing latency: %d", st)
	}
}

func TestRequestLog(t *testing.T) {
	s := newTestServer(t, Options{DisabledQuirks: QuirkReplicationLag})
	c := newClient(t, s)
	c.do(http.MethodGet, "api/v1/buildings?page-size=5", "")
	c.do(http.MethodGet, "api/v1/buildings", "")
	c.do(http.MethodGet, "JSSResource/osxconfigurationprofiles/name/a%20b", "")
	want := []Request{
		{Method: "POST", Path: "/api/v1/oauth/token", Status: 200},
		{Method: "GET", Path: "/api/v1/buildings", Query: "page-size=5", Status: 200},
		{Method: "GET", Path: "/api/v1/buildings", Status: 200},
		{Method: "GET", Path: "/JSSResource/osxconfigurationprofiles/name/a b", Status: 404},
	}
	got := s.Requests()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Request{}, "Start", "End")); diff != "" {
		t.Errorf("request log mismatch (-want +got):\n%s", diff)
	}
	for i, r := range got {
		if r.Start.IsZero() || r.End.Before(r.Start) {
			t.Errorf("request %d: Start %v, End %v; want a start and an end not before it", i, r.Start, r.End)
		}
		if i > 0 && !r.Start.After(got[i-1].End) {
			t.Errorf("request %d started before request %d ended, though the client sent them one after another", i, i-1)
		}
	}
	if w := Waves(got); w != len(want) {
		t.Errorf("Waves = %d, want %d (every request waited for the one before)", w, len(want))
	}
	if n := s.Count("GET", "/api/v1/buildings"); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
	if n := s.Count("", "/api/v1/oauth/token"); n != 1 {
		t.Errorf("Count any method = %d, want 1", n)
	}
	s.ResetRequests()
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests after ResetRequests", n)
	}
	// Outside the base path nothing is served.
	st, _, _ := c.raw(http.MethodGet, "../api/v1/buildings", "", nil)
	if st != 404 {
		t.Errorf("outside the base path: %d, want 404", st)
	}
}

func TestBasePath(t *testing.T) {
	for _, base := range []string{"", "/tenant/a", "nested/path/"} {
		s := newTestServer(t, Options{BasePath: base})
		if !strings.HasSuffix(s.URL(), "/") || strings.HasSuffix(s.URL(), "//") {
			t.Errorf("URL() = %q for BasePath %q", s.URL(), base)
		}
		c := newClient(t, s)
		if st, _ := c.do(http.MethodGet, "api/v1/jamf-pro-version", ""); st != 200 {
			t.Errorf("BasePath %q: %d", base, st)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error(`New accepted BasePath "/"`)
		}
	}()
	New(Options{BasePath: "/"})
}

func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t, Options{})
	s.SeedFleet(200, 1)
	c := newClient(t, s)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := "p" + strconv.Itoa(i)
			st, b := c.do(http.MethodPost, "JSSResource/osxconfigurationprofiles/id/0", profileXML(name, wireForm(scepPlist)))
			if st != 201 {
				t.Errorf("create %s: %d %s", name, st, b)
			}
			c.do(http.MethodGet, "api/v1/computers-inventory?page-size=50", "")
			s.Requests()
			s.Profiles()
		})
	}
	wg.Wait()
	if n := len(s.Profiles()); n != 8 {
		t.Errorf("%d profiles, want 8", n)
	}
}
