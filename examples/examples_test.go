package examples

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestShardedWorkflow pins the sharded CI example: a matrix whose jobs each
// apply one --shard K/N of --all and keep their -o json report, and a final
// job, run even when a shard failed, that merges the reports.
func TestShardedWorkflow(t *testing.T) {
	data, err := os.ReadFile("github-actions-sharded.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			If       string
			Needs    string
			Strategy struct {
				FailFast bool `yaml:"fail-fast"`
				Matrix   struct{ Shard, Total []int }
			}
			Steps []struct{ Run string }
		}
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	runs := func(job string) string {
		var all []string
		for _, s := range wf.Jobs[job].Steps {
			all = append(all, s.Run)
		}
		return strings.Join(all, "\n")
	}
	apply := wf.Jobs["apply"]
	if apply.Strategy.FailFast || len(apply.Strategy.Matrix.Total) != 1 || len(apply.Strategy.Matrix.Shard) != apply.Strategy.Matrix.Total[0] {
		t.Errorf("apply matrix %+v: want fail-fast false and shards 1..total", apply.Strategy)
	}
	for i, k := range apply.Strategy.Matrix.Shard {
		if k != i+1 {
			t.Errorf("matrix shard[%d] = %d, want %d (shards count from 1)", i, k, i+1)
		}
	}
	if want := `jamf-scep apply --all --shard "${{ matrix.shard }}/${{ matrix.total }}" --yes`; !strings.Contains(runs("apply"), want) {
		t.Errorf("apply job does not run %q", want)
	}
	report := wf.Jobs["report"]
	if report.Needs != "apply" || report.If != "always()" || !strings.Contains(runs("report"), "jamf-scep report merge report-*.json") {
		t.Errorf("report job: needs %q, if %q; want needs apply, if always(), running jamf-scep report merge", report.Needs, report.If)
	}
}
