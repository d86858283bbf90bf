package jamf

import "testing"

func TestShapeFor(t *testing.T) {
	tests := []struct {
		version string
		want    apiShape
		newer   bool
	}{
		{"11.23.2-t1737000000", apiShape{inventory: 1, groups: 2}, false},
		{"11.28.0", apiShape{inventory: 1, groups: 2}, false},
		{"11.29.1-t1747000000", apiShape{inventory: 1, groups: 3}, false},
		{"11.30.1-t1750000000", apiShape{inventory: 4, groups: 3}, false},
		{"11.31.0", apiShape{inventory: 4, groups: 3}, true},
		{"12.0.0", apiShape{inventory: 4, groups: 3}, true},
		{"10.48.0", apiShape{inventory: 1, groups: 2}, false},
		{"banana", apiShape{inventory: 4, groups: 3}, true},
	}
	for _, tt := range tests {
		got, newer := shapeFor(tt.version)
		if got != tt.want || newer != tt.newer {
			t.Errorf("shapeFor(%q) = %+v, %v; want %+v, %v", tt.version, got, newer, tt.want, tt.newer)
		}
	}
}
