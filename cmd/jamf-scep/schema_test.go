package main

import (
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// schemaViolations collects, per script, the exchanges between jamf-scep
// and a simulator that break Jamf's published schema for the simulator's
// version: a request the schema does not accept or an answer it does not
// describe. TestScripts reports them once every script has run, so every
// end-to-end script is also a contract test.
var schemaViolations = struct {
	mu       sync.Mutex
	byScript map[string][]string
}{byScript: map[string][]string{}}

// observeSchema returns a jamfsim Options.Observe that checks each
// exchange against the schema for version (as the simulator reports it;
// "" is the simulator's default) and records violations for the script.
func observeSchema(ts *testscript.TestScript, version string) func(*http.Request, int, http.Header, []byte) {
	script := filepath.Base(ts.Getenv("WORK"))
	spec, err := jamfschema.Load(jamfschema.For(cmpOr(version, jamfsim.Version11_30)))
	if err != nil {
		ts.Fatalf("jamfsim: %v", err)
	}
	base := &url.URL{Path: "/jamf/"} // the simulator's default base path
	return func(r *http.Request, status int, header http.Header, body []byte) {
		if err := spec.ValidateExchange(base, r, status, header, body); err != nil {
			schemaViolations.mu.Lock()
			schemaViolations.byScript[script] = append(schemaViolations.byScript[script], err.Error())
			schemaViolations.mu.Unlock()
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// reportSchemaViolations fails t with every violation recorded.
func reportSchemaViolations(t *testing.T) {
	t.Helper()
	schemaViolations.mu.Lock()
	defer schemaViolations.mu.Unlock()
	scripts := make([]string, 0, len(schemaViolations.byScript))
	for s := range schemaViolations.byScript {
		scripts = append(scripts, s)
	}
	slices.Sort(scripts)
	for _, s := range scripts {
		errs := slices.Compact(slices.Sorted(slices.Values(schemaViolations.byScript[s])))
		for _, e := range errs {
			t.Errorf("%s: breaks Jamf's published schema: %s", s, e)
		}
	}
}
