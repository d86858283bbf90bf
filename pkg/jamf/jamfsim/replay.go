package jamfsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/jamf-scep/jamf-scep/internal/userfile"
)

// Replay serves a capture written by jamf-scep's --capture (package jamf,
// type Capture: one JSON file per exchange with method, path, status,
// header and body) as a tenant on loopback, so that a field capture
// becomes a test.
//
// A request is answered with the next recorded response for its method and
// path (query included, compared exactly); once those are used up, the
// last one is repeated. Authorization is not checked: the recorded token
// answers are redacted, and the client sends that value back. A request
// the capture never saw answers 404 with a message naming it.
type Replay struct {
	srv *httptest.Server

	mu     sync.Mutex
	byKey  map[string][]replayed
	served map[string]int
	missed []string
}

type replayed struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Status int               `json:"status"`
	Header map[string]string `json:"header"`
	Body   string            `json:"body"`
}

// maxCaptureFile caps one capture file in bytes: a recorded answer (at most
// the client's 64 MiB body cap) escaped as JSON text.
const maxCaptureFile = 160 << 20

// StartReplay starts a replay of the capture in dir (the *.json files
// --capture wrote) under the base path "/jamf/"; the caller closes it. It
// fails if dir holds no capture file or a file is not a recorded exchange.
// Tests use jamfsimtest.NewReplay, which closes it when the test ends.
func StartReplay(dir string) (*Replay, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("jamfsim: capture %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("jamfsim: no capture files in %s", dir)
	}
	slices.Sort(files)
	r := &Replay{byKey: map[string][]replayed{}, served: map[string]int{}}
	for _, f := range files {
		data, _, err := userfile.Read(f, maxCaptureFile)
		if err != nil {
			return nil, fmt.Errorf("jamfsim: capture file %s: %w", f, err)
		}
		var ex replayed
		if err := json.Unmarshal(data, &ex); err != nil {
			return nil, fmt.Errorf("jamfsim: capture file %s: %w", f, err)
		}
		k := ex.Method + " " + ex.Path
		r.byKey[k] = append(r.byKey[k], ex)
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	return r, nil
}

// Close stops the replay.
func (r *Replay) Close() { r.srv.Close() }

// URL returns the replayed tenant's URL, "http://127.0.0.1:port/jamf/".
func (r *Replay) URL() string { return r.srv.URL + "/jamf/" }

// Missed returns every request the capture had no answer for, as "METHOD
// PATH".
func (r *Replay) Missed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.missed)
}

func (r *Replay) serve(w http.ResponseWriter, req *http.Request) {
	path, ok := strings.CutPrefix(req.URL.RequestURI(), "/jamf/")
	k := req.Method + " " + path
	r.mu.Lock()
	exs := r.byKey[k]
	if !ok || len(exs) == 0 {
		r.missed = append(r.missed, k)
		r.mu.Unlock()
		http.Error(w, fmt.Sprintf("jamfsim: the capture has no answer for %s", k), http.StatusNotFound)
		return
	}
	i := min(r.served[k], len(exs)-1)
	r.served[k]++
	ex := exs[i]
	r.mu.Unlock()
	for h, v := range ex.Header {
		w.Header().Set(h, v)
	}
	w.WriteHeader(ex.Status)
	_, _ = w.Write([]byte(ex.Body))
}
