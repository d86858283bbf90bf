package scopecmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/internal/textsafe"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// EditOptions are the inputs of `scope add`, `scope remove` and `scope set`.
type EditOptions struct {
	F      *cmdutil.Factory
	Mode   scope.Mode
	Target TargetOptions

	// Include and Exclude are the names given by the target and
	// --exclude-... flags.
	Include, Exclude jamf.Names
	// Given are the categories (Category.Name) named by a flag.
	Given map[string]bool
	// AllComputers is --all-computers (true) or --no-all-computers (false);
	// nil when neither was given.
	AllComputers *bool
	// Yes skips the confirmation.
	Yes bool
	// AcceptLongSubject lets the edit add Macs whose Subject would be over
	// RFC 5280's limits (--accept-long-subject), as apply does.
	AcceptLongSubject bool
}

var editDocs = map[scope.Mode]struct{ short, long, example string }{
	scope.ModeAdd: {
		"Add targets or exclusions to a profile's scope",
		`Add computers, computer groups, buildings or departments (or exclusions of
them) to the profile's scope. Targets already there are left alone, and so is
every category not named.

As with apply, when the profile's Subject is over RFC 5280's limits on a Mac
the edit adds, the Macs are listed and nothing is written unless
--accept-long-subject accepts them (they fail to enroll and to renew).`,
		`  $ jamf-scep scope add --profile "Okta Device Access SCEP" --computer-group "Okta Device Access Pilot"
  $ jamf-scep scope add --profile-id 42 --building HQ --exclude-computer MAC-0007 --yes`,
	},
	scope.ModeRemove: {
		"Remove targets or exclusions from a profile's scope",
		`Remove the named computers, computer groups, buildings or departments (or
exclusions of them) from the profile's scope. Everything not named stays as
Jamf has it.`,
		`  $ jamf-scep scope remove --profile "Okta Device Access SCEP" --department Sales
  $ jamf-scep scope remove --profile-id 42 --exclude-building HQ --no-all-computers --yes`,
	},
	scope.ModeSet: {
		"Replace categories of a profile's scope",
		`Replace exactly the categories named by flags with the targets given; the
categories not named stay as Jamf has them (stderr says which were replaced).
Give a category flag an empty value (--building "") to empty that category.
Macs the edit adds get the same Subject check as with scope add.`,
		`  $ jamf-scep scope set --profile "Okta Device Access SCEP" --computer-group "Okta Device Access Pilot" --exclude-computer-group ""
  $ jamf-scep scope set --profile-id 42 --all-computers --yes`,
	},
}

