package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// Validate checks every value and returns every problem at once as
// [Problems] ("file:line: field: problem; fix"), or nil:
//
//   - version is 1;
//   - URLs (profile.scep.url, profile.scep.challenge.url, tenants[].url) are
//     absolute https URLs without credentials, query or fragment; http is
//     accepted for loopback hosts only (local simulators);
//   - key_size is 2048 or 4096 (1024 is refused: Okta requires 2048),
//     redistribute_days is 1 to 364 (Okta certificates last a year), and
//     identifier is reverse-DNS: the rules of [profile.CheckKeySize],
//     [profile.CheckRedistributeDays] and [profile.CheckIdentifier], which
//     profile build applies too;
//   - challenge.type is dynamic-microsoft-ca or static; dynamic needs url,
//     username and password, static needs secret, and neither mode takes
//     the other's fields;
//   - profile.name and profile.scep.url are set, for the base profile or for
//     every tenant through its overrides;
//   - tenant names are unique and match [a-z0-9][a-z0-9-]*; each tenant has
//     a url and exactly one auth kind (client_id+client_secret or
//     username+password);
//   - text Jamf stores (name, description, organization, scep.name,
//     challenge.username, category, site and every Subject value) passes
//     [profile.CheckJamfText]; the Subject parses and has a CN;
//   - scope names are non-empty, untrimmed and not listed twice.
//
// Secret fields are [secret.Ref] values, so a literal secret cannot reach
// Validate: [Parse] refuses it.
func (c *Config) Validate() error {
	k := &collector{c: c}
	if c.Version != Version {
		k.add("version", fmt.Sprintf("is %d; this jamf-scep reads version 1", c.Version), "write version: 1")
	}
	checkProfile(k, "profile", &c.Profile)
	checkScope(k, "scope", &c.Scope)
	names := map[string]int{}
	for i := range c.Tenants {
		t := &c.Tenants[i]
		at := fmt.Sprintf("tenants[%d]", i)
		checkTenant(k, at, t, i, names)
		checkProfile(k, at+".overrides.profile", &t.Overrides.Profile)
		checkScope(k, at+".overrides.scope", &t.Overrides.Scope)
	}
	checkComplete(k, c)
	checkRollout(k, c)
	return k.err()
}

// ValidateProfile checks the profile section alone, with the rules
// [Config.Validate] applies to it; `profile build` uses it, since it needs
// no tenant.
func (c *Config) ValidateProfile() error {
	k := &collector{c: c}
	checkProfile(k, "profile", &c.Profile)
	return k.err()
}

