package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// The scope of the request-count rows names two groups and excludes a
// building, so the run reads a group list, a building list and two groups'
// members; the 10,000-Mac rows scope every computer.
const (
	scopeTwoGroups = "scope:\n  computer_groups: [Okta Device Access Pilot, Group-001]\n  exclusions:\n    buildings: [Remote]\n"
	scopeAll       = "scope:\n  all_computers: true\n"
)

// wavesRow is one row of issue 14's table: how to prepare a simulator and
// which command to measure on it.
type wavesRow struct {
	name  string
	macs  int
	scope string
	// pinned writes the tenant's profile_id into the config.
	pinned bool
	// fresh measures the first apply; otherwise a first apply runs
	// unmeasured and the row measures args on the converged tenant.
	fresh bool
	// certify installs the profile with a certificate on nine Macs in ten
	// before the measured run (for verify).
	certify bool
	args    []string
}

var wavesRows = []wavesRow{
	{name: "converged apply (nothing to do)", macs: 25, scope: scopeTwoGroups, args: []string{"apply", "--yes", "--accept-long-subject"}},
	{name: "converged apply, profile_id pinned", macs: 25, scope: scopeTwoGroups, pinned: true, args: []string{"apply", "--yes", "--accept-long-subject"}},
	{name: "plan", macs: 25, scope: scopeTwoGroups, args: []string{"plan"}},
	{name: "fresh tenant (create + scope)", macs: 25, scope: scopeTwoGroups, fresh: true, args: []string{"apply", "--yes", "--accept-long-subject"}},
	{name: "verify, 10,000 Macs in scope", macs: 10000, scope: scopeAll, certify: true, args: []string{"verify", "-o", "json"}},
	{name: "plan, 10,000 Macs in scope", macs: 10000, scope: scopeAll, args: []string{"plan"}},
	{name: "converged apply, 10,000 Macs in scope", macs: 10000, scope: scopeAll, args: []string{"apply", "--yes", "--accept-long-subject"}},
}

