package jamfsim

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// classicGroup is <computer_group> as the Classic API returns it from
// GET /JSSResource/computergroups/id/{id}: smart and static groups alike
// list their current members.
type classicGroup struct {
	XMLName   xml.Name              `xml:"computer_group"`
	ID        int                   `xml:"id"`
	Name      string                `xml:"name"`
	IsSmart   bool                  `xml:"is_smart"`
	Computers classicGroupComputers `xml:"computers"`
}

type classicGroupComputers struct {
	Size      int                    `xml:"size"`
	Computers []classicGroupComputer `xml:"computer"`
}

type classicGroupComputer struct {
	ID           int    `xml:"id"`
	Name         string `xml:"name"`
	SerialNumber string `xml:"serial_number"`
}

// handleClassicGroup serves GET /JSSResource/computergroups/id/{id}. A
// smart group needs "Read Smart Computer Groups", a static one "Read Static
// Computer Groups"; a missing group is the Classic 404 page.
func (s *Server) handleClassicGroup(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	s.mu.Lock()
	var g *group
	if err == nil && id >= 1 && id <= len(s.groups) {
		g = s.groups[id-1]
	}
	s.mu.Unlock()
	if g == nil {
		if s.authorize(w, r, areaClassic, PrivReadStaticGroups) {
			writeError(w, areaClassic, http.StatusNotFound, "")
		}
		return
	}
	priv := PrivReadStaticGroups
	if g.smart {
		priv = PrivReadSmartGroups
	}
	if !s.authorize(w, r, areaClassic, priv) {
		return
	}
	s.mu.Lock()
	out := classicGroup{ID: g.id, Name: g.name, IsSmart: g.smart}
	for _, cid := range s.groupMembers(g) {
		c := s.computerByID(cid)
		out.Computers.Computers = append(out.Computers.Computers, classicGroupComputer{ID: c.ID, Name: c.Name, SerialNumber: c.Serial})
	}
	out.Computers.Size = len(out.Computers.Computers)
	s.mu.Unlock()
	writeXML(w, http.StatusOK, out)
}
