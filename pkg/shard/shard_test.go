package shard

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Shard
		wantErr string
	}{
		{in: "1/1", want: Shard{K: 1, N: 1}},
		{in: "2/4", want: Shard{K: 2, N: 4}},
		{in: " 4 / 4 ", want: Shard{K: 4, N: 4}},
		{in: "2", wantErr: "want K/N, such as 2/4 (shard K of N, counting from 1)"},
		{in: "", wantErr: "want K/N, such as 2/4 (shard K of N, counting from 1)"},
		{in: "a/4", wantErr: "want K/N with whole numbers, such as 2/4"},
		{in: "1/4/5", wantErr: "want K/N with whole numbers, such as 2/4"},
		{in: "0/4", wantErr: "the shard number K must be 1 to N (4): shards count from 1"},
		{in: "5/4", wantErr: "the shard number K must be 1 to N (4): shards count from 1"},
		{in: "-1/4", wantErr: "the shard number K must be 1 to N (4): shards count from 1"},
		{in: "1/0", wantErr: "the shard count N must be 1 to 10000"},
		{in: "1/10001", wantErr: "the shard count N must be 1 to 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Fatalf("Parse(%q) error (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("tenant-%04d", i)
	}
	return out
}

// TestOfIsStable pins the split itself: a change to the hash would move
// tenants between the machines of every user's CI matrix.
func TestOfIsStable(t *testing.T) {
	got := map[string]int{}
	for _, n := range []string{"prod-us", "prod-eu", "acme", "tenant-0001", "Acme"} {
		got[n] = Of(n, 4)
	}
	want := map[string]int{"prod-us": 1, "prod-eu": 4, "acme": 4, "tenant-0001": 1, "Acme": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Of(name, 4) (-want +got):\n%s", diff)
	}
}

// TestSelectCoversEveryTenantOnce pins that the N shards partition the
// tenants: each in exactly one shard, and no shard far from its share.
func TestSelectCoversEveryTenantOnce(t *testing.T) {
	all := names(1000)
	for _, n := range []int{1, 2, 3, 4, 7, 16} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			seen := map[string]int{}
			for k := 1; k <= n; k++ {
				part := Shard{K: k, N: n}.Select(all)
				if len(part) < len(all)/n/2 || len(part) > len(all)/n*2 {
					t.Errorf("shard %d/%d has %d of %d tenants", k, n, len(part), len(all))
				}
				for _, name := range part {
					seen[name]++
				}
			}
			for _, name := range all {
				if seen[name] != 1 {
					t.Errorf("%s is in %d shards of %d, want 1", name, seen[name], n)
				}
			}
		})
	}
}

// TestAddingTenantsMovesNoOther pins the property the CI matrix relies on:
// a tenant's shard depends on its name alone, and growing N only moves
// tenants into the new shard.
func TestAddingTenantsMovesNoOther(t *testing.T) {
	before := names(200)
	after := append(append([]string{"new-b"}, before...), "new-a")
	for _, n := range []int{2, 5} {
		for k := 1; k <= n; k++ {
			s := Shard{K: k, N: n}
			got := s.Select(after)
			var kept []string
			for _, name := range got {
				if name != "new-a" && name != "new-b" {
					kept = append(kept, name)
				}
			}
			if diff := cmp.Diff(s.Select(before), kept); diff != "" {
				t.Errorf("shard %s: adding tenants moved others (-before +after):\n%s", s, diff)
			}
		}
	}
	moved := 0
	for _, name := range before {
		from, to := Of(name, 4), Of(name, 5)
		if from != to && to != 5 {
			t.Errorf("%s moved from shard %d/4 to %d/5; growing N may only move tenants to the new shard", name, from, to)
		}
		if from != to {
			moved++
		}
	}
	if moved == 0 || moved > len(before)/2 {
		t.Errorf("growing 4 -> 5 shards moved %d of %d tenants, want about a fifth", moved, len(before))
	}
}

func TestZeroShardContainsAll(t *testing.T) {
	all := names(10)
	if diff := cmp.Diff(all, Shard{}.Select(all)); diff != "" {
		t.Errorf("zero Shard (-want +got):\n%s", diff)
	}
	if got := (Shard{}).String(); got != "" {
		t.Errorf("zero Shard String = %q, want empty", got)
	}
	if got := (Shard{K: 2, N: 4}).String(); got != "2/4" {
		t.Errorf("String = %q, want 2/4", got)
	}
}
