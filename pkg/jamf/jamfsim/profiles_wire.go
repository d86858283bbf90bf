package jamfsim

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
)

// ---- Classic API wire types (inbound: pointers mark omitted elements) ----

type anyElem struct {
	XMLName xml.Name
	Inner   string `xml:",innerxml"`
}

type inProfile struct {
	XMLName     xml.Name   `xml:"os_x_configuration_profile"`
	General     *inGeneral `xml:"general"`
	Scope       *inScope   `xml:"scope"`
	SelfService *anyElem   `xml:"self_service"`
	Unknown     []anyElem  `xml:",any"`
}

type inGeneral struct {
	ID                 *string   `xml:"id"`
	Name               *string   `xml:"name"`
	Description        *string   `xml:"description"`
	Site               *inRef    `xml:"site"`
	Category           *inRef    `xml:"category"`
	DistributionMethod *string   `xml:"distribution_method"`
	UserRemovable      *string   `xml:"user_removable"`
	Level              *string   `xml:"level"`
	UUID               *string   `xml:"uuid"`
	RedeployOnUpdate   *string   `xml:"redeploy_on_update"`
	Payloads           *string   `xml:"payloads"`
	Unknown            []anyElem `xml:",any"`
}

type inRef struct {
	ID      *string   `xml:"id"`
	Name    *string   `xml:"name"`
	Unknown []anyElem `xml:",any"`
}

type inRefList struct {
	Items []struct {
		XMLName xml.Name
		inRef
	} `xml:",any"`
}

type inTargets struct {
	Computers      *inRefList `xml:"computers"`
	ComputerGroups *inRefList `xml:"computer_groups"`
	Buildings      *inRefList `xml:"buildings"`
	Departments    *inRefList `xml:"departments"`
}

type inScope struct {
	AllComputers  *string  `xml:"all_computers"`
	AllJSSUsers   *string  `xml:"all_jss_users"`
	JSSUsers      *anyElem `xml:"jss_users"`
	JSSUserGroups *anyElem `xml:"jss_user_groups"`
	inTargets
	Limitations *struct {
		Users           *anyElem  `xml:"users"`
		UserGroups      *anyElem  `xml:"user_groups"`
		NetworkSegments *anyElem  `xml:"network_segments"`
		IBeacons        *anyElem  `xml:"ibeacons"`
		Other           []anyElem `xml:",any"`
	} `xml:"limitations"`
	Exclusions *struct {
		inTargets
		Users           *anyElem  `xml:"users"`
		UserGroups      *anyElem  `xml:"user_groups"`
		NetworkSegments *anyElem  `xml:"network_segments"`
		IBeacons        *anyElem  `xml:"ibeacons"`
		JSSUsers        *anyElem  `xml:"jss_users"`
		JSSUserGroups   *anyElem  `xml:"jss_user_groups"`
		Other           []anyElem `xml:",any"`
	} `xml:"exclusions"`
	Other []anyElem `xml:",any"`
}

// otherLists pairs each unmodelled list of sc with its key in
// [Scope.Other], in [OtherLists] order; an omitted list is nil.
func (sc *inScope) otherLists() []*anyElem {
	out := []*anyElem{sc.JSSUsers, sc.JSSUserGroups}
	if l := sc.Limitations; l != nil {
		out = append(out, l.Users, l.UserGroups, l.NetworkSegments, l.IBeacons)
	} else {
		out = append(out, nil, nil, nil, nil)
	}
	if x := sc.Exclusions; x != nil {
		out = append(out, x.Users, x.UserGroups, x.NetworkSegments, x.IBeacons, x.JSSUsers, x.JSSUserGroups)
	} else {
		out = append(out, nil, nil, nil, nil, nil, nil)
	}
	return out
}

// ---- Classic API wire types (outbound) ----

type outRef struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
}

type outComputer struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
	UDID string `xml:"udid"`
}

type outGeneral struct {
	ID                 int    `xml:"id"`
	Name               string `xml:"name"`
	Description        string `xml:"description"`
	Site               outRef `xml:"site"`
	Category           outRef `xml:"category"`
	DistributionMethod string `xml:"distribution_method"`
	UserRemovable      bool   `xml:"user_removable"`
	Level              string `xml:"level"`
	UUID               string `xml:"uuid"`
	RedeployOnUpdate   string `xml:"redeploy_on_update"`
	// Payloads holds the stored plist escaped as Jamf escapes it: only
	// '&', '<' and '>'.
	Payloads rawXML `xml:"payloads"`
}

type outTargets struct {
	Computers struct {
		Items []outComputer `xml:"computer"`
	} `xml:"computers"`
	Buildings struct {
		Items []outRef `xml:"building"`
	} `xml:"buildings"`
	Departments struct {
		Items []outRef `xml:"department"`
	} `xml:"departments"`
	ComputerGroups struct {
		Items []outRef `xml:"computer_group"`
	} `xml:"computer_groups"`
}

type rawXML struct {
	Inner string `xml:",innerxml"`
}

