package jamf

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/jamf-scep/jamf-scep/internal/crash"
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

// ComputerGeneral is the GENERAL section (Jamf Pro schema ComputerGeneral
// on v1-v3, ComputerGeneralV4 on v4).
type ComputerGeneral struct {
	Name         string `json:"name"`
	ManagementID string `json:"managementId"` // MDM client id, as in MDMCommand.Client
	// LastContact is when the Mac last contacted Jamf Pro: general.lastContact
	// on v4, general.lastContactTime on v1-v3 (the same sort and filter
	// field, renamed). ComputersInventory reads the name the endpoint
	// version uses; see docs/jamf-behavior.md, "Inventory versions and
	// fields".
	LastContact Timestamp `json:"-"`
	// LastCheckIn is general.lastCheckIn, which only v4 has; zero before.
	LastCheckIn Timestamp `json:"lastCheckIn"`
	Site        *struct {
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
	// OnPage, when set, is called after each page with the computers
	// read so far and the listing's totalCount (progress). It is called
	// for one page at a time, maybe from another goroutine, and only for
	// the listing whose computers are returned: the count never goes
	// back, though it may start past the first page (see
	// Client.ComputersInventory).
	OnPage func(read, total int)
}

// ComputersInventory returns every computer matching q, all pages, from
// GET /api/v{N}/computers-inventory. N is 4 on Jamf Pro 11.30 and later and
// 1 before (by GET /api/v1/jamf-pro-version; see apiShape); if that version
// answers 404 the client tries the next lower one and remembers which
// worked. Field names follow the version that answered.
//
// While the Jamf Pro version is not known yet, the listing does not wait
// for it: the version request and the listing at the newest known endpoint
// go out together, and the version then says whether that listing is the
// one to use. A server older than that endpoint answers it 404
// (docs/jamf-behavior.md, "Inventory versions and fields"), which costs
// one request, and the listing is read again at the version's endpoint.
// Whatever else such a server does with it (no answer, a 5xx and
// Retry-After, pages of some other document) is cut short as soon as the
// version is known and never reaches the result or q.OnPage: the probe's
// progress is held until the version keeps it (see heldProgress). When the
// version request fails, the listing fails with its error.
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
	list := func(ctx context.Context, v int) ([]Computer, error) {
		return c.inventoryAt(ctx, v, params, size, q.OnPage)
	}
	if v, ok := c.knownInventoryVersion(); ok {
		return c.inventoryFrom(ctx, v, list)
	}

	newest := newestShape().inventory
	probeCtx, cancelProbe := context.WithCancel(ctx)
	defer cancelProbe()
	progress := &heldProgress{onPage: q.OnPage}
	var (
		shape    apiShape
		shapeErr error
		g        crash.Group
	)
	g.Go(func() {
		keep := false
		defer func() {
			if !keep {
				// The probe is of no use: there is no version to read it
				// by (an error, or a panic that g.Wait carries on), or the
				// version picks another endpoint. Stop it now, so that an
				// older server's slow answer, its 5xx with Retry-After or
				// its pages of a document it should not have do not hold
				// the listing back.
				cancelProbe()
			}
		}()
		shape, shapeErr = c.shape(ctx)
		keep = shapeErr == nil && shape.inventory == newest
		progress.decide(keep)
	})
	out, err := c.inventoryAt(probeCtx, newest, params, size, progress.report)
	g.Wait()
	switch {
	case shapeErr != nil:
		return nil, shapeErr
	case shape.inventory != newest:
		// An older server: the probe answered 404 or was stopped (were it
		// to answer, it would be read with the wrong field names).
		return c.inventoryFrom(ctx, shape.inventory, list)
	case err == nil:
		c.setInventoryVersion(newest)
		return out, nil
	case errors.Is(err, ErrNotFound) && newest > 1:
		// A server newer than jamf-scep knows that dropped the endpoint.
		return c.inventoryFrom(ctx, newest-1, list)
	}
	return nil, err
}

// heldProgress passes a probe's progress to onPage only once the probe is
// known to be the listing used: before that it keeps the latest count, and
// reports it when the probe is kept; a dropped probe reports nothing. So
// the counts a user sees come from one listing and never go back (a
// discarded probe's totalCount may be another document's, or the same
// Macs' read again from zero). report and decide may be called from
// different goroutines; onPage is called for one at a time, in order.
type heldProgress struct {
	onPage func(read, total int) // nil: no progress wanted

	mu          sync.Mutex
	decided     bool // decide was called
	kept        bool // and kept the probe
	held        bool // read, total hold a count not yet reported
	read, total int
}

// report is the probe's onPage.
func (p *heldProgress) report(read, total int) {
	if p.onPage == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.decided:
		p.read, p.total, p.held = read, total, true
	case p.kept:
		p.onPage(read, total)
	}
}

// decide keeps the probe's progress (reporting the count held so far) or
// drops it for good.
func (p *heldProgress) decide(keep bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.decided, p.kept = true, keep
	if keep && p.held && p.onPage != nil {
		p.onPage(p.read, p.total)
	}
	p.held = false
}

// inventoryFrom lists the inventory at version v with list, stepping down a
// version on each 404 and remembering the version that answered.
func (c *Client) inventoryFrom(ctx context.Context, v int, list func(context.Context, int) ([]Computer, error)) ([]Computer, error) {
	for ; v >= 1; v-- {
		c.setInventoryVersion(v)
		out, err := list(ctx, v)
		if errors.Is(err, ErrNotFound) && v > 1 {
			continue
		}
		return out, err
	}
	return nil, fmt.Errorf("jamf: no computers-inventory endpoint answered: %w", ErrNotFound)
}

