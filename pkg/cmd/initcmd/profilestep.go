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
		input("Profile name", &p.Name, w.check("Profile name", profile.FieldName, func(o *profile.Options, s string) { o.Name = s })).
			Description("The name in Jamf Pro; apply finds the profile by it."),
		input("Description", &p.Description, w.check("Description", profile.FieldDescription, func(o *profile.Options, s string) { o.Description = s })),
		input("SCEP name", &p.SCEP.Name, w.check("SCEP name", profile.FieldSCEPName, func(o *profile.Options, s string) { o.SCEPName = s })).
			Description("The CA name shown on the Mac; empty for the preset's."),
		subject,
		input("Redistribute days", &days, func(s string) error {
			n, err := daysValue(s)
			if err != nil {
				return err
			}
			return w.check("Redistribute days", profile.FieldRedistributeDays, func(o *profile.Options, _ string) { o.RedistributeDays = n })(s)
		}).Description("Jamf redistributes the profile this many days before the one-year certificate expires; empty for 30."),
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
		n, err := w.macsInScope(ctx)
		if err != nil {
			return err
		}
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

// macsInScope counts the Macs the answered scope reaches (fleet.Members).
func (w *wizard) macsInScope(ctx context.Context) (int, error) {
	s := w.cfg.Scope
	r, err := w.conn.fleet.Resolve(jamf.Names{ComputerGroups: s.ComputerGroups, Buildings: s.Buildings, Departments: s.Departments})
	if err != nil {
		return 0, err
	}
	x, err := w.conn.fleet.Resolve(jamf.Names{ComputerGroups: s.Exclusions.ComputerGroups, Buildings: s.Exclusions.Buildings, Departments: s.Exclusions.Departments})
	if err != nil {
		return 0, err
	}
	ids, err := w.conn.fleet.Members(ctx, jamf.Scope{
		AllComputers:   s.AllComputers != nil && *s.AllComputers,
		ComputerGroups: r.ComputerGroups, Buildings: r.Buildings, Departments: r.Departments,
		Exclusions: jamf.Exclusions{ComputerGroups: x.ComputerGroups, Buildings: x.Buildings, Departments: x.Departments},
	})
	return len(ids), err
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
