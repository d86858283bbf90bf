package verifycmd

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/rollout"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// addRenewalFlags adds --renewals and its flags to verify.
func addRenewalFlags(cmd *cobra.Command, opts *Options) {
	fl := cmd.Flags()
	var failAtRisk int
	fl.BoolVar(&opts.Renewals, "renewals", false, "forecast certificate renewals per week and list the Macs at risk, instead of the report")
	fl.IntVar(&failAtRisk, "fail-at-risk", 0, "with --renewals: exit 1 when more than this many Macs are at risk (0: any)")
	fl.IntVar(&opts.MarginDays, "margin", 0, "with --renewals: days added to the redistribution window, and of silence, that put a Mac at risk (default 7)")
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error {
		if cmd.Flags().Changed("fail-at-risk") {
			opts.FailAtRisk = &failAtRisk
		}
		return nil
	}
}

// defaultMarginDays is --margin when not given.
const defaultMarginDays = 7

// validateRenewals checks the renewal flags.
func (o *Options) validateRenewals() error {
	switch {
	case o.FailAtRisk != nil && *o.FailAtRisk < 0:
		return cmdutil.InvalidFlagValue("fail-at-risk", strconv.Itoa(*o.FailAtRisk), "a number of Macs (0 or more)")
	case o.FailAtRisk != nil && !o.Renewals:
		return cmdutil.UsageErrorf("--fail-at-risk needs --renewals")
	case o.MarginDays < 0:
		return cmdutil.InvalidFlagValue("margin", strconv.Itoa(o.MarginDays), "a number of days (1 or more)")
	}
	return nil
}

// watchSubjects makes each query record, with --renewals, the Macs in
// scope whose Subject today would exceed RFC 5280's limits (a renamed
// Mac), by Classic id with the worst length; one map per query, written
// by that tenant's run only.
func (o *Options) watchSubjects(queries []verify.Query) []map[int]int {
	if !o.Renewals {
		return nil
	}
	out := make([]map[int]int, len(queries))
	for i := range queries {
		m := map[int]int{}
		out[i] = m
		d := queries[i].Dialect
		queries[i].OnFleet = func(fl *fleet.Fleet, t verify.Target, inScope []int) {
			for _, v := range fl.CheckSubject(t.Subject, inScope, t.ID, d) {
				m[v.ID] = v.Worst()
			}
		}
	}
	return out
}

// renewalResult is one tenant's forecast in `verify --renewals -o json`.
type renewalResult struct {
	Tenant   string            `json:"tenant"`
	Forecast *rollout.Forecast `json:"forecast,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// renewals prints the forecast of each tenant and maps the outcome: tenant
// errors first, then --fail-at-risk.
func renewals(f *cmdutil.Factory, opts *Options, results []tenantResult, longSubjects []map[int]int, multi bool) error {
	out := make([]renewalResult, len(results))
	for i, r := range results {
		out[i] = renewalResult{Tenant: r.Tenant, Error: r.Error}
		if r.Report != nil {
			fc := rollout.ForecastRenewals(rollout.ForecastInput{
				Report: r.Report, Margin: time.Duration(cmp.Or(opts.MarginDays, defaultMarginDays)) * 24 * time.Hour, LongSubjects: longSubjects[i],
			})
			out[i].Forecast = &fc
		}
	}
	if err := writeRenewals(f, out, multi); err != nil {
		return err
	}
	noFailUnder := *opts
	noFailUnder.FailUnder = nil
	if err := outcome(&noFailUnder, results); err != nil {
		return err
	}
	if opts.FailAtRisk == nil {
		return nil
	}
	var over []string
	for _, r := range out {
		if n := len(r.Forecast.AtRisk); n > *opts.FailAtRisk {
			over = append(over, fmt.Sprintf("%s %d", r.Tenant, n))
		}
	}
	if len(over) > 0 {
		return cmdutil.WithExitCode(cmdutil.ExitError, fmt.Errorf("at-risk Macs over --fail-at-risk %d: %s", *opts.FailAtRisk, strings.Join(over, ", ")))
	}
	return nil
}

func writeRenewals(f *cmdutil.Factory, out []renewalResult, multi bool) error {
	w := f.IOStreams.Out
	switch f.Globals.Output {
	case cmdutil.OutputJSON:
		if !multi {
			if out[0].Forecast == nil {
				return nil // the error is the output
			}
			return cmdutil.WriteJSON(w, out[0].Forecast)
		}
		return cmdutil.WriteJSON(w, struct {
			Tenants []renewalResult `json:"tenants"`
		}{out})
	case cmdutil.OutputCSV:
		return writeRenewalsCSV(w, out)
	}
	tty := f.IOStreams.IsStdoutTTY()
	for _, r := range out {
		if r.Forecast == nil {
			continue
		}
		if err := writeRenewalsText(w, r, multi, tty); err != nil {
			return err
		}
	}
	return nil
}

// writeRenewalsText prints the weeks that have any certificate expiring
// or in its window, then the Macs at risk.
func writeRenewalsText(w io.Writer, r renewalResult, multi, tty bool) error {
	fc := r.Forecast
	if multi {
		fmt.Fprintf(w, "== %s ==\n", r.Tenant)
	}
	t := cmdutil.NewTable(w, tty)
	t.Row("WEEK", "EXPIRING", "IN WINDOW")
	for _, wk := range fc.Weeks {
		if wk.Expiring+wk.InWindow > 0 {
			t.Row(wk.Start.Format(time.DateOnly), strconv.Itoa(wk.Expiring), strconv.Itoa(wk.InWindow))
		}
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d Mac(s) at risk (window %d days, margin %d days)\n", len(fc.AtRisk), fc.WindowDays, fc.MarginDays)
	if len(fc.AtRisk) == 0 {
		return nil
	}
	t = cmdutil.NewTable(w, tty)
	t.Row("NAME", "SERIAL", "EXPIRES", "REASONS")
	for _, x := range fc.AtRisk {
		t.Row(x.Name, x.Serial, dateOrDash(x.Expires), strings.Join(x.Reasons, "; "))
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if multi {
		fmt.Fprintln(w)
	}
	return nil
}

// renewalsCSVHeader is the first row of `verify --renewals -o csv`: week
// rows (kind "week") then at-risk rows (kind "at-risk"), the tenant first
// so several tenants share one file.
var renewalsCSVHeader = []string{
	"tenant", "kind", "week_start", "expiring", "in_window", "id", "name", "serial_number", "expires", "reasons",
}

func writeRenewalsCSV(w io.Writer, out []renewalResult) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(renewalsCSVHeader)
	for _, r := range out {
		if r.Forecast == nil {
			continue
		}
		for _, wk := range r.Forecast.Weeks {
			_ = cw.Write([]string{r.Tenant, "week", wk.Start.Format(time.DateOnly), strconv.Itoa(wk.Expiring), strconv.Itoa(wk.InWindow), "", "", "", "", ""})
		}
		for _, x := range r.Forecast.AtRisk {
			_ = cw.Write([]string{r.Tenant, "at-risk", "", "", "", strconv.Itoa(x.ID), csvSafe(x.Name), csvSafe(x.Serial), dateOrDash(x.Expires), csvSafe(strings.Join(x.Reasons, "; "))})
		}
	}
	cw.Flush()
	return cw.Error()
}

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}