// NewCmdEdit returns `scope add`, `scope remove` or `scope set`. runF
// replaces the run function in tests of flag parsing.
func NewCmdEdit(f *cmdutil.Factory, mode scope.Mode, runF func(context.Context, *EditOptions) error) *cobra.Command {
	opts := &EditOptions{F: f, Mode: mode}
	lists := map[string]*[]string{}
	var all, noAll bool
	doc := editDocs[mode]
	cmd := &cobra.Command{
		Use:     string(mode),
		Short:   doc.short,
		Long:    doc.long,
		Example: doc.example,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fl := cmd.Flags()
			opts.Given = map[string]bool{}
			for _, c := range scope.Categories() {
				if !fl.Changed(c.Flag()) {
					continue
				}
				opts.Given[c.Flag()] = true
				dst := c.NamesList(&opts.Include)
				if c.Excluded() {
					dst = c.NamesList(&opts.Exclude)
				}
				for _, n := range *lists[c.Flag()] {
					if n != "" { // --building "" empties the category (set)
						*dst = append(*dst, n)
					}
				}
			}
			switch {
			case fl.Changed(scope.AllComputersFlag):
				opts.AllComputers = &all
			case fl.Changed("no-all-computers"):
				on := !noAll
				opts.AllComputers = &on
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runEdit(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	addTargetFlags(fl, &opts.Target)
	for _, c := range scope.Categories() {
		what := c.Kind() + " (name"
		if c.Kind() == jamf.KindComputer {
			what += ", serial number or UDID"
		}
		what += "); repeatable"
		if c.Excluded() {
			what = "exclude a " + what
		}
		lists[c.Flag()] = new([]string)
		fl.StringArrayVar(lists[c.Flag()], c.Flag(), nil, what)
	}
	if mode != scope.ModeRemove {
		fl.BoolVar(&all, scope.AllComputersFlag, false, "scope the profile to all computers")
	}
	fl.BoolVar(&noAll, "no-all-computers", false, "turn off all computers (the lists then decide)")
	if mode != scope.ModeRemove {
		cmd.MarkFlagsMutuallyExclusive(scope.AllComputersFlag, "no-all-computers")
	}
	cmdutil.AddYesFlag(fl, &opts.Yes, "write without asking for confirmation")
	if mode != scope.ModeRemove {
		fl.BoolVar(&opts.AcceptLongSubject, "accept-long-subject", false, "add Macs although the Subject is too long for them: they fail to enroll, and their renewal fails too")
	}
	return cmd
}

// editResult is the JSON shape of `scope add|remove|set -o json`.
type editResult struct {
	Tenant             string                 `json:"tenant"`
	ProfileID          int                    `json:"profileId"`
	ProfileName        string                 `json:"profileName"`
	Mode               scope.Mode             `json:"mode"`
	Changed            bool                   `json:"changed"`
	Written            bool                   `json:"written"`
	AllComputersBefore bool                   `json:"scope.AllComputersFlagBefore"`
	AllComputersAfter  bool                   `json:"scope.AllComputersFlagAfter"`
	Changes            []scope.CategoryChange `json:"changes"`
	MacsBefore         int                    `json:"macsBefore"`
	MacsAfter          int                    `json:"macsAfter"`
	MacsAdded          int                    `json:"macsAdded"`
	MacsRemoved        int                    `json:"macsRemoved"`
}

// Validate checks the options without I/O.
func (o *EditOptions) Validate() error {
	if len(o.Given) == 0 && o.AllComputers == nil {
		return cmdutil.UsageErrorf("name at least one target: --computer, --computer-group, --building, --department, their --exclude-... forms, or --%s/--no-all-computers", scope.AllComputersFlag)
	}
	if err := cmdutil.CheckProfileID(o.Target.ProfileID); err != nil {
		return err
	}
	if o.Mode == scope.ModeRemove {
		for c := range o.Given {
			if o.count(c) == 0 {
				return cmdutil.UsageErrorf("--%s needs a name to remove", c)
			}
		}
	}
	if o.Mode == scope.ModeAdd {
		for c := range o.Given {
			if o.count(c) == 0 {
				return cmdutil.UsageErrorf("--%s needs a name to add (use `scope set --%s \"\"` to empty the category)", c, c)
			}
		}
	}
	return nil
}

// count returns how many names were given for category name.
func (o *EditOptions) count(name string) int {
	for _, c := range scope.Categories() {
		if c.Flag() == name {
			if c.Excluded() {
				return len(*c.NamesList(&o.Exclude))
			}
			return len(*c.NamesList(&o.Include))
		}
	}
	return 0
}

// runEdit resolves every name, computes the new scope, confirms, writes it
// with one scope-only PUT and reads it back. Nothing is written when a name
// does not resolve or the scope would not change.
func runEdit(ctx context.Context, o *EditOptions) (err error) {
	if err := o.Validate(); err != nil {
		return err
	}
	f := o.F
	s, err := open(ctx, f, o.Target)
	if err != nil {
		return err
	}
	defer func() { _ = s.client.Close(context.WithoutCancel(ctx)) }()
	p := s.profile

	names := mergeNames(o.Include, o.Exclude)
	fl, err := fleet.Load(ctx, s.client, fleet.NeedFor(names))
	if err != nil {
		return cmdutil.JamfError(err)
	}
	// One Resolve over every name reports every problem at once.
	if _, err := fl.Resolve(names); err != nil {
		return cmdutil.JamfError(fmt.Errorf("nothing was written: %w", err))
	}
	include, _ := fl.Resolve(o.Include)
	exclude, _ := fl.Resolve(o.Exclude)
	res := scope.Apply(p.Scope, scope.Edit{Mode: o.Mode, Include: include, Exclude: exclude, Given: o.Given, AllComputers: o.AllComputers})
	for _, a := range res.Absent {
		f.Warnf("%s is not in the scope of %q; nothing to remove", a, p.General.Name)
	}

	out := editResult{
		Tenant: s.tenant, ProfileID: p.General.ID, ProfileName: p.General.Name, Mode: o.Mode,
		Changed: res.Changed(), AllComputersBefore: res.AllComputersBefore, AllComputersAfter: res.AllComputersAfter,
		Changes: res.Changes,
	}
	if out.Changes == nil {
		out.Changes = []scope.CategoryChange{}
	}
	before, err := fl.Members(ctx, p.Scope)
	if err != nil {
		return cmdutil.JamfError(err)
	}
	after, err := fl.Members(ctx, res.Scope)
	if err != nil {
		return cmdutil.JamfError(err)
	}
	out.MacsBefore, out.MacsAfter = len(before), len(after)
	out.MacsAdded, out.MacsRemoved = countNew(before, after), countNew(after, before)
	if err := checkAddedSubjects(f, s, fl, before, after, o.AcceptLongSubject); err != nil {
		return err
	}

	if o.Mode == scope.ModeSet {
		var replaced []string
		for _, c := range scope.Categories() {
			if o.Given[c.Flag()] {
				replaced = append(replaced, c.Flag())
			}
		}
		if len(replaced) > 0 {
			fmt.Fprintf(f.IOStreams.ErrOut, "set replaces these categories: %s; every other category stays as Jamf has it\n", strings.Join(replaced, ", "))
		}
	}
	if !res.Changed() {
		if f.Globals.JSON() {
			return cmdutil.WriteJSON(f.IOStreams.Out, out)
		}
		fmt.Fprintf(f.IOStreams.ErrOut, "The scope of %q (id %d) already matches; nothing was written.\n", p.General.Name, p.General.ID)
		return nil
	}

	printChanges(f.IOStreams.ErrOut, p, out)
	if err := f.Prompter().Require(ctx, o.Yes, "when not running interactively", fmt.Sprintf("Write this scope to %q on %s?", p.General.Name, s.tenant)); err != nil {
		return err
	}
	if err := s.client.UpdateProfile(ctx, p.General.ID, jamf.ProfileUpdate{Scope: &res.Scope}); err != nil {
		if errors.Is(err, jamf.ErrMayHaveApplied) {
			return cmdutil.JamfError(fmt.Errorf("writing the scope of profile %d (it may have been applied: Jamf Pro's answer does not say; run `jamf-scep scope show --profile-id %d` to see, and rerun to finish): %w", p.General.ID, p.General.ID, err))
		}
		return cmdutil.JamfError(fmt.Errorf("writing the scope of profile %d (nothing was changed): %w", p.General.ID, err))
	}
	out.Written = true
	back, err := s.client.GetProfile(ctx, p.General.ID)
	if err != nil {
		return cmdutil.JamfError(fmt.Errorf("the scope was written but reading it back failed; run `jamf-scep scope show --profile-id %d` to check: %w", p.General.ID, err))
	}
	if bad := scope.Mismatch(res.Scope, back.Scope); bad != "" {
		return fmt.Errorf("the scope was written but Jamf Pro stored something else in %s; run `jamf-scep scope show --profile-id %d` and compare", bad, p.General.ID)
	}
	if f.Globals.JSON() {
		return cmdutil.WriteJSON(f.IOStreams.Out, out)
	}
	f.Successf("Updated the scope of %q (id %d) on %s: %d Macs in scope (was %d)", p.General.Name, p.General.ID, s.tenant, out.MacsAfter, out.MacsBefore)
	return nil
}

// printChanges writes the before/after of every changed category and the
// Macs reached, for the confirmation.
func printChanges(w io.Writer, p *jamf.Profile, r editResult) {
	fmt.Fprintf(w, "Scope of %q (id %d) on %s:\n", p.General.Name, p.General.ID, r.Tenant)
	if r.AllComputersBefore != r.AllComputersAfter {
		fmt.Fprintf(w, "  %s: %t -> %t\n", scope.AllComputersFlag, r.AllComputersBefore, r.AllComputersAfter)
	}
	for _, c := range r.Changes {
		fmt.Fprintf(w, "  %s: [%s] -> [%s]\n", c.Category, refNames(c.Before), refNames(c.After))
		for _, a := range c.Added {
			fmt.Fprintf(w, "    + %s\n", textsafe.Line(a.Name))
		}
		for _, a := range c.Removed {
			fmt.Fprintf(w, "    - %s\n", textsafe.Line(a.Name))
		}
	}
	fmt.Fprintf(w, "Macs in scope: %d -> %d (%d added, %d removed)\n", r.MacsBefore, r.MacsAfter, r.MacsAdded, r.MacsRemoved)
}

func refNames(refs []jamf.Ref) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = textsafe.Line(r.Name)
	}
	return strings.Join(names, ", ")
}

// countNew returns how many ids of b are not in a (both ascending).
func countNew(a, b []int) int {
	in := make(map[int]bool, len(a))
	for _, id := range a {
		in[id] = true
	}
	n := 0
	for _, id := range b {
		if !in[id] {
			n++
		}
	}
	return n
}

func mergeNames(a, b jamf.Names) jamf.Names {
	return jamf.Names{
		Computers:      append(append([]string{}, a.Computers...), b.Computers...),
		ComputerGroups: append(append([]string{}, a.ComputerGroups...), b.ComputerGroups...),
		Buildings:      append(append([]string{}, a.Buildings...), b.Buildings...),
		Departments:    append(append([]string{}, a.Departments...), b.Departments...),
	}
}

// checkAddedSubjects applies apply's policy to the Macs an edit adds to the
// scope: when the stored profile's Subject would be over RFC 5280's limits
// on any of them, it lists them and refuses (nothing is written) unless
// accept. A stored profile that is not one SCEP payload is not checked.
func checkAddedSubjects(f *cmdutil.Factory, s *session, fl *fleet.Fleet, before, after []int, accept bool) error {
	sp, err := profile.Decode([]byte(s.profile.General.Payloads), s.dialect)
	if err != nil {
		return nil
	}
	had := make(map[int]bool, len(before))
	for _, id := range before {
		had[id] = true
	}
	var added []int
	for _, id := range after {
		if !had[id] {
			added = append(added, id)
		}
	}
	bad := fl.CheckSubject(sp.SCEP.Content.Subject, added, s.profile.General.ID, s.dialect.WithStored(sp.PayloadIdentifier))
	if len(bad) == 0 {
		return nil
	}
	for _, m := range bad {
		msgs := make([]string, len(m.Violations))
		for i, v := range m.Violations {
			msgs[i] = v.String()
		}
		f.Warnf("Subject too long for %s (id %d, serial %s): %s", m.Name, m.ID, m.Serial, strings.Join(msgs, "; "))
	}
	if accept {
		f.Warnf("--accept-long-subject: adding %d Mac(s) that will not get a certificate", len(bad))
		return nil
	}
	return fmt.Errorf("the Subject is over RFC 5280's limits on %d of the %d Mac(s) this edit adds (listed above); nothing was written. "+
		"Shorten profile.scep.subject and apply, or rename those Macs, or pass --accept-long-subject: they will fail to enroll, and their renewal fails too",
		len(bad), len(added))
}
