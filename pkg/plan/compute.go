package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// Compute compares desired with stored and returns the plan. It is a pure
// function of its inputs: no I/O, no clock, and d is not modified.
//
// On update the desired profile adopts the stored top-level PayloadUUID and
// PayloadIdentifier and the nested SCEP payload's identifiers, so Macs
// never see a new profile (docs/jamf-behavior.md, 'UUID replacement on
// create'). The
// payload diff masks Jamf's rewrites (see normalize). Errors: a desired
// profile that does not render, or a stored profile that is not one SCEP
// payload (jamf-scep refuses to overwrite another kind of profile).
func Compute(d Desired, s Stored) (*Plan, error) {
	if d.Profile == nil {
		return nil, errors.New("plan: the desired profile is missing")
	}
	if d.General.Name == "" {
		return nil, errors.New("plan: profile.name is empty; set it in the config or with --profile-name")
	}
	// The one rule for text Jamf stores unchanged, checked here too for a
	// Desired built without profile.Build: Jamf would store something else,
	// the read-back would fail and every later run would try again.
	for _, f := range []struct{ field, v string }{
		{"profile.name", d.General.Name},
		{"profile.description", d.General.Description},
		{"profile.category", d.General.Category},
		{"profile.site", d.General.Site},
	} {
		if p := profile.CheckJamfText(f.v); p != nil {
			return nil, fmt.Errorf("plan: %s %q %s; %s; nothing was sent", f.field, f.v, p.Reason, p.Fix)
		}
	}
	want := *d.Profile // shallow copy: only identifier strings change below
	dialect := d.Dialect
	if dialect == nil {
		dialect = profile.DefaultDialect()
	}
	secrets := profile.NewSecretRule(dialect)
	p := &Plan{
		ProfileName:       d.General.Name,
		ProfileID:         s.ID,
		General:           []Change{},
		Payload:           []Change{},
		Scope:             []ScopeChange{},
		Redeploy:          RedeployNone,
		SubjectViolations: []MacViolation{},
		SubjectVerdict:    VerdictFits,
	}

	var storedTree map[string]any
	var malformed error // the stored plist's malformed dicts, if any
	var storedScope *jamf.Scope
	if s.Profile != nil {
		sp, err := profile.Decode([]byte(s.Profile.General.Payloads), dialect)
		if err != nil {
			return nil, fmt.Errorf("profile %q (id %d) holds something jamf-scep does not manage: %w; rename it in Jamf Pro or pass --profile-id of a profile jamf-scep created", s.Profile.General.Name, s.ID, err)
		}
		if err := want.AdoptIdentity(sp.PayloadUUID, sp.PayloadIdentifier); err != nil {
			return nil, fmt.Errorf("profile %q (id %d): stored top-level identifiers: %w", s.Profile.General.Name, s.ID, err)
		}
		// A payload-identifier rule counts the stored identifier's length.
		dialect = dialect.WithStored(sp.PayloadIdentifier)
		if sp.SCEP.PayloadUUID != "" && sp.SCEP.PayloadIdentifier != "" {
			want.SCEP.PayloadUUID, want.SCEP.PayloadIdentifier = sp.SCEP.PayloadUUID, sp.SCEP.PayloadIdentifier
		}
		storedTree, err = parsePlist([]byte(s.Profile.General.Payloads))
		if errors.Is(err, profile.ErrMalformedPlist) {
			// Shown as a difference and rewritten whole by apply: Jamf
			// Pro and macOS may read such a plist differently.
			malformed = err
		} else if err != nil {
			return nil, fmt.Errorf("profile %q (id %d): stored payloads: %w", s.Profile.General.Name, s.ID, err)
		}
		storedTree = normalize(storedTree)
		storedScope = &s.Profile.Scope
		p.send.topUUID, p.send.topIdentifier = sp.PayloadUUID, sp.PayloadIdentifier
	}

	wire, err := want.MarshalWire(profile.RenderOptions{Dialect: dialect, IncludeSecrets: true})
	if err != nil {
		return nil, fmt.Errorf("rendering the profile: %w", err)
	}
	wantTree, err := parsePlist(wire)
	if err != nil {
		return nil, fmt.Errorf("rendering the profile: %w", err)
	}
	p.Payload = diffTrees(storedTree, normalize(wantTree), secrets)
	if p.Payload == nil {
		p.Payload = []Change{}
	}
	if malformed != nil {
		p.Payload = append([]Change{{Path: StoredPlistPath, Op: OpChange, Old: malformed.Error(), New: "rewritten from the config"}}, p.Payload...)
	}
	p.send.secretValues = secretValues(&want)
	redactContainers(p.Payload, p.send.secretValues)

	gen := desiredGeneral(d.General)
	if s.Profile != nil {
		p.General = diffGeneral(s.Profile.General, gen, d.General)
	}
	result := d.Scope.Resulting(storedScope)
	var before jamf.Scope
	if storedScope != nil {
		before = *storedScope
	}
	p.Scope = diffScope(before, result)
	if p.Scope == nil {
		p.Scope = []ScopeChange{}
	}

	p.send.before, p.send.after = before, result
	p.send.plist = string(wire)
	p.send.dialect = dialect
	p.ProfileIdentifier = dialect.ProfileIdentifier.Describe()
	p.send.secretRule = secrets
	redeploy := d.Redeploy
	if redeploy == "" {
		redeploy = jamf.RedeployNewlyAssigned
	}
	switch {
	case s.Profile == nil:
		p.Action = ActionCreate
		// Every Mac is newly assigned on a create; never send All.
		p.Redeploy = jamf.RedeployNewlyAssigned
		g := gen
		g.Payloads = p.send.plist
		g.RedeployOnUpdate = jamf.RedeployNewlyAssigned
		p.send.general = &g
		p.send.scope = &result
	case len(p.General)+len(p.Payload)+len(p.Scope) == 0:
		p.Action = ActionNone
	default:
		p.Action = ActionUpdate
		if len(p.General)+len(p.Payload) > 0 {
			g := gen
			// Said explicitly even without a payload: Jamf copies the name
			// and description into the stored plist, and what it does with
			// an absent redeploy_on_update is not documented.
			g.RedeployOnUpdate = jamf.RedeployNewlyAssigned
			if len(p.Payload) > 0 {
				// Only a payload change reinstalls anything, and only
				// then does the redeploy mode matter.
				g.Payloads = p.send.plist
				g.RedeployOnUpdate = redeploy
				p.Redeploy = redeploy
			}
			p.send.general = &g
		}
		if len(p.Scope) > 0 {
			p.send.scope = &result
		}
	}
	return p, nil
}

