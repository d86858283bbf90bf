package cmdutil

import (
	"fmt"
	"io"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/rollout"
)

// writeStatus prints each tenant's status as text:
//
//	prod: stage pilot (at-stage), started 2026-03-01 12:00 UTC, 1d 2h ago
//	  CHECK         WANT    GOT   OK
//	  min_coverage  >= 95%  100%  yes
//	  ...
//	  Macs in scope 40: 1 failed, 2 pending
//	  next: hq adds 500 Mac(s), 1200 remain after this step
//	  advance: may start
func writeStatus(f *Factory, results []*tenantResult) error {
	w := f.IOStreams.Out
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if r.err != nil {
			fmt.Fprintf(w, "%s: error: %v\n", r.Tenant, r.err)
			continue
		}
		if err := writeOne(w, f.IOStreams.IsStdoutTTY(), r.Tenant, r.Status, r.g.Report.Now); err != nil {
			return err
		}
	}
	return nil
}

func writeOne(w io.Writer, aligned bool, tenant string, st *rollout.Status, now time.Time) error {
	switch st.State {
	case rollout.OffPlan:
		fmt.Fprintf(w, "%s: off-plan: the profile's scope matches no stage (nearest: %s)\n", tenant, orFirst(st.Nearest))
		fmt.Fprintf(w, "  differs by: %s\n", rollout.DescribeChanges(st.Changes))
		fmt.Fprintf(w, "  advance: refused; make the scope match a stage (jamf-scep scope set, or in Jamf Pro)\n")
		return nil
	case rollout.NotStarted:
		fmt.Fprintf(w, "%s: not started\n", tenant)
	default:
		fmt.Fprintf(w, "%s: stage %s (%s)", tenant, st.StageName, st.State)
		if st.Started.IsZero() {
			fmt.Fprint(w, ", start unknown (no install command yet)\n")
		} else {
			fmt.Fprintf(w, ", started %s, %s ago\n", st.Started.UTC().Format("2006-01-02 15:04 MST"), rollout.FormatDuration(now.Sub(st.Started)))
		}
	}
	g := st.Gate
	if len(g.Checks) > 0 {
		t := NewTable(w, aligned)
		t.Row("  CHECK", "WANT", "GOT", "OK")
		for _, c := range g.Checks {
			ok := "no"
			if c.OK {
				ok = "yes"
			}
			t.Row("  "+c.Name, c.Want, c.Got, ok)
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "  Macs in scope %d: %g%% covered, %d failed, %d pending\n", g.InScope, g.Coverage, g.Failed, g.Pending)
	if n := st.Next; n != nil {
		fmt.Fprintf(w, "  next: %s adds %d Mac(s)", n.Stage, n.Adds)
		if n.Remain > 0 {
			fmt.Fprintf(w, ", %d remain after this step", n.Remain)
		}
		fmt.Fprintln(w)
	}
	switch {
	case st.State == rollout.Complete:
		fmt.Fprintln(w, "  advance: nothing left, the last stage is reached")
	case st.CanAdvance:
		fmt.Fprintln(w, "  advance: may start")
	default:
		fmt.Fprintf(w, "  advance: blocked, %s\n", st.Blocked)
	}
	return nil
}
