package plan

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// State is what the steps of one tenant's run share. The caller fills the
// inputs; steps fill the rest in order.
type State struct {
	// Client talks to the tenant.
	Client *jamf.Client
	// Desired is the config's profile; its Scope is filled by ResolveScope
	// from ScopeConfig.
	Desired Desired
	// ScopeConfig is the effective config scope (names, ownership).
	ScopeConfig config.Scope
	// ReplaceScope owns every category (--replace-scope).
	ReplaceScope bool
	// ProfileID selects the stored profile by id (--profile-id) instead of
	// by exact name; 0 means by name.
	ProfileID int
	// AcceptLongSubject lets apply write although some Macs in scope would
	// request a Subject over RFC 5280's limits (--accept-long-subject);
	// those Macs fail to enroll, and their renewal fails too.
	AcceptLongSubject bool
	// Progress, when set, is told how far a long step is: done of total
	// items (LoadFleet: "resolve scope", Macs of the inventory read).
	Progress func(step string, done, total int)

	// Fleet is the tenant's inventory and named objects (LoadFleet).
	Fleet *fleet.Fleet
	// Stored is the stored profile (FindProfile).
	Stored Stored
	// Plan is the computed plan (ComputePlan, CountMacs).
	Plan *Plan
	// Written lists what reached the server, in order, for the failure
	// report: "created profile 12" or "updated general, scope of profile 7".
	Written []string
	// Verified is true once the read-back matched what was sent.
	Verified bool
}

// Step is one named part of a run.
type Step interface {
	// String names the step for progress lines and errors ("find profile").
	String() string
	// Run does the step's work on st.
	Run(ctx context.Context, st *State) error
}

// StepError is a failed step: its name and cause.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Run runs steps in order, calling progress (may be nil) before each, and
// stops at the first error, returned as a *StepError (a step of a
// [Together] names itself).
//
// Before any request it registers the desired profile's secrets (the Okta
// password, a static challenge) with st.Client's redaction
// ([jamf.Client.Redact]): the payload carries them, and Jamf or a proxy may
// quote a request back in an error. The caller need not remember to.
func Run(ctx context.Context, st *State, progress func(step string), steps ...Step) error {
	if st.Client != nil && st.Desired.Profile != nil {
		st.Client.Redact(secretValues(st.Desired.Profile)...)
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if progress != nil {
			progress(s.String())
		}
		if err := s.Run(ctx, st); err != nil {
			if se, ok := err.(*StepError); ok { //nolint:errorlint // a Together's own step, not a wrapped one
				return se
			}
			return &StepError{Step: s.String(), Err: err}
		}
	}
	return nil
}

// Steps are the steps of `plan`: every lookup, no write. Requests, in
// three waves of round trips on a converged tenant:
//
//  1. the token;
//  2. the Jamf Pro version, the profile list (or, with a profile id, the
//     profile read), one list call per scope kind named and the
//     inventory's first page (asked at the newest endpoint while the
//     version is on its way; see jamf.Client.ComputersInventory), all at
//     once;
//  3. what needs those answers: the profile read (found by name), the
//     inventory's other pages when there are more than 2000 Macs and one
//     Classic group read per group named, again all at once.
//
// A stored scope naming groups the config does not adds one group read
// each, in one more wave (CountMacs). Each request serves a check: the
// profile list is the duplicate-name check (a read by name would pick one
// silently), the lists resolve every name before anything is written, and
// the inventory and group members count the Macs in scope and check the
// Subject on each; none can be skipped without losing its check.
func Steps() []Step {
	return []Step{Together{FindProfile{}, LoadFleet{}}, ComputePlan{}, CountMacs{}}
}

// FindProfile finds the stored profile by exact name (refusing duplicates:
// *jamf.AmbiguousNameError) or by State.ProfileID. It writes State.Stored
// only. Requests: the profile list (the duplicate-name check needs all
// names) and one read when it exists, or the one read by id.
type FindProfile struct{}

func (FindProfile) String() string { return "find profile" }

