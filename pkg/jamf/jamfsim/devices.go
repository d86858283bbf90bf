package jamfsim

import (
	"cmp"
	"slices"
	"time"
)

// Device is how a simulated Mac answers MDM in [Server.Deliver].
type Device int

// Device behaviours.
const (
	// DeviceOnline checks in, installs the profile and gets its
	// certificate; the default.
	DeviceOnline Device = iota
	// DeviceOffline never checks in: its install command stays PENDING and
	// its inventory ages.
	DeviceOffline
	// DeviceFailing checks in and fails the install (ERROR, the SCEP
	// server's invalid response).
	DeviceFailing
)

// device is a simulated Mac's MDM state.
type device struct {
	behaviour Device
	// issuedCN is the common name of the certificate Deliver last issued
	// it: Jamf redistributes by the certificate it issued, whatever the
	// Mac is called now.
	issuedCN string
}

// device returns computer id's state, creating it. s.mu must be held.
func (s *Server) device(id int) *device {
	if s.devices == nil {
		s.devices = map[int]*device{}
	}
	d := s.devices[id]
	if d == nil {
		d = &device{}
		s.devices[id] = d
	}
	return d
}

// SetDevice sets how computer id answers MDM from now on; it reports
// false if id is unknown.
func (s *Server) SetDevice(id int, d Device) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.computerByID(id) == nil {
		return false
	}
	s.device(id).behaviour = d
	return true
}

// Delivery says what one [Server.Deliver] round delivers.
type Delivery struct {
	// ProfileID is the profile to install.
	ProfileID int
	// CN returns the certificate common name Okta issues to a Mac (the
	// profile's Subject with the Mac's values); nil means the Mac's name.
	CN func(Computer) string
	// Lifetime is how long an issued certificate lasts; 0 means 365 days
	// (Okta's).
	Lifetime time.Duration
	// RedistributeDays is the profile's redistribution window: a Mac whose
	// certificate expires within it is sent the profile again; 0 means 30.
	RedistributeDays int
	// At is the round's time; zero means the server's clock (Options.Now).
	At time.Time
}

// Delivered counts what one Deliver round did.
type Delivered struct {
	// Sent counts the install commands sent this round.
	Sent int
	// Installed counts the Macs that installed the profile (and got a
	// fresh certificate) this round.
	Installed int
}

// Deliver plays one MDM round at the server's time for the profile's
// current scope, as Jamf Pro and the Macs would: a Mac in scope without
// the profile, or whose certificate is inside the redistribution window,
// is sent an INSTALL_PROFILE command unless one is already pending; then
// each Mac answers as its Device says. An online Mac acknowledges, gets
// the profile in its inventory and a fresh certificate (the old one with
// the same CN replaced); an offline Mac leaves the command PENDING; a
// failing one answers ERROR, and so does a Mac whose CN is over 64
// characters (the CA refuses the request). Every Mac in scope but an offline one checks
// in: its inventory time becomes now.
func (s *Server) Deliver(d Delivery) Delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out Delivered
	p := s.latestProfile(d.ProfileID)
	if p == nil {
		return out
	}
	now := d.At
	if now.IsZero() {
		now = s.now()
	}
	lifetime := cmp.Or(d.Lifetime, 365*24*time.Hour)
	window := time.Duration(cmp.Or(d.RedistributeDays, 30)) * 24 * time.Hour
	ident := topLevelString(p.Payloads, "PayloadIdentifier")
	for _, id := range s.effectiveScope(p.Scope) {
		c := s.computerByID(id)
		cn := c.Name
		if d.CN != nil {
			cn = d.CN(c.Computer)
		}
		dev := s.device(id)
		if dev.behaviour != DeviceOffline {
			c.LastInventory = now // it checks in
		}
		installed := slices.ContainsFunc(c.InstalledProfiles, func(ip InstalledProfile) bool { return ip.ID == d.ProfileID })
		due := !installed
		if i := slices.IndexFunc(c.Certificates, func(x Certificate) bool { return x.CommonName == dev.issuedCN }); i >= 0 && installed {
			due = !c.Certificates[i].ExpirationDate.After(now.Add(window))
		}
		if !due {
			continue
		}
		cmd := s.pendingInstall(c.ManagementID, d.ProfileID)
		if cmd == nil {
			s.addCommand(MDMCommand{ComputerID: id, ProfileID: d.ProfileID, State: CommandPending, Sent: now})
			cmd = s.commands[len(s.commands)-1]
			out.Sent++
		}
		switch {
		case dev.behaviour == DeviceOffline:
			continue
		case dev.behaviour == DeviceFailing, len(cn) > maxCN:
			cmd.State, cmd.Completed = CommandError, now
			cmd.ErrorText, cmd.ErrorDomain, cmd.ErrorCode = VerifyErrorText, VerifyErrorDomain, VerifyErrorCode
			continue
		}
		cmd.State, cmd.Completed = CommandAcknowledged, now
		c.InstalledProfiles = slices.DeleteFunc(c.InstalledProfiles, func(ip InstalledProfile) bool { return ip.ID == d.ProfileID })
		c.InstalledProfiles = append(c.InstalledProfiles, InstalledProfile{
			ID: d.ProfileID, DisplayName: p.Name, ProfileIdentifier: ident,
			Username: c.Username, LastInstalled: now, Removable: p.UserRemovable,
		})
		c.Certificates = slices.DeleteFunc(c.Certificates, func(x Certificate) bool { return x.CommonName == cn || x.CommonName == dev.issuedCN })
		dev.issuedCN = cn
		c.Certificates = append(c.Certificates, Certificate{
			CommonName: cn, SubjectName: "CN=" + cn, IssuedDate: now, ExpirationDate: now.Add(lifetime), Identity: true,
		})
		out.Installed++
	}
	return out
}

// maxCN is the longest common name the CA issues: RFC 5280's upper bound
// for a CN (ub-common-name, 64), which Okta enforces.
const maxCN = 64

// pendingInstall returns the computer's INSTALL_PROFILE command for the
// profile that is still PENDING or NOT_NOW, or nil.
func (s *Server) pendingInstall(managementID string, profileID int) *mdmCommand {
	for _, c := range s.commands {
		if c.managementID == managementID && c.ProfileID == profileID && c.Type == "INSTALL_PROFILE" &&
			(c.State == CommandPending || c.State == CommandNotNow) {
			return c
		}
	}
	return nil
}
