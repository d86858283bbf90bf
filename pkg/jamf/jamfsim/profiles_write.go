package jamfsim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// create stores a new profile from in. s.mu must be held.
func (s *Server) create(node int, in *inProfile) (int, *classicError) {
	if err := s.checkStrict(in); err != nil {
		return 0, err
	}
	p := newProfile()
	if in.General == nil || in.General.Name == nil {
		return 0, conflict("Name is required")
	}
	redeploy, err := s.applyGeneral(p, in.General)
	if err != nil {
		return 0, err
	}
	if p.Name == "" {
		return 0, conflict("Name is required")
	}
	if err := s.checkName(node, 0, p.Name); err != nil {
		return 0, err
	}
	if in.Scope != nil {
		if err := s.applyScope(p, in.Scope, true); err != nil {
			return 0, err
		}
	}
	newID := ""
	if s.has(QuirkReplaceTopLevelIDs) {
		newID = newUUID(nil)
	}
	if in.General.Payloads != nil {
		text, err := storePayload(*in.General.Payloads, s.rewrite(p, newID))
		if err != nil {
			return 0, conflict(msgDatabase)
		}
		p.Payloads = text
	}
	p.UUID = topLevelString(p.Payloads, "PayloadUUID")
	if p.UUID == "" {
		p.UUID = newUUID(nil)
	}
	p.ID = s.nextProfileID
	s.nextProfileID++
	if redeploy != nil {
		s.redeploys = append(s.redeploys, Redeploy{ProfileID: p.ID, Method: http.MethodPost, Sent: *redeploy})
	}
	s.commit(node, p.ID, p)
	return p.ID, nil
}

// update merges in into a copy of cur and stores it. s.mu must be held.
func (s *Server) update(node int, cur *Profile, in *inProfile) *classicError {
	if err := s.checkStrict(in); err != nil {
		return err
	}
	p := cur.clone()
	var redeploy *string
	if in.General != nil {
		var err *classicError
		if redeploy, err = s.applyGeneral(p, in.General); err != nil {
			return err
		}
		if p.Name == "" {
			return conflict("Name is required")
		}
		if p.Name != cur.Name {
			if err := s.checkName(node, p.ID, p.Name); err != nil {
				return err
			}
		}
		switch {
		case in.General.Payloads != nil:
			text, err := storePayload(*in.General.Payloads, s.rewrite(p, ""))
			if err != nil {
				return conflict(msgDatabase)
			}
			p.Payloads = text
			if u := topLevelString(p.Payloads, "PayloadUUID"); u != "" {
				p.UUID = u
			}
		case s.has(QuirkReserialize) && p.Payloads != "":
			// Jamf rewrites the stored plist with the new name and
			// description.
			if tree, err := parsePlist(p.Payloads); err == nil {
				if text, err := reserialize(tree.(map[string]any), p.Name, p.Description); err == nil {
					p.Payloads = text
				}
			}
		}
	}
	switch {
	case in.Scope != nil:
		replace := !s.has(QuirkPartialPut) || s.opts.ScopeWrite == ScopeWriteReplace
		if err := s.applyScope(p, in.Scope, replace); err != nil {
			return err
		}
	case !s.has(QuirkPartialPut):
		p.Scope = Scope{}
	}
	if redeploy != nil {
		rd := Redeploy{ProfileID: p.ID, Method: http.MethodPut, Sent: *redeploy}
		if p.RedeployOnUpdate == RedeployAll {
			scoped := s.effectiveScope(p.Scope)
			rd.Reinstalled = len(scoped)
			for _, cid := range scoped {
				s.addCommand(MDMCommand{ComputerID: cid, ProfileID: p.ID, Type: "INSTALL_PROFILE"})
			}
		}
		s.redeploys = append(s.redeploys, rd)
	}
	s.commit(node, p.ID, p)
	return nil
}

func (s *Server) rewrite(p *Profile, newID string) payloadRewrite {
	return payloadRewrite{
		entityDecode:  s.has(QuirkEntityDecode),
		phantomArrays: s.has(QuirkPhantomArrays),
		reserialize:   s.has(QuirkReserialize),
		newTopID:      newID,
		displayName:   p.Name,
		description:   p.Description,
	}
}