// waves prints, for each row whose name contains only, requests and waves
// from the simulator's request log and wall time at each added latency,
// plus peak RSS of the jamf-scep process for the 10,000-Mac rows. With
// trace it also prints every measured run's requests (see printTrace).
func waves(bin string, latencies []time.Duration, runs int, only string, trace bool) error {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "run\trequests\twaves\tmax in flight\t")
	for _, l := range latencies {
		fmt.Fprintf(w, "wall @%s\t", l)
	}
	fmt.Fprint(w, "peak RSS\t\n")
	for _, row := range wavesRows {
		if !strings.Contains(row.name, only) {
			continue
		}
		var reqs, wv, inflight int
		var rss int64
		walls := make([]time.Duration, len(latencies))
		for i, l := range latencies {
			ds := make([]time.Duration, runs)
			for k := range ds {
				m, err := measure(bin, row, l)
				if err != nil {
					return fmt.Errorf("%s at %s: %w", row.name, l, err)
				}
				if trace {
					fmt.Printf("%s at %s, run %d:\n", row.name, l, k+1)
					printTrace(os.Stdout, m.log)
				}
				ds[k] = m.wall
				// Counts come from the run with the most latency, where
				// overlapping requests overlap for sure.
				reqs, wv, inflight = m.requests, m.waves, max(inflight, m.inFlight)
				rss = max(rss, m.rssKB)
			}
			slices.Sort(ds)
			walls[i] = ds[len(ds)/2]
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t", row.name, reqs, wv, inflight)
		for _, d := range walls {
			fmt.Fprintf(w, "%s\t", d.Round(time.Millisecond))
		}
		if row.macs >= 10000 {
			fmt.Fprintf(w, "%.0f MB\t\n", float64(rss)/1024)
		} else {
			fmt.Fprint(w, "-\t\n")
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Printf("\nwall: median of %d runs of the jamf-scep binary (process start included);\n"+
		"waves: the longest chain of requests each started after the previous one ended;\n"+
		"peak RSS: the jamf-scep process's maximum resident set (getrusage).\n", runs)
	return nil
}

type measurement struct {
	log                       []jamfsim.Request
	requests, waves, inFlight int
	wall                      time.Duration
	rssKB                     int64
}

func measure(bin string, row wavesRow, latency time.Duration) (measurement, error) {
	dir, err := os.MkdirTemp("", "jamfbench")
	if err != nil {
		return measurement{}, err
	}
	defer os.RemoveAll(dir)
	sim := jamfsim.New(jamfsim.Options{})
	defer sim.Close()
	sim.SeedFleet(row.macs, 1)
	cfg, env, err := writeConfig(dir, []*jamfsim.Server{sim}, row.scope)
	if err != nil {
		return measurement{}, err
	}
	if !row.fresh {
		if _, _, err := run(bin, cfg, env, "apply", "--yes", "--accept-long-subject"); err != nil {
			return measurement{}, err
		}
		ps := sim.Profiles()
		if len(ps) != 1 {
			return measurement{}, fmt.Errorf("%d profiles after the first apply, want 1", len(ps))
		}
		if row.pinned {
			if err := pin(cfg, ps[0].ID); err != nil {
				return measurement{}, err
			}
		}
		if row.certify {
			certify(sim, ps[0].ID)
		}
	}
	sim.SetLatency(latency)
	sim.ResetRequests()
	d, rss, err := run(bin, cfg, env, row.args...)
	if err != nil {
		return measurement{}, err
	}
	reqs := sim.Requests()
	return measurement{
		log: reqs, requests: len(reqs), waves: jamfsim.Waves(reqs), inFlight: jamfsim.MaxInFlight(reqs),
		wall: d, rssKB: rss,
	}, nil
}

// pin adds profile_id to the config's one tenant.
func pin(cfg string, id int) error {
	b, err := os.ReadFile(cfg)
	if err != nil {
		return err
	}
	s := strings.Replace(string(b), "    auth:\n", fmt.Sprintf("    profile_id: %d\n    auth:\n", id), 1)
	return os.WriteFile(cfg, []byte(s), 0o600)
}

// certify installs profile id with a matching certificate on nine Macs in
// ten; the tenth keeps only its pending install command.
func certify(sim *jamfsim.Server, id int) {
	for cid := 1; ; cid++ {
		c, ok := sim.Computer(cid)
		if !ok {
			return
		}
		if cid%10 == 0 {
			continue
		}
		sim.InstallProfile(cid, id)
		sim.AddCertificate(cid, jamfsim.Certificate{
			CommonName: c.Name + " ma " + c.UDID, Identity: true,
			ExpirationDate: time.Now().Add(200 * 24 * time.Hour),
		})
	}
}

// run runs the binary with args and the config, and returns its wall time
// and peak RSS in KiB.
func run(bin, cfg string, env []string, args ...string) (time.Duration, int64, error) {
	cmd := exec.CommandContext(context.Background(), bin, append(args, "--config", cfg)...)
	cmd.Env = env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	if err != nil {
		if len(out) > 2000 {
			out = out[len(out)-2000:]
		}
		return d, rss, fmt.Errorf("%s: %w\n...%s", strings.Join(cmd.Args, " "), err, out)
	}
	return d, rss, nil
}

// printTrace writes reqs in start order, one a line: start and end in ms
// from the first request, the wave (the longest chain of requests, each
// started after the previous one ended, that ends with it), method, path
// and query.
func printTrace(w io.Writer, reqs []jamfsim.Request) {
	if len(reqs) == 0 {
		return
	}
	byStart, wave := jamfsim.WaveOf(reqs)
	t0 := byStart[0].Start
	ms := func(t time.Time) float64 { return float64(t.Sub(t0).Microseconds()) / 1000 }
	for i, r := range byStart {
		q := r.Query
		if len(q) > 60 {
			q = q[:57] + "..."
		}
		fmt.Fprintf(w, "  %8.1f %8.1f  wave %d  %s %s?%s\n", ms(r.Start), ms(r.End), wave[i], r.Method, r.Path, q)
	}
}
