package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/jamf-scep/jamf-scep/internal/textsafe"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// safe shows a string from Jamf Pro (a key, a value, a computer or group
// name) with control and bidi characters escaped, so that it cannot drive
// the terminal or reorder the plan (see internal/textsafe).
func safe(s string) string { return textsafe.Line(s) }

// maxViolationsShown caps the Macs listed under a Subject warning in text;
// JSON lists them all.
const maxViolationsShown = 10

// WriteText writes p as a readable plan, terraform-like: a headline, then
// "+", "~" and "-" lines with key paths, the redeploy mode, the Macs in
// scope and any Subject violations. tenant names the tenant in the headline.
func WriteText(w io.Writer, tenant string, p *Plan) error {
	var b strings.Builder
	where := fmt.Sprintf("profile %q", p.ProfileName)
	if p.ProfileID > 0 {
		where += fmt.Sprintf(" (id %d)", p.ProfileID)
	}
	if tenant != "" {
		where += " on tenant " + tenant
	}
	switch p.Action {
	case ActionNone:
		fmt.Fprintf(&b, "No changes: %s matches the config.\n", where)
	case ActionCreate:
		fmt.Fprintf(&b, "+ create %s\n", where)
	default:
		fmt.Fprintf(&b, "~ update %s\n", where)
	}
	section := func(title string, cs []Change) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n  %s:\n", title)
		for _, c := range cs {
			switch c.Op {
			case OpAdd:
				fmt.Fprintf(&b, "    + %s = %s\n", safe(c.Path), safe(c.New))
			case OpRemove:
				fmt.Fprintf(&b, "    - %s (was %s)\n", safe(c.Path), safe(c.Old))
			default:
				if c.Sensitive {
					fmt.Fprintf(&b, "    ~ %s: %s (changed)\n", safe(c.Path), Sensitive)
				} else {
					fmt.Fprintf(&b, "    ~ %s: %s -> %s\n", safe(c.Path), safe(c.Old), safe(c.New))
				}
			}
		}
	}
	section("general", p.General)
	section("payload", p.Payload)
	if len(p.Scope) > 0 {
		b.WriteString("\n  scope:\n")
		for _, s := range p.Scope {
			for _, t := range s.Added {
				fmt.Fprintf(&b, "    + %s: %s\n", s.Category, safe(t.String()))
			}
			for _, t := range s.Removed {
				fmt.Fprintf(&b, "    - %s: %s\n", s.Category, safe(t.String()))
			}
		}
	}
	b.WriteString("\n")
	switch p.Redeploy {
	case jamf.RedeployAll:
		fmt.Fprintf(&b, "  redeploy: All (every one of the %d Macs in scope reinstalls the profile and gets a new certificate)\n", p.Macs.InScope)
	case jamf.RedeployNewlyAssigned:
		b.WriteString("  redeploy: Newly Assigned (Macs that already have the profile keep it and their certificate)\n")
	default:
		b.WriteString("  redeploy: none (the payload is unchanged; no Mac reinstalls the profile)\n")
	}
	fmt.Fprintf(&b, "  Macs in scope: %d (%d newly added", p.Macs.InScope, p.Macs.NewlyAdded)
	if p.Macs.Removed > 0 {
		fmt.Fprintf(&b, ", %d removed: Jamf removes the profile and certificate from them", p.Macs.Removed)
	}
	b.WriteString(")\n")
	if p.ProfileIdentifier != "" {
		fmt.Fprintf(&b, "  $PROFILE_IDENTIFIER (inferred, profiles/jamf-dialect.yaml): %s\n", p.ProfileIdentifier)
	}
	if n := len(p.SubjectViolations); n > 0 {
		fmt.Fprintf(&b, "\n  ! Subject: %d Mac(s) in scope would request a certificate over the RFC 5280 limit; they fail to enroll, and renewal fails too:\n", n)
		for i, v := range p.SubjectViolations {
			if i == maxViolationsShown {
				fmt.Fprintf(&b, "      ... and %d more (-o json lists all)\n", n-i)
				break
			}
			msgs := make([]string, len(v.Violations))
			for j, x := range v.Violations {
				msgs[j] = safe(x.Message)
			}
			fmt.Fprintf(&b, "      %s (id %d, serial %s): %s\n", safe(v.Name), v.ID, safe(v.Serial), strings.Join(msgs, "; "))
		}
		switch p.SubjectVerdict {
		case VerdictRefused:
			b.WriteString("    apply refuses and writes nothing: shorten profile.scep.subject or rename these Macs, or pass --accept-long-subject\n")
		case VerdictAccepted:
			if p.HasChanges() {
				b.WriteString("    accepted with --accept-long-subject: apply deploys anyway; these Macs will not get a certificate\n")
			}
		}
	}
	if p.HasChanges() {
		fmt.Fprintf(&b, "\nPlan: %s: %s.\n", p.Action, p.ChangeSummary())
	}
	_, err := io.WriteString(w, b.String())
	return err
}
