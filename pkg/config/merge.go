package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Effective is what to apply to one tenant: its own settings, and the base
// profile and scope with its overrides merged in.
type Effective struct {
	Tenant  Tenant
	Profile Profile
	Scope   Scope
}

// Tenant returns the tenant named name, or an error listing the known names
// with a "did you mean".
func (c *Config) Tenant(name string) (Tenant, error) {
	for _, t := range c.Tenants {
		if t.Name == name {
			return t, nil
		}
	}
	return Tenant{}, c.unknownTenant(name)
}

func (c *Config) unknownTenant(name string) error {
	names := c.tenantNames()
	if len(names) == 0 {
		return fmt.Errorf("no tenant %q: the config has no tenants; add a tenants list, or set JAMF_URL and credentials (jamf-scep help environment)", name)
	}
	msg := fmt.Sprintf("no tenant %q in %s; tenants are %s", name, cmpOr(c.source, "the config"), strings.Join(names, ", "))
	if s := suggest(name, names); s != "" {
		msg += "; " + s
	}
	return errors.New(msg)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (c *Config) tenantNames() []string {
	names := make([]string, len(c.Tenants))
	for i, t := range c.Tenants {
		names[i] = t.Name
	}
	return names
}

// Select returns the tenants named in filter, in file order, each once;
// every tenant when filter is empty (`--all`). Unknown names are one error
// naming them all. A config without tenants is an error too.
//
// (It is not called Tenants because that is the field.)
func (c *Config) Select(filter []string) ([]Tenant, error) {
	if len(c.Tenants) == 0 {
		return nil, errors.New("the config has no tenants; add a tenants list, or set JAMF_URL and credentials (jamf-scep help environment)")
	}
	if len(filter) == 0 {
		return append([]Tenant(nil), c.Tenants...), nil
	}
	want := map[string]bool{}
	var errs []error
	for _, name := range filter {
		if _, err := c.Tenant(name); err != nil {
			errs = append(errs, err)
		}
		want[name] = true
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var out []Tenant
	for _, t := range c.Tenants {
		if want[t.Name] {
			out = append(out, t)
		}
	}
	return out, nil
}

// Effective returns the tenant named name with the base profile and scope
// and that tenant's overrides merged field by field: a field the override
// sets replaces the base field; everything else is the base. Lists are
// replaced whole, never appended, and a present empty list replaces too
// (it owns that scope category, empty).
func (c *Config) Effective(name string) (Effective, error) {
	t, err := c.Tenant(name)
	if err != nil {
		return Effective{}, err
	}
	return Effective{
		Tenant:  t,
		Profile: mergeProfile(c.Profile, t.Overrides.Profile),
		Scope:   mergeScope(c.Scope, t.Overrides.Scope),
	}, nil
}

// mergeProfile returns base with every field over sets replaced. It is
// written out field by field on purpose: a new field must be added here
// (TestEffectiveMergesFieldByField fails otherwise).
func mergeProfile(base, over Profile) Profile {
	return Profile{
		Preset:       str(base.Preset, over.Preset),
		Name:         str(base.Name, over.Name),
		Description:  str(base.Description, over.Description),
		Organization: str(base.Organization, over.Organization),
		Identifier:   str(base.Identifier, over.Identifier),
		Category:     str(base.Category, over.Category),
		Site:         str(base.Site, over.Site),
		JamfDialect:  str(base.JamfDialect, over.JamfDialect),
		SCEP: SCEP{
			URL:              str(base.SCEP.URL, over.SCEP.URL),
			Name:             str(base.SCEP.Name, over.SCEP.Name),
			Subject:          str(base.SCEP.Subject, over.SCEP.Subject),
			KeySize:          num(base.SCEP.KeySize, over.SCEP.KeySize),
			RedistributeDays: num(base.SCEP.RedistributeDays, over.SCEP.RedistributeDays),
			Challenge: Challenge{
				Type:     str(base.SCEP.Challenge.Type, over.SCEP.Challenge.Type),
				URL:      str(base.SCEP.Challenge.URL, over.SCEP.Challenge.URL),
				Username: str(base.SCEP.Challenge.Username, over.SCEP.Challenge.Username),
				Password: ref(base.SCEP.Challenge.Password, over.SCEP.Challenge.Password),
				Secret:   ref(base.SCEP.Challenge.Secret, over.SCEP.Challenge.Secret),
			},
		},
	}
}

// mergeScope returns base with every category over declares replaced.
func mergeScope(base, over Scope) Scope {
	all := base.AllComputers
	if over.AllComputers != nil {
		all = over.AllComputers
	}
	return Scope{
		AllComputers:   all,
		Computers:      list(base.Computers, over.Computers),
		ComputerGroups: list(base.ComputerGroups, over.ComputerGroups),
		Buildings:      list(base.Buildings, over.Buildings),
		Departments:    list(base.Departments, over.Departments),
		Exclusions: Exclusions{
			Computers:      list(base.Exclusions.Computers, over.Exclusions.Computers),
			ComputerGroups: list(base.Exclusions.ComputerGroups, over.Exclusions.ComputerGroups),
			Buildings:      list(base.Exclusions.Buildings, over.Exclusions.Buildings),
			Departments:    list(base.Exclusions.Departments, over.Exclusions.Departments),
		},
	}
}

func str(base, over string) string {
	if over != "" {
		return over
	}
	return base
}

func num(base, over int) int {
	if over != 0 {
		return over
	}
	return base
}

func ref(base, over secret.Ref) secret.Ref {
	if !over.IsZero() {
		return over
	}
	return base
}

// list returns over when the override declares the category (non-nil, even
// empty), else base. The result is a copy, so callers cannot alias the
// config.
func list(base, over []string) []string {
	if over != nil {
		return append([]string{}, over...)
	}
	if base != nil {
		return append([]string{}, base...)
	}
	return nil
}
