// Package verify computes which Macs hold the Okta Device Access
// certificate that a Jamf Pro SCEP profile issues, and which need
// attention, from data already fetched: one computers-inventory listing
// (sections GENERAL, CONFIGURATION_PROFILES and CERTIFICATES), the
// profile's MDM install commands, and its effective scope.
//
// The package is pure: no network, file or clock access. The caller
// passes the time (Input.Now) and every record; [Compute] returns a
// [Report] with one [Mac] per computer in scope or still holding the
// profile, worst first, and a [Summary].
//
// # Matching rules
//
// Installed: the computer's CONFIGURATION_PROFILES section has an entry
// whose profileIdentifier equals the stored profile's top-level
// PayloadIdentifier (Jamf replaces it on create, so it is read from the
// stored plist, not the config). When the identifier is unknown or no entry
// carries one, an entry whose id equals the Jamf profile id counts, and as
// a last resort one whose displayName equals the profile name.
//
// Certificate: the Subject template's last CN value, with the Mac's payload
// variables substituted (fleet.Fleet.Variables), must equal the
// certificate's commonName (or the CN in its subjectName when commonName is
// empty). Jamf may add $PROFILE_IDENTIFIER when it redistributes
// (inferred; docs/jamf-behavior.md, 'Unknowns'): per the dialect's rule, a
// CN that is
// the expected value followed by the separator and one token without spaces
// matches too, and a $PROFILE_IDENTIFIER written in the template matches any
// such token. Among several matches the one with the private key
// (identity) and the latest expiry wins.
//
// Latest install command: among the commands of type INSTALL_PROFILE for
// the computer's management id, the one sent last.
package verify

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// Target is the profile being verified, as stored in Jamf Pro.
type Target struct {
	// ID is the Jamf profile id.
	ID int `json:"id"`
	// Name is the Jamf profile name (general/name).
	Name string `json:"name"`
	// PayloadIdentifier is the stored top-level PayloadIdentifier; "" when
	// unknown (matching then falls back to id and name).
	PayloadIdentifier string `json:"payloadIdentifier,omitempty"`
	// Subject is the SCEP payload's Subject template.
	Subject profile.Subject `json:"-"`
	// RedistributeDays is the redistribution window in days: a certificate
	// expiring within it is reported as expiring.
	RedistributeDays int `json:"redistributeDays"`
}

// Input is everything Compute needs. Computers must carry the GENERAL,
// CONFIGURATION_PROFILES and CERTIFICATES sections (and whatever
// Variables reads for the Subject).
type Input struct {
	Target Target
	// Computers is the tenant's inventory.
	Computers []jamf.Computer
	// InScope holds the Classic ids of the computers the profile's
	// effective scope reaches (fleet.Fleet.Members).
	InScope []int
	// Commands are the profile's MDM commands (jamf.Client.ProfileCommands).
	// Nil means command history was not available: no Mac is then reported
	// pending or failed.
	Commands []jamf.MDMCommand
	// Variables returns one Mac's payload variable values, without "$"
	// (fleet.Fleet.Variables).
	Variables func(*jamf.Computer) map[string]string
	// Identifier is the dialect's rule for the $PROFILE_IDENTIFIER Jamf
	// adds to the CN; the zero value means none is added.
	Identifier profile.IdentifierRule
	// Now is the time the report is computed for.
	Now time.Time
	// StaleAfter is the inventory age beyond which a Mac's inventory is
	// flagged and not trusted; 0 means never stale.
	StaleAfter time.Duration
}

// Report is the outcome for one profile on one tenant.
type Report struct {
	Profile        Target    `json:"profile"`
	Now            time.Time `json:"now"`
	StaleAfterDays int       `json:"staleAfterDays"`
	Summary        Summary   `json:"summary"`
	// Macs are the computers in scope and the ones outside it that still
	// hold the profile, worst status first, then by name and id.
	Macs []Mac `json:"macs"`
	// Warnings name what Jamf answered that could not be trusted and was
	// left out: commands for other profiles, command states outside
	// Jamf's enum, inventory records with a bad or repeated id.
	Warnings []string `json:"warnings,omitempty"`
}

