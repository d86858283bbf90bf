package jamf

import (
	"net/http"
	"testing"
	"time"
)

func TestServerTimeSkew(t *testing.T) {
	tests := []struct {
		name     string
		date     func(now time.Time) string
		wantSkew time.Duration
		wantErr  bool
	}{
		{"in step", func(now time.Time) string { return now.Format(http.TimeFormat) }, 0, false},
		{"server ahead", func(now time.Time) string { return now.Add(7 * time.Minute).Format(http.TimeFormat) }, 7 * time.Minute, false},
		{"server behind", func(now time.Time) string { return now.Add(-90 * time.Second).Format(http.TimeFormat) }, -90 * time.Second, false},
		{"unreadable", func(time.Time) string { return "yesterday" }, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeJamf(t)
			f.handle("GET "+versionPath, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Date", tt.date(f.clock.Now()))
				writeJSON(w, http.StatusOK, `{"version":"11.30.1"}`)
			})
			c := f.client(t, WithClock(f.clock))
			st, err := c.ServerTime(t.Context())
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ServerTime() = %v, want an error", st)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Skew(); got != tt.wantSkew {
				t.Errorf("Skew() = %v, want %v", got, tt.wantSkew)
			}
		})
	}
}
