package jamfsim

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is an in-process Jamf Pro on a loopback httptest.Server. All
// methods are safe for concurrent use.
type Server struct {
	opts     Options
	features features
	ts       *httptest.Server

	mu sync.Mutex

	clients map[string]APIClient
	users   map[string]User
	tokens  map[string]*token

	computers   []*computer // index = id-1
	buildings   []namedItem
	categories  []namedItem
	sites       []namedItem
	departments []namedItem
	groups      []*group // index = id-1

	profiles      map[int][]profileVersion
	nextProfileID int
	commands      []*mdmCommand
	redeploys     []Redeploy
	devices       map[int]*device // computer id -> how it answers MDM, what it was issued (devices.go)

	requests []Request
	faults   []*Fault
	latency  time.Duration
	nextNode int
}

// New starts a simulator with opts and returns it; Close stops it.
// Options are described on [Options]; New panics if opts.BasePath is "/".
// Tests use jamfsimtest.New, which closes the server when the test ends.
func New(opts Options) *Server {
	if opts.BasePath == "/" {
		panic("jamfsim: Options.BasePath must not be \"/\"; mount the server under a path such as \"/jamf/\"")
	}
	s := &Server{
		opts:    opts.withDefaults(),
		clients: make(map[string]APIClient),
		users:   make(map[string]User),
		tokens:  make(map[string]*token),

		profiles:      make(map[int][]profileVersion),
		nextProfileID: 1,
	}
	for _, c := range s.opts.APIClients {
		if c.TokenLifetime == 0 {
			c.TokenLifetime = 300 * time.Second
		}
		s.clients[c.ID] = c
	}
	for _, u := range s.opts.Users {
		s.users[u.Name] = u
	}
	s.features = featuresOf(s.opts.Version)
	s.ts = httptest.NewServer(s.handler())
	return s
}

// URL is the server's base URL with a trailing slash, such as
// "http://127.0.0.1:53211/jamf/".
func (s *Server) URL() string { return s.ts.URL + s.opts.BasePath }

// Client is an *http.Client that reaches the server (no cookie jar).
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close shuts the server down and blocks until all requests are done.
func (s *Server) Close() { s.ts.Close() }

func (s *Server) has(q Quirk) bool { return s.opts.DisabledQuirks&q == 0 }

func (s *Server) now() time.Time { return s.opts.Now() }

// Request is one request the server answered, for tests to assert on.
type Request struct {
	Method string
	// Path is relative to the base path, with a leading slash, such as
	// "/JSSResource/osxconfigurationprofiles/id/3", unescaped.
	Path string
	// Query is the raw query string.
	Query  string
	Status int
	// Node is the index of the node that served the request.
	Node int
	// MissingPrivilege names the privilege whose absence caused a 403.
	MissingPrivilege string
	// Start is when the request arrived, before any added latency; End is
	// when its answer was written. [Waves] reads them.
	Start, End time.Time
}

// Requests returns a copy of the request log in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Count returns how many logged requests had method (empty matches any)
// and a Path equal to path.
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || r.Method == method) && r.Path == path {
			n++
		}
	}
	return n
}

// Fault makes the server misbehave for matching requests. A request
// matches when Method is empty or equal and its base-relative path (see
// [Request.Path]) starts with PathPrefix.
type Fault struct {
	Method     string
	PathPrefix string
	// Count is how many matching requests the fault applies to; values
	// below 1 mean 1.
	Count int
	// Status is the status to answer, such as 503. RetryAfter, when
	// positive, is sent as a Retry-After header in whole seconds (rounded
	// up).
	Status     int
	RetryAfter time.Duration
	// Reset, when true, closes the connection with a TCP reset instead of
	// answering.
	Reset bool
	// Body, when set, is answered instead of the error page: with Status
	// (200 when zero) and ContentType. It models a well-formed answer that
	// is the wrong document: a proxy's login page, JSON where XML belongs,
	// a list whose count disagrees with its entries.
	Body        string
	ContentType string
	// AfterStore, when true, lets the server handle the request first (a
	// write is stored) and only then answers with the fault (Status, Body
	// or Reset) instead of the real answer: a gateway 502 or 504, or a
	// lost answer, after Jamf stored the write.
	AfterStore bool
}