// Run implements Step.
func (FindProfile) Run(ctx context.Context, st *State) error {
	if st.ProfileID > 0 {
		p, err := st.Client.GetProfile(ctx, st.ProfileID)
		if errors.Is(err, jamf.ErrNotFound) {
			return fmt.Errorf("--profile-id %d: %w; %s", st.ProfileID, err, lagHint(st.ProfileID))
		}
		if err != nil {
			return fmt.Errorf("--profile-id %d: %w", st.ProfileID, err)
		}
		st.Stored = Stored{Profile: p, ID: st.ProfileID}
		return nil
	}
	p, err := st.Client.FindProfileByName(ctx, st.Desired.General.Name)
	var amb *jamf.AmbiguousNameError
	switch {
	case errors.As(err, &amb):
		return fmt.Errorf("%w; %s", err, duplicateAdvice(amb))
	case errors.Is(err, jamf.ErrNotFound):
		st.Stored = Stored{}
		return nil
	case err != nil:
		return err
	}
	id := p.General.ID
	st.Stored = Stored{Profile: p, ID: id}
	return nil
}

// LoadFleet loads the inventory and the kinds the scope names (and the
// category and site lists when the profile names one), and resolves every
// name to an id (an *jamf.UnresolvedError listing every name that did not
// resolve, with close matches), before anything is written. It fills
// Fleet, Desired.Scope and the general category and site ids, and reads
// the members of the groups named as soon as the group list is in
// (CountMacs needs them).
type LoadFleet struct{}

func (LoadFleet) String() string { return "resolve scope" }

// Run implements Step.
func (LoadFleet) Run(ctx context.Context, st *State) error {
	names, back := scope.FromConfig(st.ScopeConfig)
	g := &st.Desired.General
	if g.Category != "" {
		names.Categories = []string{g.Category}
	}
	if g.Site != "" {
		names.Sites = []string{g.Site}
	}
	need := fleet.NeedFor(names)
	need.MembersOf = names.ComputerGroups
	if st.Progress != nil {
		need.OnInventoryPage = func(read, total int) { st.Progress(LoadFleet{}.String(), read, total) }
	}
	f, err := fleet.Load(ctx, st.Client, need)
	if err != nil {
		return err
	}
	st.Fleet = f
	r, err := f.Resolve(names)
	if err != nil {
		return err
	}
	st.Desired.Scope = back(r)
	if len(r.Categories) == 1 {
		g.Category, g.CategoryID = r.Categories[0].Name, r.Categories[0].ID
	}
	if len(r.Sites) == 1 {
		g.Site, g.SiteID = r.Sites[0].Name, r.Sites[0].ID
	}
	if st.ReplaceScope {
		st.Desired.Scope.OwnAll()
	}
	return nil
}

// ComputePlan runs Compute.
type ComputePlan struct{}

func (ComputePlan) String() string { return "compute plan" }

// Run implements Step.
func (ComputePlan) Run(_ context.Context, st *State) error {
	p, err := Compute(st.Desired, st.Stored)
	if err != nil {
		return err
	}
	st.Plan = p
	return nil
}

// Write sends the plan's one write: a POST for a create, a PUT carrying only
// the changed parts for an update, nothing when converged.
type Write struct{}

func (Write) String() string { return "write" }

