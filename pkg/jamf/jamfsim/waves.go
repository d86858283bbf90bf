package jamfsim

import (
	"slices"
	"time"
)

// Waves returns the number of sequential round trips in reqs: the length
// of the longest chain of requests each of which started after the
// previous one ended. Requests that overlapped in time count as one wave
// however many there were; a run whose requests all waited for each other
// has as many waves as requests. Zero requests are zero waves.
//
// Start and End come from the wall clock, so two requests a client sent
// together only count as one wave if they overlapped at the server. Give
// the server a latency ([Server.SetLatency]) well above the scheduling
// noise of the machine, such as 20 ms, when a test asserts on waves: then
// requests sent together overlap for sure, and requests that depend on
// each other cannot.
func Waves(reqs []Request) int {
	_, depth := WaveOf(reqs)
	longest := 0
	for _, d := range depth {
		longest = max(longest, d)
	}
	return longest
}

// WaveOf returns reqs sorted by Start and, for each, the wave it is in:
// the length of the longest chain of requests, each started after the
// previous one ended, that ends with it (see [Waves]).
func WaveOf(reqs []Request) (byStart []Request, wave []int) {
	byStart = slices.Clone(reqs)
	slices.SortStableFunc(byStart, func(a, b Request) int { return a.Start.Compare(b.Start) })
	// wave[i] is the longest chain ending with byStart[i]. Every request
	// that ended before byStart[i] started began earlier, so it sits at a
	// lower index.
	wave = make([]int, len(byStart))
	for i, r := range byStart {
		d := 1
		for j := range i {
			if byStart[j].End.Before(r.Start) && wave[j]+1 > d {
				d = wave[j] + 1
			}
		}
		wave[i] = d
	}
	return byStart, wave
}

// MaxInFlight returns the largest number of requests in reqs that were
// being handled at one moment (by their Start and End).
func MaxInFlight(reqs []Request) int {
	type edge struct {
		at    time.Time
		delta int
	}
	edges := make([]edge, 0, 2*len(reqs))
	for _, r := range reqs {
		edges = append(edges, edge{r.Start, 1}, edge{r.End, -1})
	}
	// At equal times an end comes first: a request that ended as another
	// started did not overlap it.
	slices.SortFunc(edges, func(a, b edge) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.delta - b.delta
	})
	n, peak := 0, 0
	for _, e := range edges {
		n += e.delta
		peak = max(peak, n)
	}
	return peak
}