// InjectFault queues f. Faults are tried in the order they were injected;
// the first that matches a request handles it.
func (s *Server) InjectFault(f Fault) {
	if f.Count < 1 {
		f.Count = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// FailNext makes the next n requests answer status with a Retry-After of
// retryAfter (none if zero).
func (s *Server) FailNext(n, status int, retryAfter time.Duration) {
	s.InjectFault(Fault{Count: n, Status: status, RetryAfter: retryAfter})
}

// ResetNext makes the next n requests end in a connection reset. Note that
// net/http's Transport silently retries an idempotent request that fails
// on a reused keep-alive connection, so one reset may be absorbed below the
// client under test; inject two or more to be sure the client sees one.
func (s *Server) ResetNext(n int) { s.InjectFault(Fault{Count: n, Reset: true}) }

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// SetLatency delays every later request by d before it is handled (zero
// removes the delay). A canceled request stops waiting.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// statusWriter records the status a handler wrote and, when body is not
// nil, what it wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	body   *bytes.Buffer
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.body != nil {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

type ctxKey struct{}

// reqInfo travels in the request context from the middleware to handlers.
type reqInfo struct {
	node             int
	missingPrivilege string
}

func info(r *http.Request) *reqInfo { return r.Context().Value(ctxKey{}).(*reqInfo) }

const (
	cookieIngress = "jpro-ingress"
	cookieLegacy  = "APBALANCEID"
)

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	inner := http.StripPrefix(strings.TrimSuffix(s.opts.BasePath, "/"), mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, s.opts.BasePath) {
			http.NotFound(w, r)
			return
		}
		rel := "/" + strings.TrimPrefix(r.URL.Path, s.opts.BasePath)
		start := time.Now()

		s.mu.Lock()
		latency := s.latency
		fault := s.takeFault(r.Method, rel)
		node := s.pickNode(w, r)
		s.mu.Unlock()

		if latency > 0 {
			t := time.NewTimer(latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		ri := &reqInfo{node: node}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, ri))
		if fault != nil && fault.AfterStore {
			inner.ServeHTTP(&statusWriter{ResponseWriter: discardWriter{}}, r)
		}
		if fault != nil && fault.Reset {
			s.logRequest(Request{Method: r.Method, Path: rel, Query: r.URL.RawQuery, Node: node, Start: start, End: time.Now()})
			resetConn(w)
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		if s.opts.Observe != nil {
			sw.body = &bytes.Buffer{}
		}
		switch {
		case fault != nil && fault.Body != "":
			if fault.ContentType != "" {
				sw.Header().Set("Content-Type", fault.ContentType)
			}
			sw.WriteHeader(cmp.Or(fault.Status, http.StatusOK))
			_, _ = io.WriteString(sw, fault.Body)
		case fault != nil:
			if fault.RetryAfter > 0 {
				secs := int((fault.RetryAfter + time.Second - 1) / time.Second)
				sw.Header().Set("Retry-After", strconv.Itoa(secs))
			}
			writeError(sw, areaOf(rel), fault.Status, http.StatusText(fault.Status))
		default:
			inner.ServeHTTP(sw, r)
		}
		if s.opts.Observe != nil {
			s.opts.Observe(r, cmp.Or(sw.status, http.StatusOK), sw.Header(), sw.body.Bytes())
		}
		// The answer leaves when the handler returns, after Observe: End
		// is then, so that time spent observing is not taken for the
		// client's.
		s.logRequest(Request{
			Method: r.Method, Path: rel, Query: r.URL.RawQuery,
			Status: sw.status, Node: node, MissingPrivilege: ri.missingPrivilege,
			Start: start, End: time.Now(),
		})
	})
}

// discardWriter swallows the real answer of a request whose fault answers
// after the server handled it.
type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}

func (s *Server) logRequest(req Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
}

// takeFault pops one use of the first fault matching the request. s.mu
// must be held.
func (s *Server) takeFault(method, rel string) *Fault {
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == method) && strings.HasPrefix(rel, f.PathPrefix) {
			f.Count--
			if f.Count <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			c := *f
			return &c
		}
	}
	return nil
}

// pickNode chooses the node that serves r, honoring the affinity cookie
// and handing one out when it is missing. s.mu must be held.
func (s *Server) pickNode(w http.ResponseWriter, r *http.Request) int {
	if !s.has(QuirkReplicationLag) {
		return 0
	}
	for _, name := range []string{cookieIngress, cookieLegacy} {
		if c, err := r.Cookie(name); err == nil {
			if n, ok := parseNodeCookie(c.Value); ok && n < s.opts.Nodes {
				return n
			}
		}
	}
	n := s.nextNode
	s.nextNode = (s.nextNode + 1) % s.opts.Nodes
	http.SetCookie(w, &http.Cookie{
		Name: cookieIngress, Value: nodeCookie(n),
		Path: s.opts.BasePath, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	return n
}

func nodeCookie(n int) string { return "node-" + strconv.Itoa(n) }

func parseNodeCookie(v string) (int, bool) {
	rest, ok := strings.CutPrefix(v, "node-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

// resetConn closes the client connection with a TCP RST.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("jamfsim: response writer cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
