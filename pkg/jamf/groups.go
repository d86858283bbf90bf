package jamf

import (
	"context"
	"net/http"
	"strconv"
)

// computerGroupsClassic is the Classic API path of computer groups. The Jamf
// Pro API lists groups (GET /api/v1/computer-groups) but gives no members
// for static groups in one call on every supported version, so membership
// comes from the Classic record, which lists the members of smart and
// static groups alike.
const computerGroupsClassic = "JSSResource/computergroups/id/"

// ComputerGroupMember is one computer in a group's Classic record.
type ComputerGroupMember struct {
	ID           int    `xml:"id"`
	Name         string `xml:"name"`
	SerialNumber string `xml:"serial_number"`
}

// computerGroupRecord is <computer_group> as GET returns it:
//
//	<computer_group><id>7</id><name>Pilot</name><is_smart>false</is_smart>
//	  <computers><size>2</size><computer><id>1</id><name>MAC-0001</name>
//	  <serial_number>C02...</serial_number></computer>...</computers>
//	</computer_group>
type computerGroupRecord struct {
	ID        int                   `xml:"id"`
	Name      string                `xml:"name"`
	IsSmart   bool                  `xml:"is_smart"`
	Computers []ComputerGroupMember `xml:"computers>computer"`
	Size      *string               `xml:"computers>size"`
}

// ComputerGroupMembers returns the computers in the smart or static group
// with Classic id id, from GET /JSSResource/computergroups/id/{id} (one call
// per group). A missing group gives an error matching ErrNotFound; the
// privileges are "Read Smart Computer Groups" / "Read Static Computer
// Groups".
func (c *Client) ComputerGroupMembers(ctx context.Context, id int) ([]ComputerGroupMember, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	path := computerGroupsClassic + strconv.Itoa(id)
	raw, err := c.do(ctx, request{method: http.MethodGet, path: path, accept: xmlType})
	if err != nil {
		return nil, err
	}
	return decodeGroupMembers(raw, id)
}

// decodeGroupMembers reads group id's members from its Classic record: the
// root must be <computer_group> with that id, and <computers><size>, when
// given, must count the members.
func decodeGroupMembers(raw []byte, id int) ([]ComputerGroupMember, error) {
	path := computerGroupsClassic + strconv.Itoa(id)
	var rec computerGroupRecord
	if err := decodeXML(raw, http.MethodGet, path, "computer_group", &rec); err != nil {
		return nil, err
	}
	if rec.ID != id {
		return nil, wrongDoc(http.MethodGet, path, "answer is group id %d, want %d", rec.ID, id)
	}
	if rec.Size != nil {
		if err := checkSize(http.MethodGet, path, rec.Size, len(rec.Computers)); err != nil {
			return nil, err
		}
	}
	return rec.Computers, nil
}
