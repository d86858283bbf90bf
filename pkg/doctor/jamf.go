package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// worstOffenders is how many Macs a too-long Subject result lists.
const worstOffenders = 5

// privilegesHint is where the full list of privileges is documented.
const privilegesHint = "see `jamf-scep help jamf-privileges`"

// jamfGroup checks one tenant: reachable, credentials, version, clock,
// privileges, then scope and Subject length on the Macs in scope.
func jamfGroup(eff config.Effective, t *target, env Env) Group {
	name := "jamf " + eff.Tenant.Name
	var client *jamf.Client
	g := Group{Name: name}
	g.Checks = []Check{
		{Name: name + ": reachable", Gate: true, Run: func(ctx context.Context) []check.Result {
			return []check.Result{checkReach(ctx, eff.Tenant.URL, env.Network)}
		}},
		{Name: name + ": credentials", Gate: true, Run: func(ctx context.Context) []check.Result {
			var r check.Result
			client, r = checkCredentials(ctx, eff.Tenant, env)
			return []check.Result{r}
		}},
		{Name: name + ": version", Run: func(ctx context.Context) []check.Result {
			v, err := client.Version(ctx)
			if err != nil {
				return []check.Result{jamfFailure(err, "read the Jamf Pro version")}
			}
			return []check.Result{{Status: check.Pass, Message: "Jamf Pro " + v}}
		}},
		{Name: name + ": clock", Run: func(ctx context.Context) []check.Result {
			st, err := client.ServerTime(ctx)
			if err != nil {
				return []check.Result{{Status: check.Warn, Message: "cannot compare clocks: " + err.Error(), Fix: "make sure this machine's clock is set automatically (NTP)"}}
			}
			return []check.Result{judgeSkew(st.Skew())}
		}},
		{Name: name + ": privileges", Run: func(ctx context.Context) []check.Result {
			return checkPrivileges(ctx, client)
		}},
		{Name: name + ": scope", Run: func(ctx context.Context) []check.Result {
			return checkScope(ctx, client, eff, t)
		}},
	}
	g.Cleanup = func(ctx context.Context) {
		if client != nil {
			_ = client.Close(ctx)
		}
	}
	return g
}

// checkCredentials builds the client and fetches a token.
func checkCredentials(ctx context.Context, t config.Tenant, env Env) (*jamf.Client, check.Result) {
	kind := "API client " + t.Auth.ClientID
	if t.Auth.Kind() == config.AuthUser {
		kind = "user account " + t.Auth.Username
	}
	c, err := env.Connect(ctx, t)
	if err != nil {
		fix := "fix the tenant's url and auth in the config"
		// A reference that names a secret this machine does not have
		// (an unset env: variable, a missing file) is fixed here, not
		// in the config.
		if re, ok := errors.AsType[*secret.ResolveError](err); ok {
			fix = re.Fix()
		}
		return nil, check.Result{Status: check.Fail, Message: err.Error(), Fix: fix, Err: err}
	}
	if err := c.Authenticate(ctx); err != nil {
		r := jamfFailure(err, "get a token")
		if errors.Is(err, jamf.ErrUnauthorized) {
			r.Message = fmt.Sprintf("Jamf Pro refused the %s: %s", kind, err)
		}
		return nil, r
	}
	return c, check.Result{Status: check.Pass, Message: "got a token for the " + kind}
}

// judgeSkew warns when the clocks differ by more than SkewLimit.
func judgeSkew(skew time.Duration) check.Result {
	abs := skew.Abs().Round(time.Second)
	dir := "ahead of"
	if skew < 0 {
		dir = "behind"
	}
	if abs > SkewLimit {
		return check.Result{
			Status: check.Warn, Message: fmt.Sprintf("Jamf Pro's clock is %s %s this machine's", abs, dir),
			Fix: "set this machine's clock automatically (NTP); certificate and token times are judged against it",
		}
	}
	if abs < time.Second {
		return check.Result{Status: check.Pass, Message: "clocks agree (within a second)"}
	}
	return check.Result{Status: check.Pass, Message: fmt.Sprintf("clocks agree (Jamf Pro is %s %s this machine)", abs, dir)}
}