// inventoryAt reads every page of computers-inventory version v.
func (c *Client) inventoryAt(ctx context.Context, v int, params url.Values, size int, onPage func(read, total int)) ([]Computer, error) {
	wire, err := getPagedFunc[computerWire](ctx, c, inventoryPathFor(v), params, size, onPage)
	if err != nil {
		return nil, err
	}
	out := make([]Computer, len(wire))
	for i, w := range wire {
		out[i] = w.computer(v)
	}
	return out, nil
}

// computerWire is a computers-inventory record as it travels: the GENERAL
// section's last-contact field is named by the endpoint version.
type computerWire struct {
	Computer
	General inventoryGeneralWire `json:"general"`
}

type inventoryGeneralWire struct {
	ComputerGeneral
	LastContactTime Timestamp `json:"lastContactTime"` // v1-v3, ComputerGeneral
	LastContact     Timestamp `json:"lastContact"`     // v4, ComputerGeneralV4
}

// computer returns the record read from computers-inventory version v.
func (w computerWire) computer(v int) Computer {
	c := w.Computer
	c.General = w.General.ComputerGeneral
	if v >= 4 {
		c.General.LastContact = w.General.LastContact
	} else {
		c.General.LastContact = w.General.LastContactTime
	}
	return c
}

func inventoryPathFor(v int) string { return "api/v" + strconv.Itoa(v) + "/computers-inventory" }

func (c *Client) inventoryVersion(ctx context.Context) (int, error) {
	if v, ok := c.knownInventoryVersion(); ok {
		return v, nil
	}
	shape, err := c.shape(ctx)
	if err != nil {
		return 0, err
	}
	c.setInventoryVersion(shape.inventory)
	return shape.inventory, nil
}

// knownInventoryVersion is the computers-inventory version in use, or the
// one the Jamf Pro version picks when that is known; ok is false before
// either is.
func (c *Client) knownInventoryVersion() (v int, ok bool) {
	c.versionMu.Lock()
	v, version := c.inventoryV, c.version
	c.versionMu.Unlock()
	if v != 0 {
		return v, true
	}
	if version != "" {
		shape, _ := shapeFor(version)
		return shape.inventory, true
	}
	return 0, false
}

func (c *Client) setInventoryVersion(v int) {
	c.versionMu.Lock()
	c.inventoryV = v
	c.versionMu.Unlock()
}

// MDMCommand is one MDM command record from /api/v2/mdm/commands (Jamf
// Pro schema MdmCommand).
type MDMCommand struct {
	UUID          string    `json:"uuid"`
	DateSent      Timestamp `json:"dateSent"`
	DateCompleted Timestamp `json:"dateCompleted"`
	Client        struct {
		ManagementID string `json:"managementId"` // ComputerGeneral.ManagementID
		ClientType   string `json:"clientType"`   // COMPUTER, MOBILE_DEVICE, ...
	} `json:"client"`
	// CommandState is PENDING, ACKNOWLEDGED, NOT_NOW, ERROR or (from Jamf
	// Pro 11.30) COMMAND_FORMAT_ERROR.
	CommandState string `json:"commandState"`
	CommandType  string `json:"commandType"` // INSTALL_PROFILE, ...
	// ProfileID is the profile an INSTALL_PROFILE command carries. Jamf Pro
	// answers it from 11.29 on; before, it is 0 (the profileId filter
	// works on every version).
	ProfileID int `json:"profileId"`
	// CommandError is why a command failed, from Jamf Pro 11.29 on; nil
	// when the server gives no reason.
	CommandError *MDMCommandError `json:"commandError"`
}

// MDMCommandError is the device's reason for a failed MDM command (Jamf
// Pro schema MdmCommandError; docs/jamf-behavior.md, "MDM commands").
type MDMCommandError struct {
	Code                 int    `json:"errorCode"`
	Domain               string `json:"errorDomain"`
	LocalizedDescription string `json:"errorLocalizedDescription"`
	EnglishDescription   string `json:"errorEnglishDescription"`
}

// Description is the reason in words: the English description, else the
// localized one ("The SCEP server returned an invalid response."). It is
// empty for a nil error.
func (e *MDMCommandError) Description() string {
	if e == nil {
		return ""
	}
	return cmp.Or(strings.TrimSpace(e.EnglishDescription), strings.TrimSpace(e.LocalizedDescription))
}

// MDMCommands returns every MDM command matching the RSQL filter, all pages
// at the largest page size (GET /api/v2/mdm/commands?filter=...). Jamf
// requires a filter. Needs the privilege "View MDM command information in
// Jamf Pro API".
func (c *Client) MDMCommands(ctx context.Context, filter string) ([]MDMCommand, error) {
	if filter == "" {
		return nil, fmt.Errorf("jamf: MDM command query needs a filter, for example profileId==7")
	}
	return getPaged[MDMCommand](ctx, c, mdmCommandsPath, url.Values{"filter": {filter}}, maxPageSize)
}

// ProfileCommands returns the MDM commands that install profile id, with
// the filter profileId==id;command==INSTALL_PROFILE: both fields are in
// the filter description of every schema (11.23.2 to 11.30.1), whose
// example uses command==INSTALL_PROFILE, so removals and other commands
// never travel (docs/jamf-behavior.md, "MDM commands").
func (c *Client) ProfileCommands(ctx context.Context, profileID int) ([]MDMCommand, error) {
	if err := checkID(profileID); err != nil {
		return nil, err
	}
	return c.MDMCommands(ctx, "profileId=="+strconv.Itoa(profileID)+";command==INSTALL_PROFILE")
}