var tenantName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// checkProfile checks the format of every field p sets; required fields
// are checkComplete's job, since overrides may supply them.
func checkProfile(k *collector, at string, p *Profile) {
	if p.Preset != "" {
		if p := profile.CheckPreset(p.Preset); p != nil {
			k.add(at+".preset", p.Reason, p.Fix)
		}
	}
	for _, f := range []struct{ field, v string }{
		{profile.FieldName, p.Name},
		{profile.FieldDescription, p.Description},
		{profile.FieldOrganization, p.Organization},
		{profile.FieldIdentifier, p.Identifier},
		{profile.FieldSCEPName, p.SCEP.Name},
		{profile.FieldSubject, p.SCEP.Subject},
		{profile.FieldUsername, p.SCEP.Challenge.Username},
		{profile.FieldSCEPURL, p.SCEP.URL},
		{profile.FieldChallengeURL, p.SCEP.Challenge.URL},
	} {
		if p := profile.CheckLength(f.field, f.v); p != nil {
			k.add(at+strings.TrimPrefix(f.field, "profile"), p.Reason, p.Fix)
		}
	}
	for _, f := range []struct{ name, v string }{
		{"name", p.Name},
		{"description", p.Description},
		{"organization", p.Organization},
		{"category", p.Category},
		{"site", p.Site},
		{"scep.name", p.SCEP.Name},
		{"scep.challenge.username", p.SCEP.Challenge.Username},
	} {
		if p := profile.CheckJamfText(f.v); p != nil {
			k.add(at+"."+f.name, p.Reason, p.Fix)
		}
	}
	if p.Identifier != "" {
		if p := profile.CheckIdentifier(p.Identifier); p != nil {
			k.add(at+".identifier", p.Reason, p.Fix)
		}
	}
	for _, f := range []struct{ path, v string }{{at + ".scep.url", p.SCEP.URL}, {at + ".scep.challenge.url", p.SCEP.Challenge.URL}} {
		switch {
		case f.v == "":
			if k.c.present(f.path) {
				k.add(f.path, "is empty", "write an absolute https URL")
			}
		case profile.CheckJamfText(f.v) != nil:
			p := profile.CheckJamfText(f.v)
			k.add(f.path, p.Reason, p.Fix) // stored in the profile as text
		case profile.CheckSCEPServiceURL(f.v) != nil:
			p := profile.CheckSCEPServiceURL(f.v)
			k.add(f.path, p.Reason, p.Fix)
		}
	}
	if s := p.SCEP.Subject; s != "" || k.c.present(at+".scep.subject") {
		checkSubject(k, at+".scep.subject", s)
	}
	// A zero number is "not set" (the preset's value) unless the file or a
	// flag wrote it: then 0 is judged like any other value.
	if n := p.SCEP.KeySize; n != 0 || k.c.present(at+".scep.key_size") {
		if p := profile.CheckKeySize(n); p != nil {
			k.add(at+".scep.key_size", p.Reason, p.Fix)
		}
	}
	if n := p.SCEP.RedistributeDays; n != 0 || k.c.present(at+".scep.redistribute_days") {
		if p := profile.CheckRedistributeDays(n); p != nil {
			k.add(at+".scep.redistribute_days", p.Reason, p.Fix)
		}
	}
	if t := p.SCEP.Challenge.Type; t != "" || k.c.present(at+".scep.challenge.type") {
		if p := profile.CheckChallengeType(profile.ChallengeType(t)); p != nil {
			k.add(at+".scep.challenge.type", p.Reason, p.Fix)
		}
	}
}

// checkSubject parses a Subject and checks its values as Jamf and the Macs
// will see them (profile.Subject.Check): the same rule profile build, plan
// and the wizard apply.
func checkSubject(k *collector, at, raw string) {
	s, err := profile.ParseSubject(raw)
	if err == nil {
		err = s.Check()
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			k.add(at, line, "") // the message carries its fix
		}
	}
}

// checkURL checks an optional Jamf Pro URL (tenants[].url): absolute https
// (http for loopback, where local simulators listen), no credentials,
// query or fragment. The SCEP URLs have their own rule,
// profile.CheckSCEPServiceURL, without the loopback exception. Messages do not repeat the URL, which
// could carry a password in its userinfo.
func checkURL(k *collector, at, raw string) {
	if raw == "" {
		if k.c.present(at) {
			k.add(at, "is empty", "write an absolute https URL")
		}
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		k.add(at, "is not an absolute URL", "write it in full, starting with https://")
	case u.User != nil:
		k.add(at, "carries credentials", "remove user:password@ from the URL; credentials are secret references under auth")
	case u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())):
		k.add(at, "must use https", "write https:// (http is accepted only for localhost and loopback addresses)")
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "#"):
		k.add(at, "has a query or fragment", "remove everything from ? or #")
	default:
		checkURLPath(k, at, u)
	}
}

