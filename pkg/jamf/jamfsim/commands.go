package jamfsim

import (
	"net/http"
	"strconv"
)

// MDM commands: GET /api/v2/mdm/commands (schema MdmCommandResults).

// jsonCommand is schema MdmCommand; profileId and commandError exist from
// Jamf Pro 11.29.
type jsonCommand struct {
	UUID          string            `json:"uuid"`
	Client        jsonCommandClient `json:"client"`
	CommandState  string            `json:"commandState"`
	CommandType   string            `json:"commandType,omitempty"`
	DateSent      *string           `json:"dateSent,omitempty"`
	DateCompleted *string           `json:"dateCompleted,omitempty"`
	ProfileID     *int              `json:"profileId,omitempty"`
	CommandError  *jsonCommandError `json:"commandError,omitempty"`
}

// servedCommandType is the commandType the simulator answers for a command
// of type t. Jamf's MdmCommandType enum has no value for profile installs
// or removals (the filter field "command" takes INSTALL_PROFILE, the
// answer cannot say it), so those are left out, as the schema allows;
// see docs/jamf-behavior.md, "MDM commands".
func servedCommandType(t string) string {
	switch t {
	case "INSTALL_PROFILE", "REMOVE_PROFILE":
		return ""
	}
	return t
}

// jsonCommandError is schema MdmCommandError.
type jsonCommandError struct {
	ErrorCode                 int    `json:"errorCode"`
	ErrorDomain               string `json:"errorDomain"`
	ErrorLocalizedDescription string `json:"errorLocalizedDescription"`
	ErrorEnglishDescription   string `json:"errorEnglishDescription"`
}

type jsonCommandClient struct {
	ManagementID string `json:"managementId"`
	ClientType   string `json:"clientType"`
}

var commandListing = listing[*mdmCommand]{
	fields: rsqlFields[*mdmCommand]{
		"uuid":               func(c *mdmCommand) string { return c.UUID },
		"clientManagementId": func(c *mdmCommand) string { return c.managementID },
		"profileId":          func(c *mdmCommand) string { return strconv.Itoa(c.ProfileID) },
		"command":            func(c *mdmCommand) string { return c.Type },
		"status":             func(c *mdmCommand) string { return c.State },
	},
	sorts: map[string]func(a, b *mdmCommand) int{
		"dateSent": func(a, b *mdmCommand) int { return a.Sent.Compare(b.Sent) },
	},
	order: "dateSent:asc",
}

func (s *Server) handleCommands(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, areaAPI, PrivViewMDMCommands) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	got, total, ok := commandListing.serve(w, r, s.commands)
	if !ok {
		return
	}
	out := pageOf[jsonCommand]{TotalCount: total, Results: make([]jsonCommand, 0, len(got))}
	for _, c := range got {
		jc := jsonCommand{
			UUID:         c.UUID,
			Client:       jsonCommandClient{ManagementID: c.managementID, ClientType: "COMPUTER"},
			CommandState: c.State, CommandType: servedCommandType(c.Type),
			DateSent: jsonTime(c.Sent), DateCompleted: jsonTime(c.Completed),
		}
		if c.ProfileID != 0 && s.features.commandDetail {
			id := c.ProfileID
			jc.ProfileID = &id
		}
		if c.ErrorText != "" && s.features.commandDetail {
			jc.CommandError = &jsonCommandError{
				ErrorCode: c.ErrorCode, ErrorDomain: c.ErrorDomain,
				ErrorLocalizedDescription: c.ErrorText, ErrorEnglishDescription: c.ErrorText,
			}
		}
		out.Results = append(out.Results, jc)
	}
	writeJSON(w, http.StatusOK, out)
}