// Summary counts a report's Macs. Every count but OutOfScopeHolders is
// over the Macs in scope; the counts overlap (a Mac can be stale and
// expiring).
type Summary struct {
	InScope int `json:"inScope"`
	// Installed: the profile is in the Mac's inventory.
	Installed int `json:"installed"`
	// WithCertificate: a matching certificate with its private key that has
	// not expired, on a Mac whose inventory is not stale. Coverage is
	// WithCertificate over InScope.
	WithCertificate int `json:"withCertificate"`
	// Pending: the latest install command is PENDING or NOT_NOW.
	Pending int `json:"pending"`
	// Failed: the latest install command is ERROR.
	Failed int `json:"failed"`
	// Expired: the matching certificate has expired.
	Expired int `json:"expired"`
	// Expiring: the matching certificate expires inside the
	// redistribution window.
	Expiring int `json:"expiring"`
	// Stale: the inventory is older than the stale-after age.
	Stale int `json:"stale"`
	// OutOfScopeHolders: computers outside the scope whose inventory still
	// lists the profile.
	OutOfScopeHolders int `json:"outOfScopeHolders"`
	// Coverage is 100 * WithCertificate / InScope, rounded down to one
	// decimal; 0 when nothing is in scope.
	Coverage float64 `json:"coveragePercent"`
}