// checkURLPath refuses a Jamf Pro URL whose path is not where Jamf Pro is
// served: a page or API path copied from the browser (/api, /JSSResource,
// /uapi, *.html), or any path on Jamf Cloud, which serves Jamf Pro at the
// root. jamf-scep adds the API paths itself; with them in the URL every
// request, the token's first, answers 404 (see docs/jamf-behavior.md,
// 'Tenant URL').
func checkURLPath(k *collector, at string, u *url.URL) {
	const fix = "give the address Jamf Pro opens at, such as https://acme.jamfcloud.com (on premises with its port and any context path, such as https://jamf.example.com:8443); jamf-scep adds the API paths"
	path := strings.Trim(u.Path, "/")
	if path == "" {
		return
	}
	if host := strings.ToLower(u.Hostname()); strings.HasSuffix(host, ".jamfcloud.com") {
		k.add(at, "has a path, and Jamf Cloud serves Jamf Pro at the root", "remove everything after "+host)
		return
	}
	for seg := range strings.SplitSeq(path, "/") {
		if l := strings.ToLower(seg); l == "api" || l == "uapi" || l == "jssresource" || strings.HasSuffix(l, ".html") {
			k.add(at, "has the page or API path /"+seg+" in it", fix)
			return
		}
	}
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkScope checks every name in an optional scope.
func checkScope(k *collector, at string, s *Scope) {
	lists := []struct {
		name  string
		names []string
	}{
		{"computers", s.Computers},
		{"computer_groups", s.ComputerGroups},
		{"buildings", s.Buildings},
		{"departments", s.Departments},
		{"exclusions.computers", s.Exclusions.Computers},
		{"exclusions.computer_groups", s.Exclusions.ComputerGroups},
		{"exclusions.buildings", s.Exclusions.Buildings},
		{"exclusions.departments", s.Exclusions.Departments},
	}
	for _, l := range lists {
		seen := map[string]bool{}
		for i, name := range l.names {
			p := fmt.Sprintf("%s.%s[%d]", at, l.name, i)
			switch {
			case strings.TrimSpace(name) == "":
				k.add(p, "is empty", "write a name, or remove the entry")
			case name != strings.TrimSpace(name):
				k.add(p, "has leading or trailing spaces", "remove them (Jamf trims names)")
			case seen[name]:
				k.add(p, "is listed twice", "remove the second entry")
			}
			seen[name] = true
		}
	}
}

// checkTenant checks one tenant's own fields.
func checkTenant(k *collector, at string, t *Tenant, i int, names map[string]int) {
	switch first, dup := names[t.Name]; {
	case t.Name == "":
		k.add(at+".name", "missing", "add a short name such as prod (lowercase letters, digits and -)")
	case !tenantName.MatchString(t.Name):
		k.add(at+".name", "must be lowercase letters, digits and - (not first)", "rename it, for example "+slug(t.Name))
	case dup:
		k.add(at+".name", fmt.Sprintf("is also the name of tenants[%d]", first), "tenant names must be unique; rename one")
	default:
		names[t.Name] = i
	}
	if t.URL == "" {
		k.add(at+".url", "missing", "add the Jamf Pro URL, e.g. https://acme.jamfcloud.com")
	} else {
		checkURL(k, at+".url", t.URL)
	}
	a := &t.Auth
	client := a.ClientID != "" || !a.ClientSecret.IsZero()
	user := a.Username != "" || !a.Password.IsZero()
	switch {
	case client && user:
		k.add(at+".auth", "sets both an API client and a user account", "keep exactly one: client_id+client_secret, or username+password")
	case !client && !user:
		k.add(at+".auth", "has no credentials", "set client_id and client_secret (API client, preferred) or username and password")
	case client && a.ClientID == "":
		k.add(at+".auth.client_id", "missing", "client_secret needs the API client's client_id")
	case client && a.ClientSecret.IsZero():
		k.add(at+".auth.client_secret", "missing", "client_id needs a client_secret reference, e.g. env:JAMF_CLIENT_SECRET")
	case user && a.Username == "":
		k.add(at+".auth.username", "missing", "password needs the account's username")
	case user && a.Password.IsZero():
		k.add(at+".auth.password", "missing", "username needs a password reference, e.g. env:JAMF_PASSWORD")
	}
	if t.ProfileID < 0 {
		k.add(at+".profile_id", "must not be negative", "write the Jamf profile id, or 0 to find the profile by name")
	}
}

// slug suggests a valid tenant name for s.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0:
			b.WriteByte('-')
		}
	}
	if out := strings.Trim(b.String(), "-"); out != "" {
		return out
	}
	return "prod"
}

// requirement is a profile field that the effective profile must (or must
// not) set.
type requirement struct {
	rel string
	set func(*Profile) bool
}

