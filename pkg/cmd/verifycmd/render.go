package verifycmd

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/jamf-scep/jamf-scep/internal/textsafe"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// multiResult is the JSON shape of `verify --all` / `--tenant`.
type multiResult struct {
	Tenants []tenantResult `json:"tenants"`
}

// csvHeader is the first row of `verify -o csv`: one row per Mac, with the
// tenant first so several tenants share one file.
var csvHeader = []string{
	"tenant", "id", "name", "serial_number", "status", "in_scope", "installed",
	"command_state", "command_sent", "certificate_cn", "certificate_expires",
	"days_left", "private_key", "last_inventory", "stale", "notes",
}

func render(f *cmdutil.Factory, opts *Options, results []tenantResult, multi bool) error {
	if opts.Only == problemsOnly {
		for i := range results {
			if r := results[i].Report; r != nil {
				results[i].Report = onlyProblems(r)
			}
		}
	}
	out := f.IOStreams.Out
	switch f.Globals.Output {
	case cmdutil.OutputJSON:
		if !multi {
			if results[0].Report == nil {
				return nil // the error is the output
			}
			return cmdutil.WriteJSON(out, results[0].Report)
		}
		return cmdutil.WriteJSON(out, multiResult{Tenants: results})
	case cmdutil.OutputCSV:
		return writeCSV(out, results)
	}
	tty := f.IOStreams.IsStdoutTTY()
	cols := 0
	if tty {
		cols = f.IOStreams.TerminalWidth()
	}
	for _, r := range results {
		if r.Report == nil {
			continue
		}
		if multi {
			fmt.Fprintf(out, "== %s ==\n", r.Tenant)
		}
		if err := writeTable(out, r.Report, tty, cols); err != nil {
			return err
		}
		summary := fmt.Sprintf("Profile %q (id %d): %s", r.Report.Profile.Name, r.Report.Profile.ID, r.Report.Summary)
		if cols > 0 {
			summary = ansi.Wordwrap(summary, cols, "")
		}
		fmt.Fprintf(out, "\n%s\n", summary)
		for _, w := range r.Report.Warnings {
			fmt.Fprintf(out, "warning: %s\n", w)
		}
		if multi {
			fmt.Fprintln(out)
		}
	}
	if multi {
		return writeTenantSummary(out, results, tty, cols)
	}
	return nil
}

// onlyProblems returns a copy of r listing only Macs whose status is not
// ok; the summary still counts every Mac.
func onlyProblems(r *verify.Report) *verify.Report {
	c := *r
	c.Macs = []verify.Mac{}
	for _, m := range r.Macs {
		if !m.Status.OK() {
			c.Macs = append(c.Macs, m)
		}
	}
	return &c
}

func date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Columns of the Mac table, and the order in which a narrow terminal drops
// them: what a Mac admin acts on (status, name, profile, certificate,
// notes) stays longest.
const (
	colStatus = iota
	colName
	colSerial
	colScope
	colProfile
	colCommand
	colCertificate
	colExpires
	colDays
	colKey
	colInventory
	colNotes
)

var (
	macCut       = []int{colCertificate, colNotes, colName}
	macDropOrder = []int{colInventory, colKey, colScope, colDays, colSerial, colCommand, colExpires}
)

// writeTable writes the Mac table; aligned, it fits cols terminal columns
// (0: no limit), cutting the certificate, notes and name cells and dropping
// macDropOrder.
func writeTable(w io.Writer, r *verify.Report, aligned bool, cols int) error {
	t := cmdutil.NewTable(w, aligned)
	t.FitWidth(cols, macCut, macDropOrder)
	t.Row("STATUS", "NAME", "SERIAL", "SCOPE", "PROFILE", "COMMAND", "CERTIFICATE", "EXPIRES", "DAYS", "KEY", "INVENTORY", "NOTES")
	for _, m := range r.Macs {
		scope := "in"
		if !m.InScope {
			scope = "out"
		}
		cmd, cn, expires, left, key := "-", "-", "-", "-", "-"
		if m.Command != nil {
			cmd = m.Command.State
		}
		if c := m.Certificate; c != nil {
			cn, expires, left, key = c.CommonName, date(c.Expires), strconv.Itoa(c.DaysLeft), yesNo(c.Identity)
		}
		installed := "missing"
		if m.Installed {
			installed = "installed"
		}
		t.Row(string(m.Status), m.Name, m.Serial, scope, installed, cmd, cn, expires, left, key, date(m.LastInventory), strings.Join(m.Notes, "; "))
	}
	return t.Flush()
}

// writeTenantSummary writes one row per tenant; aligned, it fits cols
// columns, dropping the rarer counts first.
func writeTenantSummary(w io.Writer, results []tenantResult, aligned bool, cols int) error {
	t := cmdutil.NewTable(w, aligned)
	t.FitWidth(cols, []int{0, 10}, []int{9, 8, 7, 6, 5}) // cut TENANT, ERROR; drop OUT OF SCOPE, STALE, EXPIRING, EXPIRED, FAILED
	t.Row("TENANT", "IN SCOPE", "WITH CERT", "COVERAGE", "PENDING", "FAILED", "EXPIRED", "EXPIRING", "STALE", "OUT OF SCOPE", "ERROR")
	for _, r := range results {
		if r.Report == nil {
			t.Row(r.Tenant, "-", "-", "-", "-", "-", "-", "-", "-", "-", r.Error)
			continue
		}
		s := r.Report.Summary
		n := strconv.Itoa
		t.Row(r.Tenant, n(s.InScope), n(s.WithCertificate), strconv.FormatFloat(s.Coverage, 'f', 1, 64)+"%",
			n(s.Pending), n(s.Failed), n(s.Expired), n(s.Expiring), n(s.Stale), n(s.OutOfScopeHolders), "-")
	}
	return t.Flush()
}

func writeCSV(w io.Writer, results []tenantResult) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range results {
		if r.Report == nil {
			continue
		}
		for _, m := range r.Report.Macs {
			var cmdState, cmdSent, cn, expires, left, key string
			if m.Command != nil {
				cmdState = m.Command.State
				cmdSent = rfc3339(m.Command.Sent)
			}
			if c := m.Certificate; c != nil {
				cn, expires, left, key = c.CommonName, rfc3339(c.Expires), strconv.Itoa(c.DaysLeft), strconv.FormatBool(c.Identity)
			}
			if err := cw.Write([]string{
				csvSafe(r.Tenant), strconv.Itoa(m.ID), csvSafe(m.Name), csvSafe(m.Serial), string(m.Status),
				strconv.FormatBool(m.InScope), strconv.FormatBool(m.Installed),
				csvSafe(cmdState), cmdSent, csvSafe(cn), expires, left, key,
				rfc3339(m.LastInventory), strconv.FormatBool(m.Stale), csvSafe(strings.Join(m.Notes, "; ")),
			}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvSafe makes a cell from Jamf Pro safe to open: control and bidi
// characters are shown escaped (textsafe.Line; a viewer such as cat or less
// would act on them), and spreadsheet formula injection is defused: a
// computer name is set by whoever owns the Mac, and a cell starting with
// = + - @ is run as a formula by Excel and friends (OWASP "CSV Injection").
func csvSafe(s string) string {
	s = textsafe.Line(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