// Run implements Step.
//
// A create whose answer leaves open whether Jamf stored it
// (jamf.ErrMayHaveApplied: a 5xx, a lost answer) is followed by a fresh
// listing by name: a profile found there is reported as created, and the
// read-back then checks it; otherwise the error says what the listing
// showed. An update with such an answer is an *UncertainWriteError.
func (Write) Run(ctx context.Context, st *State) error {
	p := st.Plan
	if err := p.SubjectErr(); err != nil {
		return err
	}
	switch p.Action {
	case ActionNone:
		return nil
	case ActionCreate:
		id, err := st.Client.CreateProfile(ctx, &jamf.Profile{General: *p.send.general, Scope: *p.send.scope})
		if errors.Is(err, jamf.ErrMayHaveApplied) {
			return confirmCreate(ctx, st, err)
		}
		if err != nil {
			return err
		}
		p.ProfileID = id
		st.Stored.ID = id
		st.Written = append(st.Written, fmt.Sprintf("created profile %d with its scope", id))
		return nil
	}
	err := st.Client.UpdateProfile(ctx, p.ProfileID, jamf.ProfileUpdate{General: p.send.general, Scope: p.send.scope})
	if errors.Is(err, jamf.ErrMayHaveApplied) {
		return &UncertainWriteError{Action: ActionUpdate, ProfileID: p.ProfileID, Name: p.ProfileName, Parts: p.Parts(), Err: err}
	}
	if err != nil {
		return err
	}
	st.Written = append(st.Written, fmt.Sprintf("updated %s of profile %d", strings.Join(p.Parts(), ", "), p.ProfileID))
	return nil
}