func (s *Server) checkName(node, selfID int, name string) *classicError {
	if !s.has(QuirkNameConflict) {
		return nil
	}
	for _, o := range s.visibleProfiles(node) {
		same := o.Name == name || s.has(QuirkCaseInsensitiveNames) && strings.EqualFold(o.Name, name)
		if o.ID != selfID && same {
			return conflict("Duplicate name")
		}
	}
	return nil
}

// checkStrict refuses unknown elements when QuirkLenientXML is off.
func (s *Server) checkStrict(in *inProfile) *classicError {
	if s.has(QuirkLenientXML) {
		return nil
	}
	unknown := func(where string, els []anyElem) *classicError {
		if len(els) > 0 {
			return badRequest("unknown element <%s> in %s", els[0].XMLName.Local, where)
		}
		return nil
	}
	if err := unknown("os_x_configuration_profile", in.Unknown); err != nil {
		return err
	}
	if in.General != nil {
		if err := unknown("general", in.General.Unknown); err != nil {
			return err
		}
	}
	if in.Scope != nil {
		if err := unknown("scope", in.Scope.Other); err != nil {
			return err
		}
		if in.Scope.Limitations != nil {
			if err := unknown("limitations", in.Scope.Limitations.Other); err != nil {
				return err
			}
		}
		if in.Scope.Exclusions != nil {
			if err := unknown("exclusions", in.Scope.Exclusions.Other); err != nil {
				return err
			}
		}
	}
	return nil
}

// enum returns v if it is one of allowed; otherwise the default (lenient)
// or a 400 naming the field.
func (s *Server) enum(field, v string, allowed ...string) (string, *classicError) {
	if slices.Contains(allowed, v) {
		return v, nil
	}
	if s.has(QuirkLenientXML) {
		return allowed[0], nil
	}
	return "", badRequest("invalid value %q for %s; options are %s", v, field, strings.Join(allowed, ", "))
}

func (s *Server) boolean(field, v string) (bool, *classicError) {
	switch strings.TrimSpace(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	if s.has(QuirkLenientXML) {
		return false, nil
	}
	return false, badRequest("invalid value %q for %s; options are true, false", v, field)
}

// applyGeneral merges g into p field by field and returns the
// redeploy_on_update value as sent, if any.
func (s *Server) applyGeneral(p *Profile, g *inGeneral) (*string, *classicError) {
	var err *classicError
	if g.Name != nil {
		p.Name = *g.Name
		if s.has(QuirkTrimNames) {
			p.Name = strings.TrimSpace(p.Name)
		}
		if s.has(QuirkNonBMPNames) {
			p.Name = replaceNonBMP(p.Name)
		}
	}
	if g.Description != nil {
		p.Description = *g.Description
		if s.has(QuirkNonBMPNames) {
			p.Description = replaceNonBMP(p.Description)
		}
	}
	if g.Site != nil {
		p.SiteID, p.SiteName = refValues(g.Site, -1, "None")
	}
	if g.Category != nil {
		p.CategoryID, p.CategoryName = refValues(g.Category, -1, "No category assigned")
	}
	if g.DistributionMethod != nil {
		if p.DistributionMethod, err = s.enum("distribution_method", *g.DistributionMethod, DistributionAutomatic, DistributionSelfService); err != nil {
			return nil, err
		}
	}
	if g.Level != nil {
		if p.Level, err = s.enum("level", *g.Level, LevelComputer, LevelUser); err != nil {
			return nil, err
		}
	}
	if g.UserRemovable != nil {
		if p.UserRemovable, err = s.boolean("user_removable", *g.UserRemovable); err != nil {
			return nil, err
		}
	}
	if g.RedeployOnUpdate != nil {
		if p.RedeployOnUpdate, err = s.enum("redeploy_on_update", *g.RedeployOnUpdate, RedeployNewlyAssigned, RedeployAll); err != nil {
			return nil, err
		}
	}
	return g.RedeployOnUpdate, nil
}

func refValues(r *inRef, defID int, defName string) (int, string) {
	id, name := defID, defName
	if r.ID != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(*r.ID)); err == nil {
			id = n
		}
	}
	if r.Name != nil && *r.Name != "" {
		name = *r.Name
	}
	return id, name
}

