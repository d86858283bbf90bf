package jamfsim

import (
	"fmt"
	"strings"
	"time"
)

// Names SeedVerifyScenario uses.
const (
	// VerifyProfileName is the scenario's SCEP profile.
	VerifyProfileName = "Okta Device Access"
	// VerifyProfileIdentifier is its stored top-level PayloadIdentifier
	// (and PayloadUUID), as Jamf sets them on create.
	VerifyProfileIdentifier = "8D4C1B0E-5D0A-4F1E-9C55-0E4C7F6B2A11"
	// VerifyGroup is the static group the profile is scoped to.
	VerifyGroup = "Okta Rollout"
	// VerifyErrorText is the failed Mac's MDM error description, with
	// VerifyErrorDomain and VerifyErrorCode its commandError domain and
	// code.
	VerifyErrorText   = "The SCEP server returned an invalid response."
	VerifyErrorDomain = "MCSCEPErrorDomain"
	VerifyErrorCode   = 22013
)

// VerifyScenario is what SeedVerifyScenario created.
type VerifyScenario struct {
	ProfileID int
	// Computers maps each scenario computer's name to its id.
	Computers map[string]int
}

// SeedVerifyScenario adds a small fleet around one Okta Device Access
// profile, for `jamf-scep verify` tests, with every time relative to now:
//
//   - MAC-OK-1: installed, certificate valid 300 more days, acknowledged;
//   - MAC-OK-2: installed, certificate CN with the profile id appended (as
//     after a redistribution), acknowledged;
//   - MAC-PENDING-1 / MAC-PENDING-2: install command PENDING / NOT_NOW;
//   - MAC-FAILED: install command ERROR with VerifyErrorText;
//   - MAC-EXPIRING: certificate expiring in 12 days (window 30);
//   - MAC-EXPIRED: certificate expired 3 days ago;
//   - MAC-STALE: installed with a valid certificate, inventory 21 days old;
//   - MAC-NEW: in scope, nothing installed, no command;
//   - MAC-EXCLUDED: excluded from the scope, still holds the profile and
//     its certificate;
//   - MAC-OTHER: outside the scope, nothing installed.
//
// The profile (Subject "CN=$COMPUTERNAME ma $UDID", redistribution 30 days
// per the default Jamf dialect) is scoped to the static group VerifyGroup
// (all but MAC-OTHER) with MAC-EXCLUDED excluded. UDIDs, serials and
// management ids are fixed, so reports are byte-for-byte reproducible.
func (s *Server) SeedVerifyScenario(now time.Time) VerifyScenario {
	day := 24 * time.Hour
	profileID := s.AddProfile(Profile{Name: VerifyProfileName, Payloads: verifyPlist})
	sc := VerifyScenario{ProfileID: profileID, Computers: map[string]int{}}
	type spec struct {
		name      string
		installed bool
		certIn    time.Duration // certificate expiry from now; 0: none
		cnSuffix  string
		state     string // latest install command; "": none
		inventory time.Duration
	}
	specs := []spec{
		{"MAC-OK-1", true, 300 * day, "", CommandAcknowledged, day},
		{"MAC-OK-2", true, 340 * day, fmt.Sprintf(" %d", profileID), CommandAcknowledged, 2 * day},
		{"MAC-PENDING-1", false, 0, "", CommandPending, day},
		{"MAC-PENDING-2", false, 0, "", CommandNotNow, day},
		{"MAC-FAILED", false, 0, "", CommandError, day},
		{"MAC-EXPIRING", true, 12 * day, "", CommandAcknowledged, day},
		{"MAC-EXPIRED", true, -3 * day, "", CommandAcknowledged, day},
		{"MAC-STALE", true, 200 * day, "", CommandAcknowledged, 21 * day},
		{"MAC-NEW", false, 0, "", "", day},
		{"MAC-EXCLUDED", true, 250 * day, "", CommandAcknowledged, day},
		{"MAC-OTHER", false, 0, "", "", day},
	}
	var group []int
	for i, sp := range specs {
		n := i + 1
		c := Computer{
			Name:          sp.name,
			UDID:          fmt.Sprintf("5E1F0000-0000-4000-8000-%012d", n),
			Serial:        fmt.Sprintf("C02VERIFY%03d", n),
			ManagementID:  fmt.Sprintf("a0000000-0000-4000-8000-%012d", n),
			Username:      strings.ToLower(sp.name),
			LastInventory: now.Add(-sp.inventory),
		}
		if sp.installed {
			c.InstalledProfiles = []InstalledProfile{{
				ID: profileID, DisplayName: VerifyProfileName, ProfileIdentifier: VerifyProfileIdentifier,
				LastInstalled: now.Add(-60 * day),
			}}
		}
		if sp.certIn != 0 {
			c.Certificates = []Certificate{
				{CommonName: "Apple Worldwide Developer Relations", ExpirationDate: now.Add(900 * day)},
				{
					CommonName: sp.name + " ma " + c.UDID + sp.cnSuffix, Identity: true,
					SerialNumber: fmt.Sprintf("%X", 0x1000+n), IssuedDate: now.Add(sp.certIn - 365*day),
					ExpirationDate: now.Add(sp.certIn),
				},
			}
		}
		id := s.AddComputer(c)
		sc.Computers[sp.name] = id
		if sp.name != "MAC-OTHER" {
			group = append(group, id)
		}
		if sp.state != "" {
			cmd := MDMCommand{UUID: fmt.Sprintf("C0000000-0000-4000-8000-%012d", n), ComputerID: id, ProfileID: profileID, State: sp.state, Sent: now.Add(-2 * day)}
			if sp.state == CommandAcknowledged || sp.state == CommandError {
				cmd.Completed = now.Add(-2*day + time.Minute)
			}
			if sp.state == CommandError {
				cmd.ErrorText, cmd.ErrorDomain, cmd.ErrorCode = VerifyErrorText, VerifyErrorDomain, VerifyErrorCode
			}
			if _, err := s.AddMDMCommand(cmd); err != nil {
				panic(err) // the computer was just added
			}
		}
	}
	gid := s.AddStaticGroup(VerifyGroup, group)
	s.mu.Lock()
	p := s.latestProfile(profileID)
	p.Scope = Scope{
		Targets:    Targets{ComputerGroups: []int{gid}},
		Exclusions: Targets{Computers: []int{sc.Computers["MAC-EXCLUDED"]}},
	}
	s.mu.Unlock()
	return sc
}

