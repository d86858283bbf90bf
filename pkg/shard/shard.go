// Package shard splits a list of tenants into N stable parts so that N
// machines (a CI matrix) can each run one part: `--shard K/N`.
//
// A tenant's shard is chosen by rendezvous hashing (highest random weight,
// Thaler and Ravishankar 1998): for each shard k of 1..N the tenant name
// gets the weight mix(FNV-1a-64(name NUL k)), and the tenant belongs to the
// shard with the highest weight. The choice depends on the tenant's name and
// N alone, never on the other tenants or their order, so:
//
//   - every tenant is in exactly one shard of N;
//   - adding or removing a tenant moves no other tenant;
//   - growing from N to N+1 shards moves only the tenants the new shard
//     wins, about 1/(N+1) of them (with name-hash mod N almost every tenant
//     would move), so a matrix can grow without reshuffling the others.
//
// FNV-1a (the hash/fnv package) and the SplitMix64 finalizer are fixed
// functions, so the split is the same on every machine, OS and Go version.
// Names are compared as written in the config (case-sensitive).
package shard

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is part K of N (1 <= K <= N). The zero Shard is "no sharding":
// it contains every tenant.
type Shard struct {
	K, N int
}

// MaxN is the largest N Parse accepts; far above any CI matrix (GitHub
// Actions runs at most 256 jobs per matrix).
const MaxN = 10000

// Parse reads "K/N", such as "2/4". It returns an error saying what is
// wrong (not K/N, not numbers, K outside 1..N, N outside 1..MaxN); the
// caller names the flag.
func Parse(s string) (Shard, error) {
	k, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, errors.New("want K/N, such as 2/4 (shard K of N, counting from 1)")
	}
	ki, errK := strconv.Atoi(strings.TrimSpace(k))
	ni, errN := strconv.Atoi(strings.TrimSpace(n))
	switch {
	case errK != nil || errN != nil:
		return Shard{}, errors.New("want K/N with whole numbers, such as 2/4")
	case ni < 1 || ni > MaxN:
		return Shard{}, fmt.Errorf("the shard count N must be 1 to %d", MaxN)
	case ki < 1 || ki > ni:
		return Shard{}, fmt.Errorf("the shard number K must be 1 to N (%d): shards count from 1", ni)
	}
	return Shard{K: ki, N: ni}, nil
}

// String is "K/N", or "" for the zero Shard.
func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return strconv.Itoa(s.K) + "/" + strconv.Itoa(s.N)
}

// Of returns the shard, 1..n, that name belongs to among n shards (n >= 1).
func Of(name string, n int) int {
	best, bestW := 1, uint64(0)
	for k := 1; k <= n; k++ {
		h := fnv.New64a()
		_, _ = h.Write([]byte(name)) // a hash.Hash never fails to write
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(strconv.Itoa(k)))
		if w := mix(h.Sum64()); k == 1 || w > bestW {
			best, bestW = k, w
		}
	}
	return best
}

// mix is SplitMix64's finalizer: it spreads FNV's output over all 64 bits
// so the weights of one name for different k are independent enough.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Contains reports whether the tenant name belongs to s; the zero Shard
// contains every name.
func (s Shard) Contains(name string) bool {
	return s.N == 0 || Of(name, s.N) == s.K
}

// Select returns the names of s, in their given order.
func (s Shard) Select(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if s.Contains(n) {
			out = append(out, n)
		}
	}
	return out
}
