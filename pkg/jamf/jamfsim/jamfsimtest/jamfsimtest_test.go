package jamfsimtest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// get answers the status of a GET of url, or the error of a server that
// is gone.
func get(t *testing.T, url string) (int, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// TestClosedWhenTestEnds: what New and NewReplay start answers during the
// test that started it and is closed when that test ends.
func TestClosedWhenTestEnds(t *testing.T) {
	capture := t.TempDir()
	exchange := `{"method": "GET", "path": "api/v1/jamf-pro-version", "status": 200, "header": {}, "body": "{\"version\":\"11.30.1\"}"}`
	if err := os.WriteFile(filepath.Join(capture, "0001.json"), []byte(exchange), 0o600); err != nil {
		t.Fatal(err)
	}
	const path = "api/v1/jamf-pro-version"
	tests := []struct {
		name  string
		start func(tb testing.TB) string // the base URL of what it started
		want  int                        // the status of GET path while the test runs
	}{
		{"New", func(tb testing.TB) string {
			tb.Helper()
			return New(tb, jamfsim.Options{}).URL()
		}, http.StatusUnauthorized},
		{"NewReplay", func(tb testing.TB) string {
			tb.Helper()
			return NewReplay(tb, capture).URL()
		}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var url string
			t.Run("inner", func(t *testing.T) {
				url = tt.start(t) + path
				status, err := get(t, url)
				if err != nil || status != tt.want {
					t.Fatalf("during the test: GET answered %d, %v; want %d", status, err, tt.want)
				}
			})
			if status, err := get(t, url); err == nil {
				t.Errorf("after the test ended: GET answered %d; want the connection refused", status)
			}
		})
	}
}

// fatalTB records Fatal and stops the goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatal(args ...any) {
	f.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fatalTB) Cleanup(func()) {}

// TestNewReplayFailsOnABadCapture: a capture directory without exchanges
// fails the test with a message naming the directory.
func TestNewReplayFailsOnABadCapture(t *testing.T) {
	dir := t.TempDir()
	tb := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		NewReplay(tb, dir)
	}()
	<-done
	if !strings.Contains(tb.fatal, dir) {
		t.Errorf("NewReplay(empty dir) failed with %q; want a message naming %s", tb.fatal, dir)
	}
}
