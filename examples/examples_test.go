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

// TestWorkflowsCarryTheConfigSecrets pins that both CI examples run
// multi-tenant.yaml as it is: every secret it references is an env:NAME
// (a CI runner has no keychain, and no file the workflow does not write)
// that the workflow's env block sets.
func TestWorkflowsCarryTheConfigSecrets(t *testing.T) {
	var cfg any
	if err := yaml.Unmarshal([]byte(MultiTenant), &cfg); err != nil {
		t.Fatal(err)
	}
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			for _, kind := range []string{"env:", "file:", "keychain:"} {
				if strings.HasPrefix(v, kind) {
					refs = append(refs, v)
				}
			}
		}
	}
	walk(cfg)
	if len(refs) == 0 {
		t.Fatal("multi-tenant.yaml references no secret")
	}
	for _, file := range []string{"github-actions.yml", "github-actions-sharded.yml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var wf struct{ Env map[string]string }
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Fatal(err)
		}
		for _, ref := range refs {
			name, ok := strings.CutPrefix(ref, "env:")
			if !ok {
				t.Errorf("%s: multi-tenant.yaml references %s, which a CI runner cannot read; use env:NAME", file, ref)
				continue
			}
			if want := "${{ secrets." + name + " }}"; wf.Env[name] != want {
				t.Errorf("%s: env %s = %q, want %q (multi-tenant.yaml references env:%s)", file, name, wf.Env[name], want, name)
			}
		}
	}
}
