// Package mergecmd implements `jamf-scep report merge`: the -o json
// reports of several plan or apply runs (the shards of a CI matrix) merged
// into one report of the same shape, printed as a table or as JSON, with
// an exit status that reflects the tenants' failures.
package mergecmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/userfile"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
)

// Options are the inputs of `report merge`.
type Options struct {
	F *cmdutil.Factory
	// Files are the reports to merge, each the output of
	// `plan -o json` or `apply -o json`.
	Files []string
}

// NewCmdMerge returns the `report merge` command. runF replaces the run
// in tests of argument parsing.
func NewCmdMerge(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "merge FILE...",
		Short: "Merge the JSON reports of several plan or apply runs into one",
		Long: `Read the reports that plan -o json or apply -o json wrote (schemaVersion 1),
such as one per shard of a CI matrix (apply --all --shard K/N), and print one
report of every tenant: a table, or with -o json a document of the same
shape as each input, its tenants sorted by name.

Every file must be a report of the same command (all plan or all apply), and
a tenant may appear in one file only: a tenant in two reports means two
shards ran it, which is refused rather than guessed.

The exit status reflects the tenants: 0 when none failed, 7 when some failed
and 1 when all failed (as a multi-tenant run's), 3 for a missing, unreadable
or mismatched report.`,
		Example: `  $ jamf-scep report merge shard-1.json shard-2.json shard-3.json
  $ jamf-scep report merge -o json reports/*.json > apply-report.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(opts)
		},
	}
	return cmd
}

// merged is a report whose tenants keep the JSON they were read with, so
// the output has exactly the shape of the inputs (plan.Report).
type merged struct {
	SchemaVersion int               `json:"schemaVersion"`
	Command       string            `json:"command"`
	Tenants       []json.RawMessage `json:"tenants"`
}

// source is one tenant of one input file.
type source struct {
	file string
	raw  json.RawMessage
	rep  plan.TenantReport
}

// maxReportBytes caps one report file: a shard's -o json report of
// thousands of tenants stays well under it.
const maxReportBytes = 64 << 20

// readReport reads one report file through internal/userfile (a regular
// file only, at most maxReportBytes).
func readReport(path string) ([]byte, error) {
	b, _, err := userfile.Read(path, maxReportBytes)
	return b, err
}

func run(opts *Options) error {
	f := opts.F
	m, reps, err := merge(opts.Files, readReport)
	if err != nil {
		return err
	}
	if f.Globals.JSON() {
		if err := cmdutil.WriteJSON(f.IOStreams.Out, m); err != nil {
			return err
		}
	} else {
		if err := cmdutil.WriteSummary(f, plan.Report{SchemaVersion: m.SchemaVersion, Command: m.Command, Tenants: reps}); err != nil {
			return err
		}
		fmt.Fprintf(f.IOStreams.Out, "\n%s\n", tally(reps, len(opts.Files)))
	}
	return failures(reps)
}

// merge reads files with read and merges them: one command, one
// schemaVersion, each tenant once, tenants sorted by name. A bad file is
// a usage error naming it.
func merge(files []string, read func(string) ([]byte, error)) (merged, []plan.TenantReport, error) {
	m := merged{SchemaVersion: plan.SchemaVersion, Tenants: []json.RawMessage{}}
	var all []source
	seen := map[string]string{} // tenant -> file
	for _, name := range files {
		b, err := read(name)
		if err != nil {
			return merged{}, nil, cmdutil.UsageErrorf("report %s: %v", name, err)
		}
		var in merged
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&in); err != nil {
			return merged{}, nil, cmdutil.UsageErrorf("report %s: not a plan or apply -o json report: %v", name, err)
		}
		switch {
		case in.SchemaVersion == 0:
			return merged{}, nil, cmdutil.UsageErrorf("report %s: not a plan or apply -o json report: it has no schemaVersion", name)
		case in.SchemaVersion != plan.SchemaVersion:
			return merged{}, nil, cmdutil.UsageErrorf("report %s: schemaVersion %d; this jamf-scep reads %d", name, in.SchemaVersion, plan.SchemaVersion)
		case in.Command != "plan" && in.Command != "apply":
			return merged{}, nil, cmdutil.UsageErrorf("report %s: command %q; want the report of plan or apply", name, in.Command)
		case m.Command != "" && in.Command != m.Command:
			return merged{}, nil, cmdutil.UsageErrorf("report %s is of %s, report %s of %s: merge the reports of one command", files[0], m.Command, name, in.Command)
		case in.Tenants == nil:
			return merged{}, nil, cmdutil.UsageErrorf("report %s: no tenants list", name)
		}
		m.Command = in.Command
		for i, raw := range in.Tenants {
			var tr plan.TenantReport
			if err := json.Unmarshal(raw, &tr); err != nil {
				return merged{}, nil, cmdutil.UsageErrorf("report %s: tenants[%d]: %v", name, i, err)
			}
			if tr.Tenant == "" {
				return merged{}, nil, cmdutil.UsageErrorf("report %s: tenants[%d] has no tenant name", name, i)
			}
			if other, dup := seen[tr.Tenant]; dup {
				return merged{}, nil, cmdutil.UsageErrorf("tenant %s is in report %s and in report %s: two shards ran it; merge one report per shard of one split (--shard K/N with the same N)", tr.Tenant, other, name)
			}
			seen[tr.Tenant] = name
			all = append(all, source{file: name, raw: raw, rep: tr})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].rep.Tenant < all[j].rep.Tenant })
	reps := make([]plan.TenantReport, len(all))
	for i, s := range all {
		m.Tenants = append(m.Tenants, s.raw)
		reps[i] = s.rep
	}
	return m, reps, nil
}

// tally is the closing line of the text output: how many tenants, from
// how many reports, with how many of each result.
func tally(reps []plan.TenantReport, files int) string {
	count := map[string]int{}
	for _, r := range reps {
		count[r.Result]++
	}
	var parts []string
	for _, res := range []string{plan.ResultApplied, plan.ResultPlanned, plan.ResultUnchanged, plan.ResultFailed} {
		if count[res] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[res], res))
		}
	}
	s := fmt.Sprintf("%d tenant(s) from %d report(s)", len(reps), files)
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

// failures is the merged run's error, with the exit code a multi-tenant
// run would have: none failed, some (7), or all (1).
func failures(reps []plan.TenantReport) error {
	var b strings.Builder
	n := 0
	for _, r := range reps {
		if r.Result == plan.ResultFailed {
			n++
			fmt.Fprintf(&b, "\n  tenant %s: %s", r.Tenant, strings.ReplaceAll(r.Error, "\n", "\n  "))
		}
	}
	switch {
	case n == 0:
		return nil
	case n == len(reps):
		return cmdutil.WithExitCode(cmdutil.ExitError, fmt.Errorf("all %d tenants failed:%s", n, b.String()))
	}
	return cmdutil.WithExitCode(cmdutil.ExitPartial, fmt.Errorf("%d of %d tenants failed:%s", n, len(reps), b.String()))
}