// confirmCreate lists profiles by name after a create whose answer was
// lost. One profile by that name is the create (the run found none before
// writing, and the cookie jar keeps the node that took the write): it is
// recorded as created and the read-back goes on. Anything else is an
// *UncertainWriteError saying what the listing showed.
func confirmCreate(ctx context.Context, st *State, cause error) error {
	p := st.Plan
	uw := &UncertainWriteError{Action: ActionCreate, Name: p.ProfileName, Err: cause}
	if ctx.Err() != nil {
		uw.Check = "not checked: the run was canceled"
		return uw
	}
	found, err := st.Client.FindProfileByName(ctx, p.ProfileName)
	var amb *jamf.AmbiguousNameError
	switch {
	case errors.As(err, &amb):
		uw.Check = fmt.Sprintf("a fresh list shows %d profiles named %q (ids %s): the create may be one of them", len(amb.IDs), amb.Name, strings.Join(amb.IDs, ", "))
		return uw
	case errors.Is(err, jamf.ErrNotFound):
		uw.NotCreated = true
		uw.Check = fmt.Sprintf("a fresh list shows no profile named %q: it was not created", p.ProfileName)
		return uw
	case err != nil:
		uw.Check = "the check failed too: " + err.Error()
		return uw
	}
	id := found.General.ID
	p.ProfileID = id
	st.Stored.ID = id
	st.Written = append(st.Written, fmt.Sprintf("created profile %d with its scope (Jamf's answer was lost: %s; found it by name)", id, firstLine(cause.Error())))
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// UncertainWriteError is a write whose answer did not say whether Jamf Pro
// applied it (see jamf.ErrMayHaveApplied). For a create, Check says what
// a fresh listing by name showed.
type UncertainWriteError struct {
	Action     Action
	ProfileID  int      // update: the profile written
	Name       string   // the profile's name
	Parts      []string // update: "general", "scope"
	Err        error
	Check      string // create: what the listing after the failure showed
	NotCreated bool   // create: the listing proved nothing was created
}

func (e *UncertainWriteError) Error() string {
	if e.Action == ActionCreate && e.Check != "" {
		return e.Err.Error() + "; " + e.Check
	}
	return e.Err.Error()
}

func (e *UncertainWriteError) Unwrap() error { return e.Err }

// Outcome says what the write may have changed and what to do next, for
// the failure report.
func (e *UncertainWriteError) Outcome() string {
	switch {
	case e.Action == ActionUpdate:
		return fmt.Sprintf("the update of %s of profile %d may have been applied: Jamf Pro's answer does not say; rerun `jamf-scep apply`: it reads what Jamf Pro holds and repairs it",
			strings.Join(e.Parts, ", "), e.ProfileID)
	case e.NotCreated:
		return fmt.Sprintf("profile %q was not created; rerun `jamf-scep apply` once the cause is fixed", e.Name)
	}
	return fmt.Sprintf("profile %q may exist now: Jamf Pro's answer to the create does not say (%s); run `jamf-scep plan` to see, then apply again (pass --profile-id if it lists two)", e.Name, e.Check)
}

// ReadBack reads the profile after the write and compares it semantically
// with what was sent; a difference is an error naming every key path (Jamf
// answers 201 while dropping what it does not understand).
type ReadBack struct{}

func (ReadBack) String() string { return "read back" }

// Run implements Step.
func (ReadBack) Run(ctx context.Context, st *State) error {
	p := st.Plan
	if p.Action == ActionNone {
		st.Verified = true
		return nil
	}
	got, err := st.Client.GetProfile(ctx, p.ProfileID)
	if errors.Is(err, jamf.ErrNotFound) {
		return fmt.Errorf("%w; %s", err, lagHint(p.ProfileID))
	}
	if err != nil {
		return err
	}
	if diffs := Verify(p, got); len(diffs) > 0 {
		return classifyMismatch(p, st.Stored.Profile, diffs)
	}
	st.Verified = true
	return nil
}

// MismatchError is a read-back that differs from what was sent. Cause
// says why, as far as the difference shows, and Advice what to do.
type MismatchError struct {
	ProfileID int
	Diffs     []Change // Old is what was sent, New what Jamf stored
	Cause     MismatchCause
}

func (e *MismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Jamf Pro stored profile %d differently from what was sent:", e.ProfileID)
	for _, d := range e.Diffs {
		fmt.Fprintf(&b, "\n  %s: sent %s, stored %s", d.Path, orNone(d.Old), orNone(d.New))
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

// Verify compares the profile read back with what p sent and returns the
// differences (Old: sent, New: stored), secrets as Sensitive. The payload is
// compared with Jamf's rewrites masked; on update the top-level identifiers
// must be the ones sent.
func Verify(p *Plan, got *jamf.Profile) []Change {
	out := []Change{}
	if g := p.send.general; g != nil {
		out = append(out, diffGeneral(*g, got.General, General{})...)
		// diffGeneral's Old is the first argument: here what was sent.
		// Category and site go by name; Jamf answers 201 even when it
		// does not keep one, so check that it did.
		for _, r := range []struct {
			el        string
			sent, got *jamf.Ref
		}{{"category", g.Category, got.General.Category}, {"site", g.Site, got.General.Site}} {
			if n := refName(r.sent); n != "" && !strings.EqualFold(n, refName(r.got)) {
				out = append(out, Change{Path: "general." + r.el, Op: OpChange, Old: strconv.Quote(n), New: strconv.Quote(refName(r.got))})
			}
		}
		if g.Payloads != "" {
			sent, err1 := parsePlist([]byte(g.Payloads))
			stored, err2 := parsePlist([]byte(got.General.Payloads))
			if err := errors.Join(err1, err2); err != nil {
				return append(out, Change{Path: "general.payloads", Op: OpChange, Old: "a plist", New: "unreadable: " + err.Error()})
			}
			out = append(out, diffTrees(normalize(sent), normalize(stored), p.send.secretRule)...)
			if p.send.topUUID != "" {
				for k, want := range map[string]string{"PayloadUUID": p.send.topUUID, "PayloadIdentifier": p.send.topIdentifier} {
					if v, _ := stored[k].(string); v != want {
						out = append(out, Change{Path: k, Op: OpChange, Old: strconv.Quote(want), New: strconv.Quote(v)})
					}
				}
			}
		}
	}
	if s := p.send.scope; s != nil {
		for _, c := range diffScope(*s, got.Scope) {
			out = append(out, Change{
				Path: "scope." + c.Category, Op: OpChange,
				Old: "sent " + targets(c.Removed), New: "stored " + targets(c.Added),
			})
		}
	}
	redactContainers(out, p.send.secretValues)
	return out
}

func targets(ts []Target) string {
	if len(ts) == 0 {
		return "nothing more"
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, ", ")
}

// String returns `"Name" (id 3)`, or the name alone without an id.
func (t Target) String() string {
	if t.ID == 0 {
		return t.Name
	}
	return fmt.Sprintf("%q (id %d)", t.Name, t.ID)
}