var (
	reqName      = requirement{"name", func(p *Profile) bool { return p.Name != "" }}
	reqURL       = requirement{"scep.url", func(p *Profile) bool { return p.SCEP.URL != "" }}
	reqChalURL   = requirement{"scep.challenge.url", func(p *Profile) bool { return p.SCEP.Challenge.URL != "" }}
	reqChalUser  = requirement{"scep.challenge.username", func(p *Profile) bool { return p.SCEP.Challenge.Username != "" }}
	reqChalPass  = requirement{"scep.challenge.password", func(p *Profile) bool { return !p.SCEP.Challenge.Password.IsZero() }}
	reqChalSecrt = requirement{"scep.challenge.secret", func(p *Profile) bool { return !p.SCEP.Challenge.Secret.IsZero() }}
)

// checkComplete checks required and mutually exclusive fields on each
// tenant's effective profile (or on the base profile when there are no
// tenants). A missing field is reported once, at its base path, naming the
// tenants that lack it when some have it through overrides; a field that
// must not be set is reported where it is set.
func checkComplete(k *collector, c *Config) {
	type target struct {
		name string // "" for the base profile
		over *Profile
		eff  Profile
	}
	var targets []target
	if len(c.Tenants) == 0 {
		targets = append(targets, target{eff: c.Profile})
	}
	for i := range c.Tenants {
		t := &c.Tenants[i]
		targets = append(targets, target{name: t.Name, over: &t.Overrides.Profile, eff: mergeProfile(c.Profile, t.Overrides.Profile)})
	}
	missing := map[string][]string{} // rel -> tenants lacking it
	fixes := map[string]string{}
	var order []requirement
	need := func(t target, r requirement, fix string) {
		if r.set(&t.eff) {
			return
		}
		if _, ok := missing[r.rel]; !ok {
			order = append(order, r)
		}
		missing[r.rel] = append(missing[r.rel], t.name)
		fixes[r.rel] = fix
	}
	forbid := func(t target, i int, r requirement, msg, fix string) {
		if !r.set(&t.eff) {
			return
		}
		at := "profile." + r.rel
		if t.over != nil && r.set(t.over) {
			at = fmt.Sprintf("tenants[%d].overrides.profile.%s", i, r.rel)
		}
		k.add(at, msg, fix)
	}
	// With tenants, targets[i] is tenants[i].
	for i, t := range targets {
		need(t, reqName, "add the Jamf profile name, e.g. Okta Device Access SCEP")
		need(t, reqURL, "add the Okta SCEP URL (https://ORG.okta.com/pki/<CA id>/scep/<RA id>)")
		switch t.eff.SCEP.Challenge.Type {
		case ChallengeStatic:
			need(t, reqChalSecrt, "static mode needs the static challenge as a reference, e.g. env:OKTA_SCEP_CHALLENGE")
			for _, r := range []requirement{reqChalURL, reqChalUser, reqChalPass} {
				forbid(t, i, r, "is only for challenge type dynamic-microsoft-ca", "remove it, or set type: dynamic-microsoft-ca")
			}
		case "", ChallengeDynamic:
			need(t, reqChalURL, "add the Okta Challenge URL (dynamic-microsoft-ca)")
			need(t, reqChalUser, "add the Okta challenge username (okta-XXXXXX)")
			need(t, reqChalPass, "add the Okta challenge password as a reference, e.g. env:OKTA_SCEP_PASSWORD")
			forbid(t, i, reqChalSecrt, "is only for challenge type static", "remove it, or set type: static")
		}
	}
	for _, r := range order {
		lacking := missing[r.rel]
		msg := "missing"
		if len(c.Tenants) > 0 && len(lacking) < len(c.Tenants) {
			msg = "missing for tenant " + strings.Join(lacking, ", ")
			fixes[r.rel] += ", here or in that tenant's overrides"
		}
		if r.rel == reqChalPass.rel {
			// The environment variable sets the field (env.go).
			fixes[r.rel] += "; or export " + EnvOktaSCEPPassword + ", which sets it for every tenant"
		}
		k.add("profile."+r.rel, msg, fixes[r.rel])
	}
}
