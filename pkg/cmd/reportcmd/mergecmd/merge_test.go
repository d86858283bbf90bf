package mergecmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// The inputs are the -o json reports of `apply --all --shard 1/2` and
// `--shard 2/2` over four tenants, one of them down (as in the testscript
// shard_report.txtar), and of a `plan --shard 1/2`.

func TestMergeGolden(t *testing.T) {
	tests := []struct {
		name     string
		output   string
		files    []string
		wantCode int
	}{
		{name: "merged.txt", output: cmdutil.OutputText, files: []string{"shard-2.json", "shard-1.json"}, wantCode: cmdutil.ExitPartial},
		{name: "merged.json", output: cmdutil.OutputJSON, files: []string{"shard-2.json", "shard-1.json"}, wantCode: cmdutil.ExitPartial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.Globals{Output: tt.output}, Now: time.Now}
			var files []string
			for _, name := range tt.files {
				files = append(files, filepath.Join("testdata", name))
			}
			err := run(&Options{F: f, Files: files})
			if got := cmdutil.ExitCode(err); got != tt.wantCode {
				t.Fatalf("exit code %d (%v), want %d", got, err, tt.wantCode)
			}
			golden.Assert(t, tt.name, out.Bytes())
		})
	}
}

// TestMergeOneShardKeepsTheShape pins that merging one report gives that
// report back: the merged document has exactly the shape of a run's.
func TestMergeOneShardKeepsTheShape(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputJSON}, Now: time.Now}
	if err := run(&Options{F: f, Files: []string{filepath.Join("testdata", "shard-1.json")}}); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "shard-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("merge of one report (-want +got):\n%s", diff)
	}
}

func TestMergeRefuses(t *testing.T) {
	files := map[string]string{
		"v2.json":      `{"schemaVersion": 2, "command": "apply", "tenants": []}`,
		"verify.json":  `{"schemaVersion": 1, "command": "verify", "tenants": []}`,
		"notjson.json": `tenant-a applied`,
		"other.json":   `{"summary": {"inScope": 3}, "macs": []}`,
		"nolist.json":  `{"schemaVersion": 1, "command": "apply"}`,
		"noname.json":  `{"schemaVersion": 1, "command": "apply", "tenants": [{"result": "applied"}]}`,
	}
	read := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return os.ReadFile(filepath.Join("testdata", name))
	}
	tests := []struct {
		files []string
		want  string
	}{
		{files: []string{"shard-1.json", "shard-1.json"}, want: "tenant tenant-a is in report shard-1.json and in report shard-1.json: two shards ran it"},
		{files: []string{"plan-1.json", "shard-2.json"}, want: "report plan-1.json is of plan, report shard-2.json of apply: merge the reports of one command"},
		{files: []string{"v2.json"}, want: "report v2.json: schemaVersion 2; this jamf-scep reads 1"},
		{files: []string{"verify.json"}, want: `report verify.json: command "verify"; want the report of plan or apply`},
		{files: []string{"notjson.json"}, want: "report notjson.json: not a plan or apply -o json report"},
		{files: []string{"other.json"}, want: "report other.json: not a plan or apply -o json report: it has no schemaVersion"},
		{files: []string{"nolist.json"}, want: "report nolist.json: no tenants list"},
		{files: []string{"noname.json"}, want: "report noname.json: tenants[0] has no tenant name"},
		{files: []string{"missing.json"}, want: "report missing.json: "},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.files, ","), func(t *testing.T) {
			_, _, err := merge(tt.files, read)
			if got := cmdutil.ExitCode(err); got != cmdutil.ExitUsage || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("merge = %v (exit %d), want a usage error containing %q", err, got, tt.want)
			}
		})
	}
}

func TestFailuresExitCode(t *testing.T) {
	for _, tt := range []struct {
		results []string
		want    int
	}{
		{results: nil, want: cmdutil.ExitOK},
		{results: []string{"applied", "unchanged"}, want: cmdutil.ExitOK},
		{results: []string{"applied", "failed"}, want: cmdutil.ExitPartial},
		{results: []string{"failed", "failed"}, want: cmdutil.ExitError},
	} {
		t.Run(fmt.Sprint(tt.results), func(t *testing.T) {
			var in strings.Builder
			in.WriteString(`{"schemaVersion": 1, "command": "apply", "tenants": [`)
			for i, r := range tt.results {
				if i > 0 {
					in.WriteString(",")
				}
				fmt.Fprintf(&in, `{"tenant": "t%d", "result": %q, "plan": null, "written": [], "verified": false}`, i, r)
			}
			in.WriteString("]}")
			_, reps, err := merge([]string{"r.json"}, func(string) ([]byte, error) { return []byte(in.String()), nil })
			if err != nil {
				t.Fatal(err)
			}
			if got := cmdutil.ExitCode(failures(reps)); got != tt.want {
				t.Errorf("exit code %d, want %d", got, tt.want)
			}
		})
	}
}
