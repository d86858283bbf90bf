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
// the only side effects are the ones asked for: --fetch-challenge makes Okta
// issue one challenge (valid until it expires unless used) and --enroll-test
// uses one challenge to issue one real certificate.
package doctor

import (
	"context"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/check"
)

// Check is one named step. Run returns its results, usually one; a check
// that reports several things (a privilege each) may return more.
type Check struct {
	Name string
	// Gate makes a failed result skip the rest of the group: there is no
	// point asking for a token from a host that does not resolve.
	Gate bool
	// Local marks a check that reads only this machine (the config, the
	// environment, secret files, the keychain): RunOptions.Timeout bounds
	// the wait on a network and does not apply to it (with --timeout 1ns
	// every secret "did not resolve"). The run's context still ends it.
	Local bool
	Run   func(ctx context.Context) []check.Result
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
	// Timeout bounds each check but the Local ones; 0 means none.
	Timeout time.Duration
	// Secrets, when set, are redacted from every result once all checks
	// have run (Env.Secrets collects them).
	Secrets *Secrets
	// OnCheck, when set, is told as each check starts, with its group's
	// name (progress). It is called from several goroutines.
	OnCheck func(group, check string)
}

// Run runs every group and returns the results in group and check order,
// whatever order they finished in. It never stops early: a failed gate
// skips only the rest of its own group.
func Run(ctx context.Context, groups []Group, opts RunOptions) []check.Result {
	n := opts.Concurrency
	if n < 1 {
		n = 4
	}
	out := make([][]check.Result, len(groups))
	sem := make(chan struct{}, n)
	var wg crash.Group // a panic outside a check is carried to Wait and reported
	for i, g := range groups {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = runGroup(ctx, g, opts)
		})
	}
	wg.Wait()
	var all []check.Result
	for _, rs := range out {
		all = append(all, rs...)
	}
	opts.Secrets.redactResults(all)
	return all
}

func runGroup(ctx context.Context, g Group, opts RunOptions) []check.Result {
	if g.Cleanup != nil {
		defer func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			g.Cleanup(ctx)
		}()
	}
	var out []check.Result
	gate := ""
	for _, c := range g.Checks {
		if gate != "" {
			out = append(out, check.Result{Check: c.Name, Status: check.Skip, Message: "not run: " + gate + " failed"})
			continue
		}
		if opts.OnCheck != nil {
			opts.OnCheck(g.Name, c.Name)
		}
		rs := runCheck(ctx, c, opts.Timeout)
		out = append(out, rs...)
		if c.Gate && Worst(rs) == check.Fail {
			gate = c.Name
		}
	}
	return out
}

func runCheck(ctx context.Context, c Check, timeout time.Duration) (rs []check.Result) {
	if timeout > 0 && !c.Local {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	defer func() {
		// A bug in one check must not hide the others' results; the
		// command still exits as a crash (the result's Err).
		if p := recover(); p != nil {
			e := crash.From(p)
			rs = []check.Result{{Check: c.Name, Status: check.Fail, Message: e.Error(), Fix: "report this as a jamf-scep bug", Err: e}}
		}
	}()
	rs = c.Run(ctx)
	// The checklist names results after doctor's checks ("okta: SCEP
	// GetCACaps"), not after the probe that produced them.
	for i := range rs {
		rs[i].Check = c.Name
	}
	return rs
}

// Worst returns the worst status among rs, ranking Fail above Warn above
// Info above Pass; Skip counts as Pass (its cause is reported elsewhere).
// An empty list is Pass.
func Worst(rs []check.Result) check.Status {
	worst := check.Pass
	for _, r := range rs {
		switch r.Status {
		case check.Pass, check.Skip:
		case check.Info:
			if worst == check.Pass {
				worst = check.Info
			}
		case check.Warn:
			if worst != check.Fail {
				worst = check.Warn
			}
		default: // check.Fail, or an invalid status, which is never good news
			return check.Fail
		}
	}
	return worst
}