type outScope struct {
	AllComputers bool `xml:"all_computers"`
	AllJSSUsers  bool `xml:"all_jss_users"`
	outTargets
	JSSUsers      rawXML `xml:"jss_users"`
	JSSUserGroups rawXML `xml:"jss_user_groups"`
	Limitations   struct {
		Users           rawXML `xml:"users"`
		UserGroups      rawXML `xml:"user_groups"`
		NetworkSegments rawXML `xml:"network_segments"`
		IBeacons        rawXML `xml:"ibeacons"`
	} `xml:"limitations"`
	Exclusions struct {
		outTargets
		Users           rawXML `xml:"users"`
		UserGroups      rawXML `xml:"user_groups"`
		NetworkSegments rawXML `xml:"network_segments"`
		IBeacons        rawXML `xml:"ibeacons"`
		JSSUsers        rawXML `xml:"jss_users"`
		JSSUserGroups   rawXML `xml:"jss_user_groups"`
	} `xml:"exclusions"`
}

type outSelfService struct {
	InstallButtonText           string `xml:"install_button_text"`
	SelfServiceDescription      string `xml:"self_service_description"`
	ForceUsersToViewDescription bool   `xml:"force_users_to_view_description"`
	FeatureOnMainPage           bool   `xml:"feature_on_main_page"`
}

type outProfile struct {
	XMLName     xml.Name        `xml:"os_x_configuration_profile"`
	General     *outGeneral     `xml:"general,omitempty"`
	Scope       *outScope       `xml:"scope,omitempty"`
	SelfService *outSelfService `xml:"self_service,omitempty"`
}

type outListItem struct {
	ID   int    `xml:"id"`
	Name string `xml:"name"`
}

type outList struct {
	XMLName xml.Name      `xml:"os_x_configuration_profiles"`
	Size    int           `xml:"size"`
	Items   []outListItem `xml:"os_x_configuration_profile"`
}

type outID struct {
	XMLName xml.Name `xml:"os_x_configuration_profile"`
	ID      int      `xml:"id"`
}

func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		writeClassicError(w, http.StatusInternalServerError, "jamfsim: encoding XML: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header[:len(xml.Header)-1])
	_, _ = w.Write(b)
}

// render builds the GET document for p. s.mu must be held.
func (s *Server) render(p *Profile) outProfile {
	g := &outGeneral{
		ID: p.ID, Name: p.Name, Description: p.Description,
		Site:               outRef{ID: p.SiteID, Name: p.SiteName},
		Category:           outRef{ID: p.CategoryID, Name: p.CategoryName},
		DistributionMethod: p.DistributionMethod, UserRemovable: p.UserRemovable,
		Level: p.Level, UUID: p.UUID, RedeployOnUpdate: p.RedeployOnUpdate,
		Payloads: rawXML{escapeJamf(p.Payloads)},
	}
	if s.has(QuirkRedeployWriteOnly) {
		g.RedeployOnUpdate = RedeployNewlyAssigned
	}
	sc := &outScope{AllComputers: p.Scope.AllComputers, AllJSSUsers: p.Scope.Other[keyAllJSSUsers] == "true"}
	sc.outTargets = s.renderTargets(p.Scope.Targets)
	sc.Exclusions.outTargets = s.renderTargets(p.Scope.Exclusions)
	l, x := &sc.Limitations, &sc.Exclusions
	for i, dst := range []*rawXML{
		&sc.JSSUsers, &sc.JSSUserGroups,
		&l.Users, &l.UserGroups, &l.NetworkSegments, &l.IBeacons,
		&x.Users, &x.UserGroups, &x.NetworkSegments, &x.IBeacons, &x.JSSUsers, &x.JSSUserGroups,
	} {
		dst.Inner = p.Scope.Other[OtherLists[i]]
	}
	return outProfile{General: g, Scope: sc, SelfService: &outSelfService{InstallButtonText: "Install"}}
}

func (s *Server) renderTargets(t Targets) outTargets {
	var o outTargets
	for _, id := range t.Computers {
		if c := s.computerByID(id); c != nil {
			o.Computers.Items = append(o.Computers.Items, outComputer{ID: id, Name: c.Name, UDID: c.UDID})
		}
	}
	for _, id := range t.ComputerGroups {
		if id >= 1 && id <= len(s.groups) {
			o.ComputerGroups.Items = append(o.ComputerGroups.Items, outRef{ID: id, Name: s.groups[id-1].name})
		}
	}
	for _, id := range t.Buildings {
		if id >= 1 && id <= len(s.buildings) {
			o.Buildings.Items = append(o.Buildings.Items, outRef{ID: id, Name: s.buildings[id-1].name})
		}
	}
	for _, id := range t.Departments {
		if id >= 1 && id <= len(s.departments) {
			o.Departments.Items = append(o.Departments.Items, outRef{ID: id, Name: s.departments[id-1].name})
		}
	}
	return o
}

// escapeJamf escapes character data the way Jamf's Classic API does:
// '&', '<' and '>' only; quotes and line breaks stay literal.
func escapeJamf(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
