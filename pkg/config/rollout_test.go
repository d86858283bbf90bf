package config_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/config"
)

// issueRollout is the rollout section of issue 17, valid as written.
const issueRollout = `rollout:
  stages:
    - name: pilot
      scope: {computer_groups: [ODA Pilot]}
      gate: {min_coverage: 95, max_failed: 0, soak: 24h}
    - name: hq
      scope: {buildings: [HQ]}
      gate: {min_coverage: 90, max_failed: 2, soak: 48h, max_new_macs: 500}
    - name: everyone
      scope: {all_computers: true}
`

// withoutScope is the valid config without its scope section (the rollout
// owns computer_groups in issueRollout).
func withoutScope(t *testing.T) string {
	t.Helper()
	return patch(t, "scope:\n  computer_groups: [All Managed Macs]\n", "")
}

func TestRolloutDecodes(t *testing.T) {
	c, err := config.Parse([]byte(withoutScope(t)+issueRollout), "c.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	yes := true
	want := &config.Rollout{Stages: []config.Stage{
		{Name: "pilot", Scope: config.Scope{ComputerGroups: []string{"ODA Pilot"}}, Gate: config.Gate{MinCoverage: 95, Soak: "24h"}},
		{Name: "hq", Scope: config.Scope{Buildings: []string{"HQ"}}, Gate: config.Gate{MinCoverage: 90, MaxFailed: 2, Soak: "48h", MaxNewMacs: 500}},
		{Name: "everyone", Scope: config.Scope{AllComputers: &yes}},
	}}
	if diff := cmp.Diff(want, c.Rollout); diff != "" {
		t.Errorf("Rollout (-want +got):\n%s", diff)
	}
	// Marshal must keep the section (a config rewritten by init or set
	// keeps its rollout).
	data, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := config.Parse(data, "again.yaml")
	if err != nil {
		t.Fatalf("Parse(Marshal): %v", err)
	}
	if diff := cmp.Diff(c.Rollout, back.Rollout); diff != "" {
		t.Errorf("Rollout after Marshal and Parse (-want +got):\n%s", diff)
	}
}

func TestValidateRollout(t *testing.T) {
	base := withoutScope(t)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "no stages",
			in:   base + "rollout:\n  stages: []\n",
			want: []string{"c.yaml:22: rollout.stages: lists no stage; add stages (name, scope, gate), narrowest first, or remove the rollout section"},
		},
		{
			name: "names, targets, gate ranges",
			in: base + `rollout:
  stages:
    - name: pilot
      scope: {computer_groups: [ODA Pilot, ODA Pilot]}
      gate: {min_coverage: 101, max_failed: -1, soak: 1week, max_new_macs: -5}
    - name: pilot
      scope: {exclusions: {computers: [kiosk]}}
      gate: {soak: 2d}
    - name: ""
      scope: {buildings: [HQ]}
      gate: {min_coverage: 90}
`,
			want: []string{
				"c.yaml:24: rollout.stages[0].scope.computer_groups[1]: is listed twice; remove the second entry",
				"c.yaml:25: rollout.stages[0].gate.max_failed: -1 is negative; write 0 or more Macs",
				"c.yaml:25: rollout.stages[0].gate.max_new_macs: -5 is negative; write 0 (no cap) or the most Macs one step may add, such as 500",
				"c.yaml:25: rollout.stages[0].gate.min_coverage: 101 is out of range; write a percentage from 0 to 100, such as 95",
				`c.yaml:25: rollout.stages[0].gate.soak: "1week" is not a duration; write a duration such as 24h, 90m or 2d`,
				"c.yaml:26: rollout.stages[1].name: is also the name of rollout.stages[0]; stage names must be unique; rename one",
				"c.yaml:27: rollout.stages[1].scope: adds no target; name what the stage adds: computer_groups, buildings, departments, computers or all_computers: true",
				"c.yaml:29: rollout.stages[2].name: missing; name the stage, for example pilot",
				"c.yaml:31: rollout.stages[2].gate: is on the last stage, which no stage follows; remove it",
			},
		},
		{
			name: "a category owned by scope and by the rollout",
			in:   valid + issueRollout,
			want: []string{"c.yaml:16: scope.computer_groups: is owned by the rollout too (a stage names it); remove it from scope: rollout advance sets it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.in), "c.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := problems(t, c.Validate())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSoak(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{in: "", want: 0},
		{in: "24h", want: 24 * time.Hour},
		{in: "90m", want: 90 * time.Minute},
		{in: "2d", want: 48 * time.Hour},
		{in: "-1h", bad: true},
		{in: "xd", bad: true},
		{in: "1week", bad: true},
	}
	for _, tt := range tests {
		got, err := config.ParseSoak(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("ParseSoak(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.bad)
		}
	}
}

// FuzzParseSoak: any text is a duration of at least 0 or an error that
// quotes the text back, never a panic.
func FuzzParseSoak(f *testing.F) {
	for _, s := range []string{"", "24h", "90m", "2d", "-1h", "xd", "3651d", "9223372036854775807ns", "1e3h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := config.ParseSoak(s)
		if err == nil && d < 0 {
			t.Errorf("ParseSoak(%q) = %v, want 0 or more", s, d)
		}
		if err != nil && d != 0 {
			t.Errorf("ParseSoak(%q) = %v with error %v, want 0", s, d, err)
		}
	})
}