// applyScope sets p's scope from sc. With replace, omitted lists are
// emptied, the unmodelled ones too; otherwise each omitted list is left
// alone (see [ScopeWrite]).
func (s *Server) applyScope(p *Profile, sc *inScope, replace bool) *classicError {
	if replace {
		p.Scope = Scope{}
	}
	if sc.AllComputers != nil {
		v, err := s.boolean("all_computers", *sc.AllComputers)
		if err != nil {
			return err
		}
		p.Scope.AllComputers = v
	}
	if err := s.applyTargets(&p.Scope.Targets, &sc.inTargets, "scope"); err != nil {
		return err
	}
	if sc.Exclusions != nil {
		if err := s.applyTargets(&p.Scope.Exclusions, &sc.Exclusions.inTargets, "exclusions"); err != nil {
			return err
		}
	}
	if sc.AllJSSUsers != nil {
		v, err := s.boolean("all_jss_users", *sc.AllJSSUsers)
		if err != nil {
			return err
		}
		p.Scope.setOther(keyAllJSSUsers, strconv.FormatBool(v))
	}
	for i, el := range sc.otherLists() {
		if el != nil {
			p.Scope.setOther(OtherLists[i], el.Inner)
		}
	}
	return nil
}

func (s *Server) applyTargets(t *Targets, in *inTargets, where string) *classicError {
	lists := []struct {
		list  *inRefList
		dst   *[]int
		child string
		find  func(id int, name string) int
	}{
		{in.Computers, &t.Computers, "computer", s.findComputer},
		{in.ComputerGroups, &t.ComputerGroups, "computer_group", s.findGroup},
		{in.Buildings, &t.Buildings, "building", func(id int, name string) int { return findNamed(s.buildings, id, name) }},
		{in.Departments, &t.Departments, "department", func(id int, name string) int { return findNamed(s.departments, id, name) }},
	}
	for _, l := range lists {
		if l.list == nil {
			continue
		}
		ids := []int{}
		for _, it := range l.list.Items {
			if it.XMLName.Local != l.child {
				if s.has(QuirkLenientXML) {
					continue
				}
				return badRequest("unknown element <%s> in %s; expected <%s>", it.XMLName.Local, where, l.child)
			}
			id := 0
			if it.ID != nil {
				id, _ = strconv.Atoi(strings.TrimSpace(*it.ID))
			}
			name := ""
			if it.Name != nil {
				name = *it.Name
			}
			found := l.find(id, name)
			if found == 0 {
				return conflict("Problem with %s in %s", strings.ReplaceAll(l.child, "_", " "), where)
			}
			if !slices.Contains(ids, found) {
				ids = append(ids, found)
			}
		}
		*l.dst = ids
	}
	return nil
}

func (s *Server) findComputer(id int, name string) int {
	if id > 0 {
		if s.computerByID(id) != nil {
			return id
		}
		return 0
	}
	for _, c := range s.computers {
		if name != "" && c.Name == name {
			return c.ID
		}
	}
	return 0
}

func (s *Server) findGroup(id int, name string) int {
	if id > 0 {
		if id <= len(s.groups) {
			return id
		}
		return 0
	}
	for _, g := range s.groups {
		if name != "" && g.name == name {
			return g.id
		}
	}
	return 0
}

func findNamed(items []namedItem, id int, name string) int {
	if id > 0 {
		if id <= len(items) {
			return id
		}
		return 0
	}
	for _, it := range items {
		if name != "" && it.name == name {
			return it.id
		}
	}
	return 0
}

// replaceNonBMP stores each character outside the Basic Multilingual Plane
// as '?', as Jamf's database does.
func replaceNonBMP(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '?'
		}
		return r
	}, s)
}
