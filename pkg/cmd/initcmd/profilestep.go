package initcmd

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// defaultProfileName is the profile name offered first, as README and the
// examples name the profile.
const defaultProfileName = "Okta Device Access SCEP"

// Descriptions of the profile page, shown under the field and read aloud
// in accessible mode.
const (
	nameHelp        = "The name in Jamf Pro; apply finds the profile by it."
	descriptionHelp = "Optional; shown with the profile in Jamf Pro and on the Mac."
	scepNameHelp    = "The CA name shown on the Mac; empty for the preset's."
	daysHelp        = "Jamf redistributes the profile this many days before the one-year certificate expires; empty for 30."
)

// say returns a description func for a fixed text.
func say(s string) func() string { return func() string { return s } }

// profile is step 3: the profile's names, Subject and redistribution.
func (w *wizard) profile(ctx context.Context) error {
	p := &w.cfg.Profile
	if p.Name == "" {
		p.Name = defaultProfileName
	}
	if p.SCEP.Subject == "" {
		p.SCEP.Subject = "CN=$COMPUTERNAME ma $UDID"
	}
	days := ""
	if p.SCEP.RedistributeDays > 0 {
		days = strconv.Itoa(p.SCEP.RedistributeDays)
	}
	subject := input("Subject", &p.SCEP.Subject, func(s string) error {
		if err := w.check("Subject", profile.FieldSubject, func(o *profile.Options, s string) { o.Subject = s })(s); err != nil {
			return err
		}
		if subj, err := profile.ParseSubject(strings.TrimSpace(s)); err == nil && profile.SubjectBudget(subj, 0, w.dialect).Over() {
			return errors.New(w.budget(s))
		}
		return nil
	}).DescriptionFunc(func() string { return w.budget(p.SCEP.Subject) }, &p.SCEP.Subject)
	if err := w.ask(ctx,
		w.help(input("Profile name", &p.Name, w.check("Profile name", profile.FieldName, func(o *profile.Options, s string) { o.Name = s })), nameHelp),
		w.help(input("Description", &p.Description, w.check("Description", profile.FieldDescription, func(o *profile.Options, s string) { o.Description = s })), descriptionHelp),
		w.help(input("SCEP name", &p.SCEP.Name, w.check("SCEP name", profile.FieldSCEPName, func(o *profile.Options, s string) { o.SCEPName = s })), scepNameHelp),
		w.described(subject, func() string { return w.budget(p.SCEP.Subject) }, false),
		w.help(input("Redistribute days", &days, func(s string) error {
			n, err := daysValue(s)
			if err != nil {
				return err
			}
			return w.check("Redistribute days", profile.FieldRedistributeDays, func(o *profile.Options, _ string) { o.RedistributeDays = n })(s)
		}), daysHelp),
	); err != nil {
		return err
	}
	p.Name, p.Description, p.SCEP.Name = strings.TrimSpace(p.Name), strings.TrimSpace(p.Description), strings.TrimSpace(p.SCEP.Name)
	p.SCEP.Subject = strings.TrimSpace(p.SCEP.Subject)
	p.SCEP.RedistributeDays, _ = daysValue(days)
	w.infof("Subject budget: %s", w.budget(p.SCEP.Subject))
	return nil
}

// daysValue parses the redistribution answer; empty is 0 (the preset's).
func daysValue(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number of days; type a whole number such as 30", s)
	}
	return n, nil
}

// budget explains the Subject's 64-character budget (profile.SubjectBudget).
func (w *wizard) budget(s string) string {
	subj, err := profile.ParseSubject(strings.TrimSpace(s))
	if err != nil {
		return err.Error()
	}
	b := profile.SubjectBudget(subj, 0, w.dialect)
	lines := make([]string, 0, len(b.Values))
	for _, v := range b.Values {
		lines = append(lines, v.Sentence())
	}
	for _, u := range b.Unknown {
		msg := u.Name + " is not a Jamf variable"
		if u.Suggestion != "" {
			msg += "; did you mean " + u.Suggestion + "?"
		}
		lines = append(lines, msg)
	}
	return strings.Join(lines, "\n")
}