// checkPrivileges tries one harmless read per privilege and names each one
// the API role lacks. It never writes, so Create and Update macOS
// Configuration Profiles are reported as unproven.
func checkPrivileges(ctx context.Context, c *jamf.Client) []check.Result {
	var missing, errs []string
	ok := check.Result{Status: check.Pass}
	for _, p := range jamf.ReadProbes() {
		err := c.Probe(ctx, p)
		switch {
		case err == nil:
			ok.Details = append(ok.Details, check.Detail{Name: p.Privilege, Value: p.Endpoint + ": allowed"})
		case errors.Is(err, jamf.ErrForbidden):
			missing = append(missing, p.Privilege)
		default:
			errs = append(errs, fmt.Sprintf("%s (%s): %v", p.Privilege, p.Endpoint, err))
		}
	}
	var out []check.Result
	switch {
	case len(missing) > 0:
		out = append(out, check.Result{
			Status:  check.Fail,
			Message: fmt.Sprintf("the API role lacks %s", quoteList(missing)),
			Fix:     "add them to the API role (Jamf Pro > Settings > API roles and clients) or the account's privilege set; " + privilegesHint,
		})
	case len(errs) == 0:
		ok.Message = fmt.Sprintf("all %d read privileges present", len(ok.Details))
		out = append(out, ok)
	}
	if len(errs) > 0 {
		r := check.Result{Status: check.Fail, Message: fmt.Sprintf("%d privilege read(s) failed for another reason", len(errs)), Fix: "run again with --debug to see each request"}
		for _, e := range errs {
			r.Details = append(r.Details, check.Detail{Name: "error", Value: e})
		}
		out = append(out, r)
	}
	out = append(out, check.Result{
		Status:  check.Info,
		Message: fmt.Sprintf("%q and %q cannot be proven without a write; doctor never writes", jamf.PrivilegeCreateProfiles, jamf.PrivilegeUpdateProfiles),
		Fix:     "make sure the API role has them; apply names a missing one if Jamf Pro refuses",
	})
	return out
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// jamfFailure is the result for a Jamf error, with the hint the status
// calls for.
func jamfFailure(err error, what string) check.Result {
	r := check.Result{Status: check.Fail, Message: fmt.Sprintf("cannot %s: %v", what, err)}
	r.Fix = jamf.Advice(err)
	if r.Fix == "" {
		r.Fix = "run again with --debug to see each request"
	}
	return r
}

// checkScope resolves the scope names against one inventory listing and
// checks that the Subject fits on every Mac the scope reaches.
func checkScope(ctx context.Context, c *jamf.Client, eff config.Effective, t *target) []check.Result {
	inc, exc := scope.ConfigNames(eff.Scope)
	need := fleet.NeedFor(inc)
	needExc := fleet.NeedFor(exc)
	need.ComputerGroups = need.ComputerGroups || needExc.ComputerGroups
	need.Buildings = need.Buildings || needExc.Buildings
	need.Departments = need.Departments || needExc.Departments
	fl, err := fleet.Load(ctx, c, need)
	if err != nil {
		r := jamfFailure(err, "load the inventory")
		if errors.Is(err, jamf.ErrForbidden) {
			r.Status = check.Skip
			r.Message = "scope not checked: the API role cannot read the inventory, groups, buildings or departments (see privileges)"
		}
		return []check.Result{r}
	}
	var problems []jamf.NameProblem
	in, err1 := fl.Resolve(inc)
	ex, err2 := fl.Resolve(exc)
	for _, err := range []error{err1, err2} {
		var ue *jamf.UnresolvedError
		if errors.As(err, &ue) {
			problems = append(problems, ue.Problems...)
		} else if err != nil {
			return []check.Result{jamfFailure(err, "resolve the scope names")}
		}
	}
	var out []check.Result
	if len(problems) > 0 {
		r := check.Result{
			Status: check.Fail, Message: fmt.Sprintf("%d scope name(s) do not resolve", len(problems)),
			Fix: "correct the names in scope: Jamf names are exact, including case and spaces",
		}
		for _, p := range problems {
			r.Details = append(r.Details, check.Detail{Name: p.Kind, Value: p.String()})
		}
		if len(problems) == 1 {
			r.Message = problems[0].String()
		}
		return append(out, r)
	}
	s := scope.Build(eff.Scope.AllComputers != nil && *eff.Scope.AllComputers, in, ex)
	var ids []int
	what := "in scope"
	if scopeEmpty(eff.Scope) {
		ids = fl.IDs()
		what = "in inventory"
		out = append(out, check.Result{
			Status: check.Info, Message: fmt.Sprintf("the config sets no scope; the Subject is checked on all %d Macs in inventory", len(ids)),
			Fix: "add a scope (computer_groups, buildings, ...) so apply knows where the profile goes",
		})
	} else {
		ids, err = fl.Members(ctx, s)
		if err != nil {
			return append(out, jamfFailure(err, "compute the Macs in scope"))
		}
		out = append(out, check.Result{Status: check.Pass, Message: fmt.Sprintf("every scope name resolves; the scope reaches %d Mac(s)", len(ids))})
	}
	if t == nil || t.prof == nil {
		return append(out, check.Result{Status: check.Skip, Message: "Subject not checked: the profile did not build"})
	}
	// A harmless read, as plan makes: the stored profile makes the
	// $PROFILE_IDENTIFIER length exact (its id, or its stored top-level
	// PayloadIdentifier). When it fails the dialect's assumption holds.
	profileID := eff.Tenant.ProfileID
	var stored *jamf.Profile
	if profileID > 0 {
		stored, _ = c.GetProfile(ctx, profileID)
	} else {
		stored, _ = c.FindProfileByName(ctx, t.prof.PayloadDisplayName)
	}
	dialect := t.dialect
	if stored != nil {
		profileID = stored.General.ID
		if sp, err := profile.Decode([]byte(stored.General.Payloads), t.dialect); err == nil {
			dialect = dialect.WithStored(sp.PayloadIdentifier)
		}
	}
	subject := t.prof.SCEP.Content.Subject
	bad := fl.CheckSubject(subject, ids, profileID, dialect)
	if len(bad) == 0 {
		return append(out, check.Result{Status: check.Pass, Message: fmt.Sprintf("Subject %s fits on all %d Macs %s", subject, len(ids), what)})
	}
	r := check.Result{
		Status:  check.Fail,
		Message: fmt.Sprintf("Subject %s is too long on %d of %d Macs %s", subject, len(bad), len(ids), what),
		Fix: "shorten profile.scep.subject (fewer or shorter variables) or rename the Macs listed; RFC 5280 allows 64 characters. " +
			"Until then apply refuses to write unless --accept-long-subject accepts these Macs, which fail to enroll (and to renew)",
	}
	for i, m := range bad {
		if i == worstOffenders {
			r.Details = append(r.Details, check.Detail{Name: "more", Value: fmt.Sprintf("%d more Mac(s) not listed", len(bad)-worstOffenders)})
			break
		}
		msgs := make([]string, len(m.Violations))
		for j, v := range m.Violations {
			msgs[j] = v.String()
		}
		r.Details = append(r.Details, check.Detail{Name: fmt.Sprintf("%s (%s)", m.Name, m.Serial), Value: fmt.Sprintf("%d characters: %s", m.Worst(), strings.Join(msgs, "; "))})
	}
	return append(out, r)
}

func scopeEmpty(s config.Scope) bool {
	return (s.AllComputers == nil || !*s.AllComputers) &&
		len(s.Computers)+len(s.ComputerGroups)+len(s.Buildings)+len(s.Departments) == 0
}
