// Package doctor proves, before anything is deployed, that the Jamf Pro,
// Okta and SCEP side of an Okta Device Access rollout will work: the config
// and its secrets, each Jamf Pro tenant (reachability, credentials, version,
// clock, API role privileges, scope and Subject length per Mac) and the Okta
// SCEP and Challenge URLs.
//
// The checks are a list of named steps (after goreleaser's healthcheck):
// every check runs and returns structured Results (pass, info, warn, fail or
// skip, a one-line message, a fix and details) instead of printing, and the
// caller renders them and fails once at the end. Checks take their
// dependencies explicitly (Env), so tests run them against fakes, the Jamf
// simulator and the loopback Okta servers. Nothing here writes to Jamf Pro;
// the only side effects are the ones asked for: --fetch-challenge consumes
// one Okta challenge and --enroll-test issues one real certificate.
package doctor

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// Status is the outcome of one check. The zero value is not valid;
// renderers treat it like Fail.
type Status int

// Statuses, from best to worst; Skip means a check did not run because an
// earlier one in its group failed.
const (
	// Pass means nothing to fix.
	Pass Status = iota + 1
	// Info is a fact worth knowing that needs no action.
	Info
	// Warn means deployment can go ahead but something deserves attention.
	Warn
	// Fail means Macs will not get certificates until the fix is applied.
	Fail
	// Skip means the check could not run; the failure before it says why.
	Skip
)

// String returns "pass", "info", "warn", "fail", "skip" or "unknown".
func (s Status) String() string {
	switch s {
	case Pass:
		return "pass"
	case Info:
		return "info"
	case Warn:
		return "warn"
	case Fail:
		return "fail"
	case Skip:
		return "skip"
	}
	return "unknown"
}

// MarshalText encodes the status as its String form, for -o json.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Detail is one named fact behind a result, such as a fingerprint or a
// Mac's Subject. Values never hold secrets.
type Detail struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is the outcome of one check, one line in the checklist.
type Result struct {
	// Check names what was checked, e.g. "jamf prod: privileges".
	Check string `json:"check"`
	// Status is pass, info, warn, fail or skip.
	Status Status `json:"status"`
	// Message is one line saying what was found.
	Message string `json:"message"`
	// Fix says what to do; empty on pass.
	Fix string `json:"fix,omitempty"`
	// Details are the facts behind the message, in display order.
	Details []Detail `json:"details,omitempty"`
}

// fromSCEP converts a scepcheck or okta result; Run names it after the
// check that returned it.
func fromSCEP(r scepcheck.Result) Result {
	out := Result{Message: r.Message, Fix: r.Fix}
	switch r.Status {
	case scepcheck.Pass:
		out.Status = Pass
	case scepcheck.Warn:
		out.Status = Warn
	default:
		out.Status = Fail
	}
	for _, d := range r.Details {
		out.Details = append(out.Details, Detail{Name: d.Name, Value: d.Value})
	}
	return out
}

// Check is one named step. Run returns its results, usually one; a check
// that reports several things (a privilege each) may return more.
type Check struct {
	Name string
	// Gate makes a failed result skip the rest of the group: there is no
	// point asking for a token from a host that does not resolve.
	Gate bool
	Run  func(ctx context.Context) []Result
}

// Group is a sequence of checks that share state (a tenant's client, a
// fetched challenge). Checks in a group run in order; groups run
// concurrently.
type Group struct {
	Name   string
	Checks []Check
	// Cleanup, when set, runs after the checks (closing a Jamf session).
	Cleanup func(ctx context.Context)
}

// RunOptions bound a run.
type RunOptions struct {
	// Concurrency is how many groups run at once; below 1 means 4.
	Concurrency int
	// Timeout bounds each check; 0 means none.
	Timeout time.Duration
}

// Run runs every group and returns the results in group and check order,
// whatever order they finished in. It never stops early: a failed gate
// skips only the rest of its own group.
func Run(ctx context.Context, groups []Group, opts RunOptions) []Result {
	n := opts.Concurrency
	if n < 1 {
		n = 4
	}
	out := make([][]Result, len(groups))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = runGroup(ctx, g, opts.Timeout)
		})
	}
	wg.Wait()
	var all []Result
	for _, rs := range out {
		all = append(all, rs...)
	}
	return all
}

func runGroup(ctx context.Context, g Group, timeout time.Duration) []Result {
	if g.Cleanup != nil {
		defer func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			g.Cleanup(ctx)
		}()
	}
	var out []Result
	gate := ""
	for _, c := range g.Checks {
		if gate != "" {
			out = append(out, Result{Check: c.Name, Status: Skip, Message: "not run: " + gate + " failed"})
			continue
		}
		rs := runCheck(ctx, c, timeout)
		out = append(out, rs...)
		if c.Gate && Worst(rs) == Fail {
			gate = c.Name
		}
	}
	return out
}

func runCheck(ctx context.Context, c Check, timeout time.Duration) (rs []Result) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	defer func() {
		// A bug in one check must not hide the others' results.
		if p := recover(); p != nil {
			rs = []Result{{Check: c.Name, Status: Fail, Message: fmt.Sprintf("internal error: %v", p), Fix: "report this as a jamf-scep bug"}}
		}
	}()
	rs = c.Run(ctx)
	for i := range rs {
		if rs[i].Check == "" {
			rs[i].Check = c.Name
		}
	}
	return rs
}

// Worst returns the worst status among rs, ranking Fail above Warn above
// Info above Pass; Skip counts as Pass (its cause is reported elsewhere).
// An empty list is Pass.
func Worst(rs []Result) Status {
	worst := Pass
	for _, r := range rs {
		switch r.Status {
		case Pass, Skip:
		case Info:
			if worst == Pass {
				worst = Info
			}
		case Warn:
			if worst != Fail {
				worst = Warn
			}
		default: // Fail, or an invalid status, which is never good news
			return Fail
		}
	}
	return worst
}
