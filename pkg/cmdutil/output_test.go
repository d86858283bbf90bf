package cmdutil

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTableFitWidth pins the terminal table's fitting: piped rows stay
// whole TSV; on a terminal, cut columns shrink first, then columns drop.
func TestTableFitWidth(t *testing.T) {
	rows := [][]string{
		{"NAME", "SERIAL", "NOTES"},
		{"MAC-1", "C02ABCDEF", "install command failed: the SCEP server returned an invalid response"},
	}
	tests := []struct {
		name    string
		aligned bool
		cols    int
		cut     []int
		drop    []int
		want    string
	}{
		{
			name: "piped: TSV, never cut", cols: 20, cut: []int{2},
			want: "NAME\tSERIAL\tNOTES\nMAC-1\tC02ABCDEF\tinstall command failed: the SCEP server returned an invalid response\n",
		},
		{
			name: "wide terminal: whole", aligned: true, cols: 200,
			want: "NAME   SERIAL     NOTES\nMAC-1  C02ABCDEF  install command failed: the SCEP server returned an invalid response\n",
		},
		{
			name: "the cut column shrinks", aligned: true, cols: 45, cut: []int{2},
			want: "NAME   SERIAL     NOTES\nMAC-1  C02ABCDEF  install command failed: th…\n",
		},
		{
			name: "a column drops before the cut goes under minUsed", aligned: true, cols: 30, cut: []int{2}, drop: []int{1},
			want: "NAME   NOTES\nMAC-1  install command failed…\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tb := NewTable(&buf, tt.aligned)
			tb.FitWidth(tt.cols, tt.cut, tt.drop)
			for _, r := range rows {
				tb.Row(r...)
			}
			if err := tb.Flush(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
		})
	}
}
