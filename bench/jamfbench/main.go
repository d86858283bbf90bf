// Command jamfbench measures jamf-scep apply against in-process Jamf Pro
// simulators (pkg/jamf/jamfsim): HTTP requests per run from the
// simulator's request log, and wall time across many tenants with added
// latency. It runs the real jamf-scep binary given with -bin, so the figures
// include process start, config loading and token fetches.
//
//	jamfbench -bin ./jamf-scep requests
//	jamfbench -bin ./jamf-scep -latency 50ms -parallel 4 tenants 1 10 50
//	jamfbench -bin ./jamf-scep -runs 5 waves
//
// bench/requests.sh and bench/tenants.sh build the binary and call it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

const profileYAML = `version: 1
profile:
  name: Okta Device Access SCEP
  description: Client certificate for Okta Device Access
  identifier: com.example.okta-device-access
  scep:
    url: https://example.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d5e6f7g8h9
    subject: "CN=$COMPUTERNAME ma $UDID"
    challenge:
      type: dynamic-microsoft-ca
      url: https://example.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/rac1a2b3c4d5e6f7g8h9/challenge
      username: okta-bench1
      password: env:OKTA_SCEP_PASSWORD
`

func main() {
	bin := flag.String("bin", "jamf-scep", "path to the jamf-scep binary")
	latency := flag.Duration("latency", 50*time.Millisecond, "added latency per request (tenants)")
	parallel := flag.Int("parallel", 4, "--parallel for apply (tenants)")
	fleet := flag.Int("fleet", 25, "computers per simulated tenant")
	runs := flag.Int("runs", 3, "runs per figure; wall is their median (waves)")
	only := flag.String("only", "", "measure only the rows whose name contains this text (waves)")
	trace := flag.Bool("trace", false, "print each measured run's requests in start order, with the wave each is in (waves)")
	flag.Parse()
	var err error
	switch flag.Arg(0) {
	case "requests":
		err = requests(*bin, *fleet)
	case "waves":
		err = waves(*bin, []time.Duration{0, 50 * time.Millisecond, 200 * time.Millisecond}, *runs, *only, *trace)
	case "tenants":
		err = tenants(*bin, *fleet, *latency, *parallel, flag.Args()[1:])
	default:
		err = errors.New("usage: jamfbench [flags] requests | waves | tenants N [N]")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "jamfbench:", err)
		os.Exit(1)
	}
}

// writeConfig writes a config for one tenant per simulator and returns
// its path and the environment apply needs.
func writeConfig(dir string, sims []*jamfsim.Server, scope string) (string, []string, error) {
	var b strings.Builder
	b.WriteString(profileYAML)
	b.WriteString(scope)
	b.WriteString("tenants:\n")
	env := append(os.Environ(), "OKTA_SCEP_PASSWORD=bench-okta-password", "JAMF_SCEP_NO_PROMPT=1")
	for i, s := range sims {
		fmt.Fprintf(&b, "  - name: t%03d\n    url: %s\n    auth:\n      client_id: %s\n      client_secret: env:BENCH_SECRET\n", i, s.URL(), jamfsim.DefaultClientID)
	}
	env = append(env, "BENCH_SECRET="+jamfsim.DefaultClientSecret)
	path := filepath.Join(dir, "jamf-scep.yaml")
	return path, env, os.WriteFile(path, []byte(b.String()), 0o600)
}

func apply(bin, cfg string, env []string, args ...string) (time.Duration, error) {
	// The simulator's fleet holds two Macs whose names make the Subject too
	// long; the benchmark measures the run, so it accepts them.
	cmd := exec.CommandContext(context.Background(), bin, append([]string{"apply", "--config", cfg, "--yes", "--accept-long-subject"}, args...)...)
	cmd.Env = env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return d, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return d, nil
}

const (
	scopePilot      = "scope:\n  computer_groups: [Okta Device Access Pilot]\n  exclusions:\n    buildings: [Remote]\n"
	scopePilotPlus1 = "scope:\n  computer_groups: [Okta Device Access Pilot, Group-001]\n  exclusions:\n    buildings: [Remote]\n"
)

// requests prints the request log of a fresh, a converged and a scope-only
// apply on one tenant.
func requests(bin string, fleet int) error {
	dir, err := os.MkdirTemp("", "jamfbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sim := jamfsim.New(jamfsim.Options{})
	defer sim.Close()
	sim.SeedFleet(fleet, 1)
	runs := []struct{ name, scope string }{
		{"fresh tenant (create + scope)", scopePilot},
		{"converged tenant (second run)", scopePilot},
		{"scope-only change (+1 group)", scopePilotPlus1},
	}
	for _, r := range runs {
		cfg, env, err := writeConfig(dir, []*jamfsim.Server{sim}, r.scope)
		if err != nil {
			return err
		}
		sim.ResetRequests()
		if _, err := apply(bin, cfg, env); err != nil {
			return err
		}
		reqs := sim.Requests()
		counts := map[string]int{}
		writes := 0
		for _, q := range reqs {
			counts[q.Method+" "+collapseID(q.Path)]++
			if q.Method != "GET" && q.Path != "/api/v1/oauth/token" {
				writes++
			}
		}
		fmt.Printf("%s: %d requests, %d write(s)\n", r.name, len(reqs), writes)
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		for _, k := range keys {
			fmt.Fprintf(w, "    %d\t%s\n", counts[k], k)
		}
		w.Flush()
	}
	fmt.Print(`
Floor: token 1, profile list 1, profile read 1 (when it exists), write 1 and
read-back 1 (when something changed), inventory listing 1, one list call per
scope kind named (here computer groups and buildings), the Jamf Pro version
once (it picks the computers-inventory API version), and one Classic group
read per group in the stored or resulting scope (Macs in scope are counted
from group membership).
`)
	return nil
}

// collapseID writes ".../id/7" as ".../id/N" so counts group by endpoint.
func collapseID(p string) string {
	if i := strings.LastIndex(p, "/id/"); i >= 0 {
		if _, err := strconv.Atoi(p[i+4:]); err == nil {
			return p[:i+4] + "N"
		}
	}
	return p
}

// tenants times `apply --all` over n fresh tenants with latency, for each n.
func tenants(bin string, fleet int, latency time.Duration, parallel int, ns []string) error {
	if len(ns) == 0 {
		ns = []string{"1", "10", "50"}
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "tenants\tparallel\tlatency\trequests/tenant\twall\twaves\twall/wave\t\n")
	for _, arg := range ns {
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 {
			return fmt.Errorf("bad tenant count %q", arg)
		}
		dir, err := os.MkdirTemp("", "jamfbench")
		if err != nil {
			return err
		}
		sims := make([]*jamfsim.Server, n)
		for i := range sims {
			sims[i] = jamfsim.New(jamfsim.Options{})
			sims[i].SeedFleet(fleet, int64(i+1))
			sims[i].SetLatency(latency)
		}
		cfg, env, err := writeConfig(dir, sims, scopePilot)
		if err == nil {
			var d time.Duration
			d, err = apply(bin, cfg, env, "--all", "--parallel", strconv.Itoa(parallel))
			waves := (n + parallel - 1) / parallel
			fmt.Fprintf(w, "%d\t%d\t%s\t%d\t%s\t%d\t%s\t\n", n, parallel, latency, len(sims[0].Requests()),
				d.Round(time.Millisecond), waves, (d / time.Duration(waves)).Round(time.Millisecond))
		}
		for _, s := range sims {
			s.Close()
		}
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
	}
	return w.Flush()
}