// verifyPlist is the scenario profile as Jamf stores it (dynamic
// challenge, no password).
const verifyPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
	<dict>
		<key>PayloadContent</key>
		<array>
			<dict>
				<key>PayloadContent</key>
				<dict>
					<key>AllowAllAppsAccess</key>
					<true/>
					<key>Challenge Type</key>
					<string>Dynamic-Microsoft CA</string>
					<key>Key Type</key>
					<string>RSA</string>
					<key>Key Usage</key>
					<integer>1</integer>
					<key>KeyIsExtractable</key>
					<false/>
					<key>Keysize</key>
					<integer>2048</integer>
					<key>Name</key>
					<string>Okta Device Access CA</string>
					<key>Redistribute Profile</key>
					<integer>30</integer>
					<key>Retries</key>
					<integer>3</integer>
					<key>RetryDelay</key>
					<integer>10</integer>
					<key>Subject</key>
					<array>
						<array>
							<array>
								<string>CN</string>
								<string>$COMPUTERNAME ma $UDID</string>
							</array>
						</array>
					</array>
					<key>URL</key>
					<string>https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d</string>
					<key>URL To SCEP Admin</key>
					<string>https://acme.okta.com/api/v1/certificateAuthorities/0123456789abcdef0123456789abcdef01234567/registrationAuthorities/rac1a2b3c4d/challenge</string>
					<key>Username</key>
					<string>okta-123456</string>
				</dict>
				<key>PayloadDisplayName</key>
				<string>SCEP</string>
				<key>PayloadIdentifier</key>
				<string>com.apple.security.scep.367BDD3F-958B-5BFD-8940-BEE3466C7D03</string>
				<key>PayloadType</key>
				<string>com.apple.security.scep</string>
				<key>PayloadUUID</key>
				<string>367BDD3F-958B-5BFD-8940-BEE3466C7D03</string>
				<key>PayloadVersion</key>
				<integer>1</integer>
			</dict>
		</array>
		<key>PayloadDescription</key>
		<string>Client certificate for Okta Device Access</string>
		<key>PayloadDisplayName</key>
		<string>Okta Device Access</string>
		<key>PayloadIdentifier</key>
		<string>8D4C1B0E-5D0A-4F1E-9C55-0E4C7F6B2A11</string>
		<key>PayloadScope</key>
		<string>System</string>
		<key>PayloadType</key>
		<string>Configuration</string>
		<key>PayloadUUID</key>
		<string>8D4C1B0E-5D0A-4F1E-9C55-0E4C7F6B2A11</string>
		<key>PayloadVersion</key>
		<integer>1</integer>
	</dict>
</plist>
`
