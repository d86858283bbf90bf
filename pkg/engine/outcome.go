package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/plan"
)

// Report is the run's JSON document (plan.Report): every tenant in config
// order with its result, plan, writes and error.
func (res *Result) Report() plan.Report {
	cmd := "plan"
	if res.Apply {
		cmd = "apply"
	}
	rep := plan.Report{SchemaVersion: plan.SchemaVersion, Command: cmd, Tenants: []plan.TenantReport{}}
	for _, t := range res.Tenants {
		tr := plan.TenantReport{Tenant: t.Name, Written: []string{}}
		if t.State != nil {
			tr.Plan = t.State.Plan
			tr.Written = append(tr.Written, t.State.Written...)
			tr.Verified = t.State.Verified
		}
		switch {
		case t.Err != nil:
			tr.Result = plan.ResultFailed
			tr.Error = t.Failure()
			tr.Verified = false
		case !tr.Plan.HasChanges():
			tr.Result = plan.ResultUnchanged
			tr.Verified = true
		case res.Applied:
			tr.Result = plan.ResultApplied
		default:
			tr.Result = plan.ResultPlanned
		}
		rep.Tenants = append(rep.Tenants, tr)
	}
	return rep
}

// Kind classifies a run's failure; the command layer maps each kind to
// its exit code (cmdutil).
type Kind int

// Failure kinds.
const (
	// KindFailed is any failure not listed below.
	KindFailed Kind = iota
	// KindInput: the config or the options are wrong; nothing was sent.
	KindInput
	// KindAuth: Jamf Pro answered 401 or 403.
	KindAuth
	// KindNotFound: a Jamf Pro object does not exist.
	KindNotFound
	// KindConflict: an ambiguity that needs a human (two profiles with
	// one name) or a conflicting write.
	KindConflict
	// KindCanceled: canceled before any write; Err is context.Canceled.
	KindCanceled
	// KindInterrupted: canceled after or during a write; Err says what
	// changed or may have.
	KindInterrupted
	// KindPartial: some of several tenants failed.
	KindPartial
)

// Error is a run's classified failure.
type Error struct {
	Kind Kind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Err returns nil when every tenant succeeded, the one tenant's classified
// error, or for several tenants a KindPartial (some failed) or KindFailed
// (all failed) error listing each failed tenant with its failure.
func (res *Result) Err() error {
	var failed []*Tenant
	for _, t := range res.Tenants {
		if t.Err != nil {
			failed = append(failed, t)
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(res.Tenants) == 1:
		return classify(res.Tenants[0])
	}
	var b strings.Builder
	kind := KindPartial
	if len(failed) == len(res.Tenants) {
		kind = KindFailed
		fmt.Fprintf(&b, "all %d tenants failed:", len(res.Tenants))
	} else {
		fmt.Fprintf(&b, "%d of %d tenants failed:", len(failed), len(res.Tenants))
	}
	for _, t := range failed {
		fmt.Fprintf(&b, "\n  tenant %s: %s", t.Name, strings.ReplaceAll(t.Failure(), "\n", "\n  "))
	}
	return &Error{Kind: kind, Err: errors.New(b.String())}
}

// classify turns one tenant's failure into the run's error: its kind,
// a hint for 401/403, and for a failed apply exactly what was and was not
// changed.
func classify(t *Tenant) error {
	err := errors.New("tenant " + t.Name + ": " + t.Failure())
	var jerr *jamf.Error
	var amb *jamf.AmbiguousNameError
	var ie *InputError
	kind := KindFailed
	switch {
	case errors.Is(t.Err, context.Canceled) && t.State != nil && (len(t.State.Written) > 0 || errors.Is(t.Err, jamf.ErrMayHaveApplied)):
		// Canceled after a write, or during one: say what changed or may
		// have.
		kind = KindInterrupted
	case errors.Is(t.Err, context.Canceled):
		return &Error{Kind: KindCanceled, Err: context.Canceled}
	case errors.As(t.Err, &ie), errors.Is(t.Err, config.ErrInvalid):
		kind = KindInput
	case errors.As(t.Err, &amb):
		kind = KindConflict
	case errors.As(t.Err, &jerr) && (jerr.StatusCode == http.StatusUnauthorized || jerr.StatusCode == http.StatusForbidden):
		kind = KindAuth
	case errors.Is(t.Err, jamf.ErrUnauthorized), errors.Is(t.Err, jamf.ErrForbidden):
		kind = KindAuth
	case errors.Is(t.Err, jamf.ErrNotFound):
		kind = KindNotFound
	case errors.Is(t.Err, jamf.ErrConflict):
		kind = KindConflict
	}
	return &Error{Kind: kind, Err: err}
}

// Failure is the tenant's error with its hint and, when apply got as far
// as a write, exactly what was and was not changed; "" without an error.
func (t *Tenant) Failure() string {
	if t.Err == nil {
		return ""
	}
	msg := Describe(t.Err)
	if t.planned() && t.State.Plan.HasChanges() && (len(t.State.Written) > 0 || isApplyStep(t.Err)) {
		msg += "\n" + t.changeReport()
	}
	return msg
}

func isApplyStep(err error) bool {
	var se *plan.StepError
	if !errors.As(err, &se) {
		return false
	}
	for _, s := range plan.ApplySteps() {
		if s.String() == se.Step {
			return true
		}
	}
	return false
}

// changeReport says exactly what a failed apply changed, or that it may
// have changed something when Jamf's answer did not say, and what to do:
// the advice follows the cause (a read-back mismatch Jamf will repeat
// needs a config change; a stale read or a lost answer needs a rerun).
func (t *Tenant) changeReport() string {
	st := t.State
	var b strings.Builder
	var uw *plan.UncertainWriteError
	if errors.As(t.Err, &uw) {
		for _, w := range st.Written {
			fmt.Fprintf(&b, "  changed: %s\n", w)
		}
		b.WriteString("  " + uw.Outcome())
		return b.String()
	}
	if len(st.Written) == 0 {
		if errors.Is(t.Err, jamf.ErrMayHaveApplied) {
			fmt.Fprintf(&b, "  the write may have been applied on tenant %s: Jamf Pro's answer does not say; run `jamf-scep plan` to see, then apply again", t.Name)
			return b.String()
		}
		fmt.Fprintf(&b, "  nothing was changed on tenant %s; rerun `jamf-scep apply` once the cause is fixed", t.Name)
		return b.String()
	}
	for _, w := range st.Written {
		fmt.Fprintf(&b, "  changed: %s\n", w)
	}
	if !st.Verified {
		b.WriteString("  not verified: the read-back did not confirm the write\n")
	}
	var me *plan.MismatchError
	if errors.As(t.Err, &me) {
		b.WriteString("  " + me.Advice())
		return b.String()
	}
	b.WriteString("  rerun `jamf-scep apply`: it plans against what Jamf Pro now holds and converges")
	return b.String()
}

// Describe renders a tenant's error with jamf.Advice: 401, 403 and a url
// that does not lead to Jamf Pro.
func Describe(err error) string {
	if a := jamf.Advice(err); a != "" {
		return err.Error() + "; " + a
	}
	return err.Error()
}

// FirstLine is s up to its first newline.
func FirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
