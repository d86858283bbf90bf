package jamfsim

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const profilesPath = "/JSSResource/osxconfigurationprofiles"

func (s *Server) handleProfileList(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivReadProfiles) {
		return
	}
	s.mu.Lock()
	ps := s.visibleProfiles(info(r).node)
	out := outList{Size: len(ps), Items: make([]outListItem, 0, len(ps))}
	for _, p := range ps {
		out.Items = append(out.Items, outListItem{ID: p.ID, Name: p.Name})
	}
	s.mu.Unlock()
	writeXML(w, http.StatusOK, out)
}

// lookupProfile finds the profile named by the {id} or {name} path value
// as the request's node sees it. s.mu must be held.
func (s *Server) lookupProfile(r *http.Request) *Profile {
	node := info(r).node
	if v := r.PathValue("id"); v != "" {
		id, err := strconv.Atoi(v)
		if err != nil {
			return nil
		}
		return s.visibleProfile(node, id)
	}
	name := r.PathValue("name")
	for _, p := range s.visibleProfiles(node) {
		if p.Name == name {
			return p // the lowest id among equal names
		}
	}
	return nil
}

func (s *Server) handleProfileGet(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivReadProfiles) {
		return
	}
	s.mu.Lock()
	p := s.lookupProfile(r)
	if p == nil {
		s.mu.Unlock()
		writeClassicError(w, http.StatusNotFound, "")
		return
	}
	out := s.render(p)
	s.mu.Unlock()
	if sub := r.PathValue("subset"); sub != "" {
		keep := strings.ToLower(sub)
		if !strings.Contains(keep, "general") {
			out.General = nil
		}
		if !strings.Contains(keep, "scope") {
			out.Scope = nil
		}
		if !strings.Contains(keep, "selfservice") && !strings.Contains(keep, "self_service") {
			out.SelfService = nil
		}
	}
	writeXML(w, http.StatusOK, out)
}

// classicError is a failed write: a status and the message for
// <p>Error: ...</p>.
type classicError struct {
	status int
	msg    string
}

func (e *classicError) Error() string { return e.msg }

func badRequest(format string, args ...any) *classicError {
	return &classicError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *classicError {
	return &classicError{http.StatusConflict, fmt.Sprintf(format, args...)}
}

const maxBody = 16 << 20

// readProfileBody decodes a Classic write. Like Jamf, it refuses a body
// that is not declared as XML with 415.
func readProfileBody(r *http.Request) (*inProfile, *classicError) {
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "text/xml") && !strings.HasPrefix(ct, "application/xml") {
		return nil, &classicError{http.StatusUnsupportedMediaType, "send the body as text/xml or application/xml"}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, badRequest("reading the request body: %v", err)
	}
	var in inProfile
	if err := xml.Unmarshal(body, &in); err != nil {
		return nil, badRequest("Problem with XML: %v", err)
	}
	return &in, nil
}

func (s *Server) handleProfileCreate(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivCreateProfiles) {
		return
	}
	in, cerr := readProfileBody(r)
	if cerr == nil {
		s.mu.Lock()
		var id int
		id, cerr = s.create(info(r).node, in)
		s.mu.Unlock()
		if cerr == nil {
			writeXML(w, http.StatusCreated, outID{ID: id})
			return
		}
	}
	writeClassicError(w, cerr.status, cerr.msg)
}

func (s *Server) handleProfileUpdate(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivUpdateProfiles) {
		return
	}
	if r.PathValue("subset") != "" && s.has(QuirkGatewaySubset) {
		writeClassicError(w, http.StatusForbidden, "")
		return
	}
	in, cerr := readProfileBody(r)
	if cerr == nil {
		s.mu.Lock()
		cur := s.lookupProfile(r)
		if cur == nil {
			s.mu.Unlock()
			writeClassicError(w, http.StatusNotFound, "")
			return
		}
		cerr = s.update(info(r).node, cur, in)
		id := cur.ID
		s.mu.Unlock()
		if cerr == nil {
			writeXML(w, http.StatusCreated, outID{ID: id})
			return
		}
	}
	writeClassicError(w, cerr.status, cerr.msg)
}

func (s *Server) handleProfileDelete(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaClassic, PrivDeleteProfiles) {
		return
	}
	s.mu.Lock()
	p := s.lookupProfile(r)
	if p == nil {
		s.mu.Unlock()
		writeClassicError(w, http.StatusNotFound, "")
		return
	}
	s.commit(info(r).node, p.ID, nil)
	s.mu.Unlock()
	writeXML(w, http.StatusOK, outID{ID: p.ID})
}