// scope is step 4: targets from the tenant and the number of Macs covered.
func (w *wizard) scope(ctx context.Context) error {
	s := &w.cfg.Scope
	dir := w.conn.fleet.Directory
	for {
		all := s.AllComputers != nil && *s.AllComputers
		if err := w.ask(ctx, huh.NewConfirm().Title("Scope the profile to all computers?").Value(&all)); err != nil {
			return err
		}
		var fields []huh.Field
		groups, buildings, departments := groupNames(dir.ComputerGroups), buildingNames(dir.Buildings), departmentNames(dir.Departments)
		add := func(title string, from []string, v *[]string) {
			if len(from) > 0 {
				fields = append(fields, multi(title, from, v))
			}
		}
		s.AllComputers = &all
		if all {
			// Every Mac is targeted; the lists would change nothing, and
			// owning them would empty another admin's choices.
			s.ComputerGroups, s.Buildings, s.Departments = nil, nil, nil
		} else {
			add("Computer groups", groups, &s.ComputerGroups)
			add("Buildings", buildings, &s.Buildings)
			add("Departments", departments, &s.Departments)
		}
		exclude := len(s.Exclusions.ComputerGroups)+len(s.Exclusions.Buildings)+len(s.Exclusions.Departments) > 0
		fields = append(fields, huh.NewConfirm().Title("Exclude some computers?").Value(&exclude))
		if err := w.ask(ctx, fields...); err != nil {
			return err
		}
		if !exclude {
			s.Exclusions.ComputerGroups, s.Exclusions.Buildings, s.Exclusions.Departments = nil, nil, nil
		} else {
			fields = nil
			add("Excluded computer groups", groups, &s.Exclusions.ComputerGroups)
			add("Excluded buildings", buildings, &s.Exclusions.Buildings)
			add("Excluded departments", departments, &s.Exclusions.Departments)
			if err := w.ask(ctx, fields...); err != nil {
				return err
			}
		}
		// Only a category the admin chose something in is written (and so
		// owned: apply makes Jamf match it); the others stay as Jamf has
		// them (config.Scope).
		for _, l := range []*[]string{&s.ComputerGroups, &s.Buildings, &s.Departments, &s.Exclusions.ComputerGroups, &s.Exclusions.Buildings, &s.Exclusions.Departments} {
			if len(*l) == 0 {
				*l = nil
			}
		}
		ids, err := w.macsInScope(ctx)
		if err != nil {
			return err
		}
		n := len(ids)
		w.scoped = ids
		w.infof("This scope covers %d of %d Macs.", n, len(dir.Computers))
		if n > 0 {
			return nil
		}
		again := true
		if err := w.ask(ctx, huh.NewConfirm().Title("The scope reaches no Mac. Change it?").Value(&again)); err != nil {
			return err
		}
		if !again {
			return nil
		}
	}
}

// multi is a filterable multi-select over names, keeping v's choices.
func multi(title string, from []string, v *[]string) huh.Field {
	opts := huh.NewOptions(from...)
	return huh.NewMultiSelect[string]().Title(title).Options(opts...).Filterable(true).Height(min(len(from)+2, 10)).Value(v)
}

// macsInScope lists the Classic ids of the Macs the answered scope
// reaches (fleet.Members).
func (w *wizard) macsInScope(ctx context.Context) ([]int, error) {
	s := w.cfg.Scope
	r, err := w.conn.fleet.Resolve(jamf.Names{ComputerGroups: s.ComputerGroups, Buildings: s.Buildings, Departments: s.Departments})
	if err != nil {
		return nil, err
	}
	x, err := w.conn.fleet.Resolve(jamf.Names{ComputerGroups: s.Exclusions.ComputerGroups, Buildings: s.Exclusions.Buildings, Departments: s.Exclusions.Departments})
	if err != nil {
		return nil, err
	}
	return w.conn.fleet.Members(ctx, jamf.Scope{
		AllComputers:   s.AllComputers != nil && *s.AllComputers,
		ComputerGroups: r.ComputerGroups, Buildings: r.Buildings, Departments: r.Departments,
		Exclusions: jamf.Exclusions{ComputerGroups: x.ComputerGroups, Buildings: x.Buildings, Departments: x.Departments},
	})
}

func groupNames(gs []jamf.ComputerGroup) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Name
	}
	return out
}

func buildingNames(bs []jamf.Building) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Name
	}
	return out
}

func departmentNames(ds []jamf.Department) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}

// subjectFits is the Subject check plan and doctor make, on the Macs in
// the chosen scope: each Mac's inventory values substituted into the
// Subject (fleet.CheckSubject). While some Mac's Subject would exceed RFC
// 5280's limits, the wizard names those Macs and asks for the Subject
// again, so it never writes a config that doctor fails.
func (w *wizard) subjectFits(ctx context.Context) error {
	p := &w.cfg.Profile.SCEP
	for {
		msg := w.longSubjects(p.Subject)
		if msg == "" {
			return nil
		}
		w.errorf("%s", msg)
		if err := w.ask(ctx, input("Subject", &p.Subject, func(s string) error {
			if err := w.check("Subject", profile.FieldSubject, func(o *profile.Options, s string) { o.Subject = s })(s); err != nil {
				return err
			}
			if m := w.longSubjects(s); m != "" {
				return errors.New(m)
			}
			return nil
		}).DescriptionFunc(func() string { return w.budget(p.Subject) }, &p.Subject)); err != nil {
			return err
		}
		p.Subject = strings.TrimSpace(p.Subject)
	}
}

// longSubjects names the Macs in scope (up to 5, worst first) whose
// Subject s would exceed its limits; "" when every Mac fits.
func (w *wizard) longSubjects(s string) string {
	if w.conn == nil {
		return ""
	}
	subj, err := profile.ParseSubject(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	vs := w.conn.fleet.CheckSubject(subj, w.scoped, 0, w.dialect)
	if len(vs) == 0 {
		return ""
	}
	names := make([]string, 0, 5)
	for _, v := range vs[:min(len(vs), 5)] {
		names = append(names, fmt.Sprintf("%s (%d characters)", v.Name, v.Worst()))
	}
	more := ""
	if len(vs) > 5 {
		more = fmt.Sprintf(" and %d more", len(vs)-5)
	}
	return fmt.Sprintf("the Subject would exceed 64 characters on %d Mac(s) in scope: %s%s; use shorter variables (e.g. $SERIALNUMBER for $COMPUTERNAME) or rename those Macs",
		len(vs), strings.Join(names, ", "), more)
}
