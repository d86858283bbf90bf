package jamf

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// Section is a computers-inventory section name.
type Section string

// The computers-inventory sections this package decodes.
const (
	SectionGeneral               Section = "GENERAL"
	SectionHardware              Section = "HARDWARE"
	SectionUserAndLocation       Section = "USER_AND_LOCATION"
	SectionConfigurationProfiles Section = "CONFIGURATION_PROFILES"
	SectionCertificates          Section = "CERTIFICATES"
)

// Computer is one computers-inventory record, with only the fields
// jamf-scep uses. Sections not asked for are left zero.
type Computer struct {
	ID                    string             `json:"id"`
	UDID                  string             `json:"udid"`
	General               ComputerGeneral    `json:"general"`
	Hardware              ComputerHardware   `json:"hardware"`
	UserAndLocation       UserAndLocation    `json:"userAndLocation"`
	ConfigurationProfiles []InstalledProfile `json:"configurationProfiles"`
	Certificates          []Certificate      `json:"certificates"`
}

// ComputerGeneral is the GENERAL section.
type ComputerGeneral struct {
	Name            string    `json:"name"`
	ManagementID    string    `json:"managementId"` // MDM client id, as in MDMCommand.Client
	LastContactTime Timestamp `json:"lastContactTime"`
	Site            *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"site"`
	RemoteManagement struct {
		Managed bool `json:"managed"`
	} `json:"remoteManagement"`
}

// ComputerHardware is the HARDWARE section.
type ComputerHardware struct {
	SerialNumber string `json:"serialNumber"`
	Model        string `json:"model"`
}

// UserAndLocation is the USER_AND_LOCATION section (the values behind
// $USERNAME, $EMAIL, $BUILDINGNAME and $DEPARTMENTNAME).
type UserAndLocation struct {
	Username     string `json:"username"`
	Email        string `json:"email"`
	BuildingID   string `json:"buildingId"`
	DepartmentID string `json:"departmentId"`
}

// InstalledProfile is an entry of CONFIGURATION_PROFILES: a profile
// installed on the computer. ProfileIdentifier is the top-level
// PayloadIdentifier (a UUID for profiles made by Jamf Pro).
type InstalledProfile struct {
	ID                string    `json:"id"`
	Username          string    `json:"username"`
	LastInstalled     Timestamp `json:"lastInstalled"`
	Removable         bool      `json:"removable"`
	DisplayName       string    `json:"displayName"`
	ProfileIdentifier string    `json:"profileIdentifier"`
}

// Certificate is an entry of CERTIFICATES. There is no issuer field;
// match an Okta certificate by CommonName or SubjectName. Identity is true
// when the keychain holds the private key too.
type Certificate struct {
	CommonName        string    `json:"commonName"`
	Identity          bool      `json:"identity"`
	ExpirationDate    Timestamp `json:"expirationDate"`
	Username          string    `json:"username"`
	LifecycleStatus   string    `json:"lifecycleStatus"`   // ACTIVE | INACTIVE
	CertificateStatus string    `json:"certificateStatus"` // EXPIRING | EXPIRED | REVOKED | PENDING_REVOKE | ISSUED
	SubjectName       string    `json:"subjectName"`
	SerialNumber      string    `json:"serialNumber"`
	SHA1Fingerprint   string    `json:"sha1Fingerprint"`
	IssuedDate        Timestamp `json:"issuedDate"`
}

// InventoryQuery selects computers-inventory records.
type InventoryQuery struct {
	// Sections to include; GENERAL when empty.
	Sections []Section
	// Filter is an RSQL expression built with RSQLEqual, RSQLIn and
	// RSQLOr ("udid==\"...\""); empty means every computer.
	Filter string
	// PageSize is the page-size parameter, 1 to 2000; 0 means 500.
	PageSize int
}

// ComputersInventory returns every computer matching q, all pages, from
// GET /api/v{N}/computers-inventory. N is 4 on Jamf Pro 11.30 and later and
// 1 before (by GET /api/v1/jamf-pro-version); if that version answers 404
// the client tries the next lower one and remembers which worked.
func (c *Client) ComputersInventory(ctx context.Context, q InventoryQuery) ([]Computer, error) {
	size := q.PageSize
	if size <= 0 {
		size = defaultPageSize
	}
	size = min(size, inventoryMaxPage)
	sections := q.Sections
	if len(sections) == 0 {
		sections = []Section{SectionGeneral}
	}
	params := url.Values{"sort": {"id:asc"}}
	for _, s := range sections {
		params.Add("section", string(s))
	}
	if q.Filter != "" {
		params.Set("filter", q.Filter)
	}
	v, err := c.inventoryVersion(ctx)
	if err != nil {
		return nil, err
	}
	for ; v >= 1; v-- {
		out, err := getPaged[Computer](ctx, c, inventoryPathFor(v), params, size)
		if errors.Is(err, ErrNotFound) && v > 1 {
			c.setInventoryVersion(v - 1)
			continue
		}
		return out, err
	}
	return nil, fmt.Errorf("jamf: no computers-inventory endpoint answered: %w", ErrNotFound)
}

func inventoryPathFor(v int) string { return "api/v" + strconv.Itoa(v) + "/computers-inventory" }

func (c *Client) inventoryVersion(ctx context.Context) (int, error) {
	c.versionMu.Lock()
	v := c.inventoryV
	c.versionMu.Unlock()
	if v != 0 {
		return v, nil
	}
	s, err := c.Version(ctx)
	if err != nil {
		return 0, err
	}
	v = inventoryPath(s)
	c.setInventoryVersion(v)
	return v, nil
}

func (c *Client) setInventoryVersion(v int) {
	c.versionMu.Lock()
	c.inventoryV = v
	c.versionMu.Unlock()
}

// MDMCommand is one MDM command record from /api/v2/mdm/commands.
type MDMCommand struct {
	UUID          string    `json:"uuid"`
	DateSent      Timestamp `json:"dateSent"`
	DateCompleted Timestamp `json:"dateCompleted"`
	Client        struct {
		ManagementID string `json:"managementId"` // ComputerGeneral.ManagementID
		ClientType   string `json:"clientType"`   // COMPUTER, MOBILE_DEVICE, ...
	} `json:"client"`
	CommandState string `json:"commandState"` // PENDING | ACKNOWLEDGED | NOT_NOW | ERROR
	CommandType  string `json:"commandType"`  // INSTALL_PROFILE, ...
	ProfileID    int    `json:"profileId"`
	// ErrorDescription is the failure text of a command in state ERROR
	// ("The SCEP server returned an invalid response."). Jamf's published
	// MdmCommand schema does not list it for every version; where the
	// server omits it, it is empty and callers show the state alone.
	ErrorDescription string `json:"errorDescription"`
}

// MDMCommands returns every MDM command matching the RSQL filter, all pages
// (GET /api/v2/mdm/commands?filter=...). Jamf requires a filter. Needs the
// privilege "View MDM command information in Jamf Pro API".
func (c *Client) MDMCommands(ctx context.Context, filter string) ([]MDMCommand, error) {
	if filter == "" {
		return nil, fmt.Errorf("jamf: MDM command query needs a filter, for example profileId==7")
	}
	return getPaged[MDMCommand](ctx, c, mdmCommandsPath, url.Values{"filter": {filter}}, defaultPageSize)
}

// ProfileCommands returns the MDM commands that install profile id on
// computers (filter profileId==id).
func (c *Client) ProfileCommands(ctx context.Context, profileID int) ([]MDMCommand, error) {
	if err := checkID(profileID); err != nil {
		return nil, err
	}
	return c.MDMCommands(ctx, "profileId=="+strconv.Itoa(profileID))
}