// Mac is one computer's verification result.
type Mac struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`
	Serial string `json:"serialNumber"`
	Status Status `json:"status"`
	// InScope reports whether the profile's effective scope reaches the Mac.
	InScope bool `json:"inScope"`
	// Installed reports whether inventory lists the profile.
	Installed bool `json:"installed"`
	// Command is the latest INSTALL_PROFILE command for the profile, or nil.
	Command *Command `json:"command,omitempty"`
	// Certificate is the matching certificate, or nil.
	Certificate *Certificate `json:"certificate,omitempty"`
	// LastInventory is the inventory time (GENERAL lastContactTime, the
	// newest time the client decodes); zero when Jamf has none.
	LastInventory time.Time `json:"lastInventory,omitzero"`
	// Stale reports whether LastInventory is older than the stale-after
	// age (or missing): inventory facts are then shown but not trusted.
	Stale bool `json:"stale"`
	// Notes explain the status and any other finding, one phrase each.
	Notes []string `json:"notes,omitempty"`

	futureInventory bool // LastInventory is later than now allows
}

// Command is the state of an MDM install command.
type Command struct {
	UUID      string    `json:"uuid"`
	State     string    `json:"state"` // PENDING | ACKNOWLEDGED | NOT_NOW | ERROR | COMMAND_FORMAT_ERROR
	Sent      time.Time `json:"sent,omitzero"`
	Completed time.Time `json:"completed,omitzero"`
	// Error is the device's reason for state ERROR, from Jamf's
	// commandError (English description, else the localized one), when the
	// server gives it (Jamf Pro 11.29 and later).
	Error string `json:"error,omitempty"`
	// ErrorDomain and ErrorCode are commandError's errorDomain and
	// errorCode, such as "MCSCEPErrorDomain" and 22013.
	ErrorDomain string `json:"errorDomain,omitempty"`
	ErrorCode   int    `json:"errorCode,omitempty"`
}

// errorText is the failure reason as one phrase: "The SCEP server returned
// an invalid response. (MCSCEPErrorDomain 22013)", or "" when Jamf gave none.
func (c *Command) errorText() string {
	if c == nil || c.Error == "" {
		return ""
	}
	var ref []string
	if c.ErrorDomain != "" {
		ref = append(ref, c.ErrorDomain)
	}
	if c.ErrorCode != 0 {
		ref = append(ref, strconv.Itoa(c.ErrorCode))
	}
	if len(ref) == 0 {
		return c.Error
	}
	return c.Error + " (" + strings.Join(ref, " ") + ")"
}

// Certificate is the certificate matching the profile's Subject.
type Certificate struct {
	CommonName string    `json:"commonName"`
	Expires    time.Time `json:"expires,omitzero"`
	// DaysLeft is whole days until Expires, negative once expired.
	DaysLeft int `json:"daysLeft"`
	// Identity is true when the keychain holds the private key too.
	Identity bool `json:"identity"`
}

// MDM command states (Jamf Pro API v2 mdm/commands commandState).
const (
	StatePending      = "PENDING"
	StateAcknowledged = "ACKNOWLEDGED"
	StateNotNow       = "NOT_NOW"
	StateError        = "ERROR"
	// StateFormatError is a command the device refused as malformed
	// (MdmCommandState, Jamf Pro 11.30 and later).
	StateFormatError = "COMMAND_FORMAT_ERROR"
)

// failed reports whether an MDM command state is a failure.
func failed(state string) bool { return state == StateError || state == StateFormatError }

// Compute builds the report. It never fails: missing data shows up as
// statuses and notes.
func Compute(in Input) *Report {
	cmds, warnings := screenCommands(in.Commands, in.Target.ID)
	in.Commands = cmds
	computers, more := screenComputers(in.Computers)
	warnings = append(warnings, more...)
	byMgmt := latestInstalls(in.Commands)
	scope := make(map[int]bool, len(in.InScope))
	for _, id := range in.InScope {
		scope[id] = true
	}
	m := newMatcher(in.Target.Subject, in.Identifier)
	r := &Report{
		Profile:        in.Target,
		Now:            in.Now,
		StaleAfterDays: int(in.StaleAfter / (24 * time.Hour)),
		Macs:           []Mac{},
		Warnings:       warnings,
	}
	for _, c := range computers {
		id, _ := strconv.Atoi(c.ID) // screened: a positive integer
		installed := isInstalled(c.ConfigurationProfiles, in.Target)
		if !scope[id] && !installed {
			continue
		}
		var vars map[string]string
		if in.Variables != nil {
			vars = in.Variables(c)
		}
		mac := Mac{
			ID: id, Name: c.General.Name, Serial: c.Hardware.SerialNumber,
			InScope: scope[id], Installed: installed,
			LastInventory: c.General.LastContact.Time,
		}
		if cmd, ok := byMgmt[c.General.ManagementID]; ok && c.General.ManagementID != "" {
			mac.Command = &cmd
		}
		if cert, ok := m.best(c.Certificates, vars); ok {
			mac.Certificate = &Certificate{
				CommonName: cert.CommonName,
				Expires:    cert.ExpirationDate.Time,
				DaysLeft:   daysLeft(in.Now, cert.ExpirationDate.Time),
				Identity:   cert.Identity,
			}
		}
		mac.Stale = in.StaleAfter > 0 && (mac.LastInventory.IsZero() || in.Now.Sub(mac.LastInventory) > in.StaleAfter)
		// An inventory time in the future is wrong, not fresh.
		mac.futureInventory = mac.LastInventory.After(in.Now.Add(futureSlack))
		mac.Stale = mac.Stale || (in.StaleAfter > 0 && mac.futureInventory)
		classify(&mac, in)
		r.Macs = append(r.Macs, mac)
	}
	sortWorstFirst(r.Macs)
	r.Summary = summarize(r.Macs, in.Now, in.Target.RedistributeDays)
	return r
}

// sortWorstFirst orders macs by status rank, then name (case-folded),
// then id. Keys are computed once, not per comparison.
func sortWorstFirst(macs []Mac) {
	type keyed struct {
		rank int
		name string
		mac  Mac
	}
	ks := make([]keyed, len(macs))
	for i, m := range macs {
		ks[i] = keyed{m.Status.rank(), strings.ToLower(m.Name), m}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.name, b.name), cmp.Compare(a.mac.ID, b.mac.ID))
	})
	for i := range ks {
		macs[i] = ks[i].mac
	}
}

// daysLeft is whole days from now until t, rounded toward negative
// infinity, so a certificate that expired an hour ago has -1.
func daysLeft(now, t time.Time) int {
	return int(math.Floor(t.Sub(now).Hours() / 24))
}

func expired(now time.Time, c *Certificate) bool { return !c.Expires.After(now) }

func expiring(now time.Time, c *Certificate, window int) bool {
	return !expired(now, c) && c.Expires.Sub(now) <= time.Duration(window)*24*time.Hour
}

func summarize(macs []Mac, now time.Time, window int) Summary {
	var s Summary
	for _, m := range macs {
		if !m.InScope {
			if m.Installed {
				s.OutOfScopeHolders++
			}
			continue
		}
		s.InScope++
		if m.Installed {
			s.Installed++
		}
		if m.Stale {
			s.Stale++
		}
		if m.Command != nil {
			switch m.Command.State {
			case StatePending, StateNotNow:
				s.Pending++
			case StateError, StateFormatError:
				s.Failed++
			}
		}
		if c := m.Certificate; c != nil {
			switch {
			case expired(now, c):
				s.Expired++
			case expiring(now, c, window):
				s.Expiring++
			}
			if c.Identity && !expired(now, c) && !m.Stale {
				s.WithCertificate++
			}
		}
	}
	if s.InScope > 0 {
		s.Coverage = math.Floor(1000*float64(s.WithCertificate)/float64(s.InScope)) / 10
	}
	return s
}

// isInstalled applies the package's matching rule for installed profiles:
// the PayloadIdentifier when both sides have one (a different identifier
// is another profile, or an older one Jamf replaced), else the Jamf id,
// else the display name of an entry without an id.
func isInstalled(ps []jamf.InstalledProfile, t Target) bool {
	id := strconv.Itoa(t.ID)
	for _, p := range ps {
		switch {
		case t.PayloadIdentifier != "" && p.ProfileIdentifier != "":
			if p.ProfileIdentifier == t.PayloadIdentifier {
				return true
			}
		case t.ID > 0 && p.ID == id:
			return true
		case p.ID == "" && t.Name != "" && p.DisplayName == t.Name:
			return true
		}
	}
	return false
}

// latestInstalls returns, per management id, the install command sent
// last.
func latestInstalls(cmds []jamf.MDMCommand) map[string]Command {
	out := map[string]Command{}
	sent := map[string]time.Time{}
	for _, c := range cmds {
		if !isInstallCommand(c.CommandType) {
			continue
		}
		k := c.Client.ManagementID
		if prev, ok := sent[k]; ok && !c.DateSent.After(prev) {
			continue
		}
		sent[k] = c.DateSent.Time
		cmd := Command{UUID: c.UUID, State: c.CommandState, Sent: c.DateSent.Time, Completed: c.DateCompleted.Time}
		if e := c.CommandError; e != nil {
			cmd.Error, cmd.ErrorDomain, cmd.ErrorCode = e.Description(), e.Domain, e.Code
		}
		out[k] = cmd
	}
	return out
}

// isInstallCommand accepts Jamf's INSTALL_PROFILE and the Apple request
// type spelling InstallProfile; an empty type (not reported) counts, since
// the query is already filtered by profile id.
func isInstallCommand(t string) bool {
	norm := strings.ToUpper(strings.ReplaceAll(t, "_", ""))
	return norm == "" || norm == "INSTALLPROFILE"
}

// String renders a one-line summary for humans.
func (s Summary) String() string {
	return fmt.Sprintf("%d in scope, %d with certificate (%.1f%%), %d pending, %d failed, %d expired, %d expiring, %d stale, %d out of scope still holding the profile",
		s.InScope, s.WithCertificate, s.Coverage, s.Pending, s.Failed, s.Expired, s.Expiring, s.Stale, s.OutOfScopeHolders)
}
