package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rollout is the `rollout` section: the rings the profile's scope widens
// through, one `jamf-scep rollout advance` at a time. Each stage adds its
// scope to the ones before it (the scope Jamf holds at stage i is the union
// of stages 0..i), and the gate of a stage says when the next one may
// start. The rollout owns the scope categories its stages name; `scope`
// and tenants' `overrides.scope` must not own them too.
type Rollout struct {
	// Stages are the rings, narrowest first.
	Stages []Stage `yaml:"stages"`
}

// Stage is one entry of `rollout.stages`.
type Stage struct {
	// Name names the stage in status and messages: unique, such as pilot.
	Name string `yaml:"name"`
	// Scope is what the stage adds, in the shape of the `scope` section.
	Scope Scope `yaml:"scope"`
	// Gate is what must hold before the next stage starts; the zero gate
	// lets it start at once.
	Gate Gate `yaml:"gate"`
}

// Gate is `rollout.stages[].gate`. Every figure is over the Macs the
// stage's cumulative scope reaches, as `jamf-scep verify` counts them.
type Gate struct {
	// MinCoverage is the lowest coverage, in percent (0..100), of Macs in
	// scope holding a usable certificate; 0 means no minimum.
	MinCoverage int `yaml:"min_coverage"`
	// MaxFailed is the most Macs whose latest install command failed.
	MaxFailed int `yaml:"max_failed"`
	// Soak is the least time since the stage started: a Go duration
	// ("24h", "90m") or whole days ("2d"); "" means none.
	Soak string `yaml:"soak"`
	// MaxNewMacs caps how many Macs the step out of this stage adds at a
	// time; 0 means no cap.
	MaxNewMacs int `yaml:"max_new_macs"`
}

// SoakDuration returns Soak as a duration; 0 when Soak is empty or not
// valid ([Config.Validate] reports the latter).
func (g Gate) SoakDuration() time.Duration {
	d, err := ParseSoak(g.Soak)
	if err != nil {
		return 0
	}
	return d
}

// ParseSoak parses a soak time: a Go duration ("36h", "90m") or whole
// days ("2d"), not negative; "" is 0.
func ParseSoak(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3650 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return d, nil
}

// checkRollout checks the rollout section: at least one stage; names set
// and unique; each stage's scope valid as a scope and naming a target;
// gate figures in range and soak a duration; no gate on the last stage
// (nothing follows it); and no scope category owned both by the rollout
// and by `scope` or a tenant's `overrides.scope` (a gate with max_new_macs
// owns computers: a capped step adds Macs there).
func checkRollout(k *collector, c *Config) {
	r := c.Rollout
	if r == nil {
		return
	}
	if len(r.Stages) == 0 {
		k.add("rollout.stages", "lists no stage", "add stages (name, scope, gate), narrowest first, or remove the rollout section")
		return
	}
	names := map[string]int{}
	owned := map[string]bool{}
	for i := range r.Stages {
		s := &r.Stages[i]
		at := fmt.Sprintf("rollout.stages[%d]", i)
		switch first, dup := names[s.Name]; {
		case strings.TrimSpace(s.Name) == "":
			k.add(at+".name", "missing", "name the stage, for example pilot")
		case s.Name != strings.TrimSpace(s.Name):
			k.add(at+".name", "has leading or trailing spaces", "remove them")
		case dup:
			k.add(at+".name", fmt.Sprintf("is also the name of rollout.stages[%d]", first), "stage names must be unique; rename one")
		default:
			names[s.Name] = i
		}
		checkScope(k, at+".scope", &s.Scope)
		lists := scopeLists(&s.Scope)
		targets := s.Scope.AllComputers != nil && *s.Scope.AllComputers
		for _, l := range lists {
			if l.names != nil {
				owned[l.name] = true
			}
			if len(l.names) > 0 && !strings.HasPrefix(l.name, "exclusions.") {
				targets = true
			}
		}
		if s.Scope.AllComputers != nil {
			owned["all_computers"] = true
		}
		if !targets {
			k.add(at+".scope", "adds no target", "name what the stage adds: computer_groups, buildings, departments, computers or all_computers: true")
		}
		checkGate(k, at+".gate", s.Gate, i == len(r.Stages)-1)
		if s.Gate.MaxNewMacs > 0 {
			owned["computers"] = true // a capped step writes computers
		}
	}
	checkNotOwned(k, "scope", &c.Scope, owned)
	for i := range c.Tenants {
		checkNotOwned(k, fmt.Sprintf("tenants[%d].overrides.scope", i), &c.Tenants[i].Overrides.Scope, owned)
	}
}

// checkGate checks one stage's gate.
func checkGate(k *collector, at string, g Gate, last bool) {
	if last && g != (Gate{}) {
		k.add(at, "is on the last stage, which no stage follows", "remove it")
		return
	}
	if g.MinCoverage < 0 || g.MinCoverage > 100 {
		k.add(at+".min_coverage", fmt.Sprintf("%d is out of range", g.MinCoverage), "write a percentage from 0 to 100, such as 95")
	}
	if g.MaxFailed < 0 {
		k.add(at+".max_failed", fmt.Sprintf("%d is negative", g.MaxFailed), "write 0 or more Macs")
	}
	if _, err := ParseSoak(g.Soak); err != nil {
		k.add(at+".soak", err.Error(), `write a duration such as 24h, 90m or 2d`)
	}
	if g.MaxNewMacs < 0 {
		k.add(at+".max_new_macs", fmt.Sprintf("%d is negative", g.MaxNewMacs), "write 0 (no cap) or the most Macs one step may add, such as 500")
	}
}

// checkNotOwned reports each category s owns that the rollout owns too.
func checkNotOwned(k *collector, at string, s *Scope, owned map[string]bool) {
	if s.AllComputers != nil && owned["all_computers"] {
		k.add(at+".all_computers", "is owned by the rollout too", "remove it: rollout advance sets it")
	}
	for _, l := range scopeLists(s) {
		if l.names != nil && owned[l.name] {
			k.add(at+"."+l.name, "is owned by the rollout too (a stage names it)", "remove it from "+at+": rollout advance sets it")
		}
	}
}

// scopeList is one category of a Scope with its config key.
type scopeList struct {
	name  string
	names []string
}

// scopeLists returns s's eight lists by config key, in the order plans
// list them.
func scopeLists(s *Scope) []scopeList {
	return []scopeList{
		{"computers", s.Computers},
		{"computer_groups", s.ComputerGroups},
		{"buildings", s.Buildings},
		{"departments", s.Departments},
		{"exclusions.computers", s.Exclusions.Computers},
		{"exclusions.computer_groups", s.Exclusions.ComputerGroups},
		{"exclusions.buildings", s.Exclusions.Buildings},
		{"exclusions.departments", s.Exclusions.Departments},
	}
}
