package jamfsim

import (
	"testing"
	"time"
)

func TestWavesAndMaxInFlight(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(start, end int) Request {
		return Request{Start: t0.Add(time.Duration(start) * time.Millisecond), End: t0.Add(time.Duration(end) * time.Millisecond)}
	}
	tests := []struct {
		name        string
		reqs        []Request
		waves, peak int
	}{
		{"none", nil, 0, 0},
		{"one", []Request{at(0, 10)}, 1, 1},
		{"chain of three", []Request{at(0, 10), at(11, 20), at(21, 30)}, 3, 1},
		{"three together", []Request{at(0, 10), at(1, 12), at(2, 9)}, 1, 3},
		{"token then fan-out then one", []Request{at(0, 10), at(11, 20), at(12, 25), at(13, 22), at(26, 30)}, 3, 3},
		// A request that starts the instant another ends did not wait for it.
		{"touching is not after", []Request{at(0, 10), at(10, 20)}, 1, 1},
		{"longest chain wins over arrival order", []Request{at(0, 100), at(1, 10), at(11, 20), at(21, 30), at(101, 110)}, 4, 2},
		{"log order does not matter", []Request{at(21, 30), at(0, 10), at(11, 20)}, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Waves(tt.reqs); got != tt.waves {
				t.Errorf("Waves = %d, want %d", got, tt.waves)
			}
			if got := MaxInFlight(tt.reqs); got != tt.peak {
				t.Errorf("MaxInFlight = %d, want %d", got, tt.peak)
			}
		})
	}
}