// desiredGeneral is the general element jamf-scep writes: computer level,
// installed automatically, not removable by users.
func desiredGeneral(g General) jamf.General {
	out := jamf.General{
		Name:               g.Name,
		Description:        g.Description,
		DistributionMethod: jamf.DistributionInstallAutomatically,
		Level:              jamf.LevelComputer,
		UserRemovable:      false,
	}
	if g.Category != "" {
		out.Category = &jamf.Ref{ID: g.CategoryID, Name: g.Category}
	}
	if g.Site != "" {
		out.Site = &jamf.Ref{ID: g.SiteID, Name: g.Site}
	}
	return out
}

// diffGeneral lists the general fields that differ; category and site only
// when owned (set in the config).
func diffGeneral(stored, want jamf.General, owned General) []Change {
	out := []Change{}
	add := func(el, old, new string) {
		if old != new {
			out = append(out, Change{Path: "general." + el, Op: OpChange, Old: strconv.Quote(old), New: strconv.Quote(new)})
		}
	}
	// A name that differs only in Unicode normalization is the same name
	// (jamf matches names in NFC): showing it as a rename would print two
	// identical strings on every run.
	if norm.NFC.String(stored.Name) != norm.NFC.String(want.Name) {
		add("name", stored.Name, want.Name)
	}
	add("description", stored.Description, want.Description)
	add("distribution_method", stored.DistributionMethod, want.DistributionMethod)
	add("level", stored.Level, want.Level)
	if stored.UserRemovable != want.UserRemovable {
		out = append(out, Change{
			Path: "general.user_removable", Op: OpChange,
			Old: strconv.FormatBool(stored.UserRemovable), New: strconv.FormatBool(want.UserRemovable),
		})
	}
	// Category and site are matched by name, ignoring case: Jamf keeps its
	// own capitalization, which must not keep a tenant from converging.
	if owned.Category != "" && !strings.EqualFold(refName(stored.Category), owned.Category) {
		add("category", refName(stored.Category), owned.Category)
	}
	if owned.Site != "" && !strings.EqualFold(refName(stored.Site), owned.Site) {
		add("site", refName(stored.Site), owned.Site)
	}
	return out
}

func refName(r *jamf.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

// secretValues returns the profile's secret values, for redactContainers.
func secretValues(p *profile.Profile) []string {
	return []string{p.Jamf.Password.Reveal(), p.SCEP.Content.Challenge.Reveal()}
}
