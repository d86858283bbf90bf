package jamf

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/crash"
)

// probeTenant is a fake tenant whose version request and inventory
// endpoints are the test's: version answers GET api/v1/jamf-pro-version,
// inventory[v] answers GET api/v{v}/computers-inventory (404 when nil).
func probeTenant(t *testing.T, version http.HandlerFunc, inventory map[int]http.HandlerFunc) *fakeJamf {
	t.Helper()
	f := newFakeJamf(t)
	f.handle("GET "+versionPath, version)
	for v := 1; v <= 4; v++ {
		h := inventory[v]
		if h == nil {
			h = func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 404, `{"httpStatus":404,"errors":[]}`) }
		}
		f.handle("GET "+inventoryPathFor(v), h)
	}
	return f
}

func answerVersion(v string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"version":"`+v+`"}`) }
}

// TestInventoryProbeStoppedByOlderVersion: on a server before 11.30 the
// first listing's v4 probe is stopped once the version is known, whatever
// the server does with it, and the listing is read at v1. A server that
// keeps the probe waiting (a slow body, a proxy holding the request) must
// not hold the listing: the v4 handler here answers only when the client
// gives up on it, so without the stop this test does not finish. Answered
// 5xx with Retry-After, the probe must not be retried.
func TestInventoryProbeStoppedByOlderVersion(t *testing.T) {
	fixture := string(readTestdata(t, "inventory_page.json"))
	var once atomic.Bool // the 503 case answers its first request only
	tests := []struct {
		name  string
		probe http.HandlerFunc
	}{
		{"no answer until given up", func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		{"200 of a document it should not have", func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 200, `{"totalCount":2,"results":[{"id":"1"},{"id":"2"}]}`)
		}},
		{"401", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 401, `{"httpStatus":401,"errors":[]}`) }},
		{"403", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 403, `{"httpStatus":403,"errors":[]}`) }},
		{"500", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 500, `{"httpStatus":500,"errors":[]}`) }},
		{"503 with Retry-After, then no answer", func(w http.ResponseWriter, r *http.Request) {
			if once.CompareAndSwap(false, true) {
				w.Header().Set("Retry-After", "30")
				writeJSON(w, 503, `{"httpStatus":503,"errors":[]}`)
				return
			}
			<-r.Context().Done()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := probeTenant(t, answerVersion("11.29.1-t1720000000"), map[int]http.HandlerFunc{
				4: tt.probe,
				1: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, fixture) },
			})
			got, err := f.client(t).ComputersInventory(t.Context(), InventoryQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].General.Name != "MBP-0003" {
				t.Errorf("got %+v, want the v1 fixture's two computers", got)
			}
			if n := f.count("GET " + inventoryPathFor(1)); n != 1 {
				t.Errorf("v1 listed %d times, want 1", n)
			}
		})
	}
}

// TestInventoryProbeKeptOrFailed: on 11.30 the probe is the listing, its
// error is the listing's; a failed version request fails the listing and
// stops a probe that has no answer.
func TestInventoryProbeKeptOrFailed(t *testing.T) {
	fixture := string(readTestdata(t, "inventory_page.json"))
	t.Run("403 on 11.30", func(t *testing.T) {
		f := probeTenant(t, answerVersion("11.30.1-t1727000000"), map[int]http.HandlerFunc{
			4: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 403, `{"httpStatus":403,"errors":[]}`) },
			1: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, fixture) },
		})
		if _, err := f.client(t).ComputersInventory(t.Context(), InventoryQuery{}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("err = %v, want ErrForbidden", err)
		}
		if n := f.count("GET " + inventoryPathFor(1)); n != 0 {
			t.Errorf("v1 listed %d times on 11.30, want 0", n)
		}
	})
	t.Run("version refused", func(t *testing.T) {
		f := probeTenant(t, func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 403, `{"httpStatus":403,"errors":[]}`)
		}, map[int]http.HandlerFunc{
			4: func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		})
		if _, err := f.client(t).ComputersInventory(t.Context(), InventoryQuery{}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("err = %v, want the version request's ErrForbidden", err)
		}
	})
}

// TestInventoryProbeProgress: OnPage reports only the listing whose
// computers are returned. The probe's first page arrives before the
// version (the version request waits for the probe's second page to be
// asked, which the client does after page 0's progress); on 11.29 that
// page's count (2 of 4) must never be shown, on 11.30 the counts end at
// the probe's total and never go back.
func TestInventoryProbeProgress(t *testing.T) {
	page := func(total int, ids ...string) string {
		var rs []string
		for _, id := range ids {
			rs = append(rs, `{"id":"`+id+`","udid":"U-`+id+`","general":{"name":"M-`+id+`"}}`)
		}
		return `{"totalCount":` + strconv.Itoa(total) + `,"results":[` + strings.Join(rs, ",") + `]}`
	}
	tests := []struct {
		version string
		total   int      // the listing's totalCount
		exact   [][2]int // when set, every OnPage call (read, total)
	}{
		{version: "11.29.1-t1720000000", total: 3, exact: [][2]int{{2, 3}, {3, 3}}}, // v1 only
		{version: "11.30.1-t1727000000", total: 4},                                  // {2,4} held or not, then {4,4}
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			secondAsked := make(chan struct{})
			versionSent := make(chan struct{})
			f := probeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-secondAsked:
				case <-r.Context().Done():
					return
				}
				answerVersion(tt.version)(w, r)
				close(versionSent)
			}, map[int]http.HandlerFunc{
				4: func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("page") == "0" {
						writeJSON(w, 200, page(4, "1", "2"))
						return
					}
					close(secondAsked)
					select {
					case <-versionSent: // 11.30: the probe is the listing
					case <-r.Context().Done(): // 11.29: stopped
						return
					}
					writeJSON(w, 200, page(4, "3", "4"))
				},
				1: func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("page") == "0" {
						writeJSON(w, 200, page(3, "1", "2"))
						return
					}
					writeJSON(w, 200, page(3, "3"))
				},
			})
			var (
				mu  sync.Mutex
				got [][2]int
			)
			onPage := func(read, total int) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, [2]int{read, total})
			}
			if _, err := f.client(t).ComputersInventory(t.Context(), InventoryQuery{PageSize: 2, OnPage: onPage}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if tt.exact != nil {
				if diff := cmp.Diff(tt.exact, got); diff != "" {
					t.Errorf("OnPage calls (-want +got):\n%s", diff)
				}
				return
			}
			for i, p := range got {
				if p[1] != tt.total || (i > 0 && p[0] < got[i-1][0]) {
					t.Errorf("OnPage calls %v: want totals of %d, never going back", got, tt.total)
					break
				}
			}
			if len(got) == 0 || got[len(got)-1] != [2]int{tt.total, tt.total} {
				t.Errorf("OnPage calls %v, want them to end at %d/%d", got, tt.total, tt.total)
			}
		})
	}
}

// panicOn is a slog handler that panics on one message, standing in for a
// bug while the version is being read.
type panicOn struct {
	slog.Handler
	msg string
}

func (h panicOn) Enabled(context.Context, slog.Level) bool { return true }

func (h panicOn) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, h.msg) {
		panic("boom")
	}
	return nil
}

// TestInventoryProbeStoppedByPanic: a panic while the version is read
// stops the probe (here one the server never answers) and reaches the
// caller as a *crash.Error, instead of leaving the listing waiting.
func TestInventoryProbeStoppedByPanic(t *testing.T) {
	f := probeTenant(t, answerVersion("12.0.0-t1800000000"), map[int]http.HandlerFunc{
		4: func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
	})
	c := f.client(t, WithLogger(slog.New(panicOn{Handler: slog.DiscardHandler, msg: "jamf version newer"})))
	defer func() {
		var e *crash.Error
		if r := recover(); r == nil || !errors.As(r.(error), &e) {
			t.Fatalf("recovered %v, want a *crash.Error", r)
		}
	}()
	_, _ = c.ComputersInventory(t.Context(), InventoryQuery{})
	t.Fatal("ComputersInventory returned, want its panic")
}

// TestInventoryLaterPage404: a 404 on a page after page 0 is no missing
// endpoint: the listing fails as a wrong document instead of stepping down
// to an older version and reading everything again (its progress going
// back to zero), whether the version was known or not.
func TestInventoryLaterPage404(t *testing.T) {
	for _, known := range []bool{false, true} {
		t.Run("version known "+strconv.FormatBool(known), func(t *testing.T) {
			f := probeTenant(t, answerVersion("11.30.1-t1727000000"), map[int]http.HandlerFunc{
				4: func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("page") != "0" {
						writeJSON(w, 404, `{"httpStatus":404,"errors":[]}`)
						return
					}
					writeJSON(w, 200, `{"totalCount":4,"results":[{"id":"1"},{"id":"2"}]}`)
				},
				3: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"totalCount":0,"results":[]}`) },
				1: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"totalCount":0,"results":[]}`) },
			})
			c := f.client(t)
			if known {
				if _, err := c.Version(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			_, err := c.ComputersInventory(t.Context(), InventoryQuery{PageSize: 2})
			if !errors.Is(err, ErrWrongDocument) || errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrWrongDocument and not ErrNotFound", err)
			}
			for _, v := range []int{3, 2, 1} {
				if n := f.count("GET " + inventoryPathFor(v)); n != 0 {
					t.Errorf("v%d listed %d times after v4's page 1 answered 404, want 0", v, n)
				}
			}
		})
	}
}
