package verify

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const ident = "8D4C1B0E-5D0A-4F1E-9C55-0E4C7F6B2A11"

func ts(t time.Time) jamf.Timestamp { return jamf.Timestamp{Time: t} }

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func mustSubject(tb testing.TB, s string) profile.Subject {
	tb.Helper()
	sub, err := profile.ParseSubject(s)
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}

// mac is a computer with fresh inventory and nothing installed.
func mac(id int, name string) jamf.Computer {
	var c jamf.Computer
	c.ID = strconv.Itoa(id)
	c.UDID = fmt.Sprintf("00000000-0000-0000-0000-%012d", id)
	c.General.Name = name
	c.General.ManagementID = fmt.Sprintf("mgmt-%d", id)
	c.General.LastContact = ts(now.Add(-time.Hour))
	c.Hardware.SerialNumber = fmt.Sprintf("C02%09d", id)
	return c
}

func installed(c jamf.Computer) jamf.Computer {
	c.ConfigurationProfiles = append(c.ConfigurationProfiles, jamf.InstalledProfile{ID: "7", DisplayName: "Okta", ProfileIdentifier: ident})
	return c
}

func withCert(c jamf.Computer, cn string, expires time.Time, identity bool) jamf.Computer {
	c.Certificates = append(c.Certificates, jamf.Certificate{CommonName: cn, ExpirationDate: ts(expires), Identity: identity})
	return c
}

// okCN is the CN Jamf issues for computer c under "CN=$COMPUTERNAME ma $UDID".
func okCN(c jamf.Computer) string { return c.General.Name + " ma " + c.UDID }

func command(c jamf.Computer, state string, sent time.Time) jamf.MDMCommand {
	var m jamf.MDMCommand
	m.UUID = "cmd-" + c.ID + "-" + state
	m.Client.ManagementID = c.General.ManagementID
	m.CommandState = state
	m.CommandType = "INSTALL_PROFILE"
	m.DateSent = ts(sent)
	m.ProfileID = 7
	return m
}

func vars(c *jamf.Computer) map[string]string {
	return map[string]string{"COMPUTERNAME": c.General.Name, "UDID": c.UDID, "JSSID": c.ID}
}

func input(t *testing.T, cs []jamf.Computer, scope []int, cmds []jamf.MDMCommand) Input {
	t.Helper()
	return Input{
		Target: Target{
			ID: 7, Name: "Okta", PayloadIdentifier: ident,
			Subject: mustSubject(t, "CN=$COMPUTERNAME ma $UDID"), RedistributeDays: 30,
		},
		Computers:  cs,
		InScope:    scope,
		Commands:   cmds,
		Variables:  vars,
		Identifier: profile.DefaultDialect().ProfileIdentifier,
		Now:        now,
		StaleAfter: days(7),
	}
}

func TestComputeStatus(t *testing.T) {
	valid := now.Add(days(300))
	tests := []struct {
		name    string
		c       func(jamf.Computer) jamf.Computer
		inScope bool
		cmd     string // latest install command state, "" for none
		want    Status
		notes   []string
	}{
		{"ok", func(c jamf.Computer) jamf.Computer { return withCert(installed(c), okCN(c), valid, true) }, true, StateAcknowledged, StatusOK, nil},
		{"redistributed CN with the appended profile id", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c)+" 7", valid, true)
		}, true, "", StatusOK, nil},
		{"someone else's certificate does not match", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), "MAC-OTHER ma "+c.UDID, valid, true)
		}, true, "", StatusNoCertificate, []string{"profile installed, no certificate matches the Subject"}},
		{"a CN with extra words does not match", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c)+" two words", valid, true)
		}, true, "", StatusNoCertificate, []string{"profile installed, no certificate matches the Subject"}},
		{"pending", func(c jamf.Computer) jamf.Computer { return c }, true, StatePending, StatusPending, []string{"install command PENDING since 2026-02-28"}},
		{"not now", func(c jamf.Computer) jamf.Computer { return c }, true, StateNotNow, StatusPending, []string{"install command NOT_NOW since 2026-02-28"}},
		{"failed beats everything", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c), valid, true)
		}, true, StateError, StatusFailed, []string{"install command failed"}},
		{"expired", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c), now.Add(-days(2)), true)
		}, true, StateAcknowledged, StatusExpired, []string{"certificate expired 2026-02-27"}},
		{"expired with redistribution pending", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c), now.Add(-days(2)), true)
		}, true, StatePending, StatusExpired, []string{"certificate expired 2026-02-27", "install command PENDING"}},
		{"expiring inside the window", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c), now.Add(days(10)), true)
		}, true, "", StatusExpiring, []string{"certificate expires in 10 days (redistribution window 30)"}},
		{"just outside the window", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c), now.Add(days(31)), true)
		}, true, "", StatusOK, nil},
		{"no private key", func(c jamf.Computer) jamf.Computer {
			return withCert(installed(c), okCN(c), valid, false)
		}, true, "", StatusNoKey, []string{"certificate without its private key"}},
		{"identity preferred over a newer certificate without key", func(c jamf.Computer) jamf.Computer {
			c = withCert(installed(c), okCN(c), valid.Add(days(10)), false)
			return withCert(c, okCN(c), valid, true)
		}, true, "", StatusOK, nil},
		{
			"installed without certificate", installed, true, StateAcknowledged, StatusNoCertificate,
			[]string{"profile installed, no certificate matches the Subject"},
		},
		{
			"not installed, no command", func(c jamf.Computer) jamf.Computer { return c }, true, "", StatusNotInstalled,
			[]string{"profile not installed", "no install command"},
		},
		{"stale inventory is not trusted", func(c jamf.Computer) jamf.Computer {
			c.General.LastContact = ts(now.Add(-days(20)))
			return withCert(installed(c), okCN(c), valid, true)
		}, true, "", StatusStale, []string{"inventory 20 days old"}},
		{"stale and failed stays failed", func(c jamf.Computer) jamf.Computer {
			c.General.LastContact = ts(now.Add(-days(20)))
			return c
		}, true, StateError, StatusFailed, []string{"install command failed"}},
		{"no inventory time is stale", func(c jamf.Computer) jamf.Computer {
			c.General.LastContact = jamf.Timestamp{}
			return installed(c)
		}, true, "", StatusStale, []string{"no inventory time", "profile installed, no certificate matches the Subject"}},
		{
			"out of scope holder", func(c jamf.Computer) jamf.Computer { return withCert(installed(c), okCN(c), valid, true) }, false, "", StatusOutOfScope,
			[]string{"not in scope but still holds the profile"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c(mac(1, "MAC-0001"))
			var scope []int
			if tt.inScope {
				scope = []int{1}
			}
			cmds := []jamf.MDMCommand{}
			if tt.cmd != "" {
				// an older acknowledged command must not hide the latest
				cmds = append(cmds, command(c, StateAcknowledged, now.Add(-days(40))), command(c, tt.cmd, now.Add(-days(1))))
			}
			r := Compute(input(t, []jamf.Computer{c}, scope, cmds))
			if len(r.Macs) != 1 {
				t.Fatalf("got %d Macs, want 1", len(r.Macs))
			}
			got := r.Macs[0]
			if got.Status != tt.want {
				t.Errorf("status = %q, want %q", got.Status, tt.want)
			}
			if diff := cmp.Diff(tt.notes, got.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComputeSummaryAndOrder(t *testing.T) {
	valid := now.Add(days(300))
	var cs []jamf.Computer
	add := func(c jamf.Computer) jamf.Computer { cs = append(cs, c); return c }
	ok1 := add(withCert(installed(mac(1, "b-ok")), "b-ok ma "+mac(1, "").UDID, valid, true))
	add(withCert(installed(mac(2, "a-ok")), "a-ok ma "+mac(2, "").UDID, valid, true))
	pend := add(mac(3, "pending"))
	fail := add(mac(4, "failed"))
	add(withCert(installed(mac(5, "expiring")), "expiring ma "+mac(5, "").UDID, now.Add(days(5)), true))
	stale := mac(6, "stale")
	stale.General.LastContact = ts(now.Add(-days(9)))
	add(withCert(installed(stale), "stale ma "+stale.UDID, valid, true))
	add(withCert(installed(mac(7, "excluded")), "excluded ma "+mac(7, "").UDID, valid, true))
	add(mac(8, "unrelated")) // not in scope, not installed: not reported
	cmds := []jamf.MDMCommand{
		command(ok1, StateAcknowledged, now.Add(-days(30))),
		command(pend, StatePending, now.Add(-days(1))),
		command(fail, StateError, now.Add(-days(1))),
	}
	r := Compute(input(t, cs, []int{1, 2, 3, 4, 5, 6}, cmds))

	var order []string
	for _, m := range r.Macs {
		order = append(order, string(m.Status)+" "+m.Name)
	}
	wantOrder := []string{"failed failed", "stale stale", "pending pending", "expiring expiring", "out-of-scope excluded", "ok a-ok", "ok b-ok"}
	if diff := cmp.Diff(wantOrder, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	want := Summary{
		InScope: 6, Installed: 4, WithCertificate: 3, Pending: 1, Failed: 1,
		Expiring: 1, Stale: 1, OutOfScopeHolders: 1, Coverage: 50,
	}
	if diff := cmp.Diff(want, r.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestCoverageRoundsDown(t *testing.T) {
	valid := now.Add(days(300))
	var cs []jamf.Computer
	for i := 1; i <= 3; i++ {
		c := mac(i, fmt.Sprintf("MAC-%d", i))
		if i < 3 {
			c = withCert(installed(c), okCN(c), valid, true)
		}
		cs = append(cs, c)
	}
	r := Compute(input(t, cs, []int{1, 2, 3}, nil))
	if r.Summary.Coverage != 66.6 {
		t.Errorf("coverage = %v, want 66.6 (2 of 3, rounded down)", r.Summary.Coverage)
	}
	empty := Compute(input(t, nil, nil, nil))
	if empty.Summary.Coverage != 0 || len(empty.Macs) != 0 {
		t.Errorf("empty report = %+v, want coverage 0 and no Macs", empty.Summary)
	}
}

func TestIsInstalled(t *testing.T) {
	target := Target{ID: 7, Name: "Okta", PayloadIdentifier: ident}
	tests := []struct {
		name string
		p    jamf.InstalledProfile
		t    Target
		want bool
	}{
		{"identifier", jamf.InstalledProfile{ID: "99", ProfileIdentifier: ident}, target, true},
		{"other identifier, same id (replaced profile)", jamf.InstalledProfile{ID: "7", ProfileIdentifier: "OTHER"}, target, false},
		{"id when the entry has no identifier", jamf.InstalledProfile{ID: "7"}, target, true},
		{"id when the identifier is unknown", jamf.InstalledProfile{ID: "7", ProfileIdentifier: "X"}, Target{ID: 7, Name: "Okta"}, true},
		{"name when the entry has no id", jamf.InstalledProfile{DisplayName: "Okta"}, target, true},
		{"name does not override a different id", jamf.InstalledProfile{ID: "8", DisplayName: "Okta"}, target, false},
		{"nothing", jamf.InstalledProfile{ID: "8", DisplayName: "Wi-Fi", ProfileIdentifier: "W"}, target, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isInstalled([]jamf.InstalledProfile{tt.p}, tt.t); got != tt.want {
				t.Errorf("isInstalled = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCertificateMatching(t *testing.T) {
	rule := profile.DefaultDialect().ProfileIdentifier
	v := map[string]string{"COMPUTERNAME": "Büro (Mac)", "UDID": "U-1", "EMAIL": "a+b@example.com"}
	tests := []struct {
		template string
		rule     profile.IdentifierRule
		cert     jamf.Certificate
		want     bool
	}{
		{"CN=$COMPUTERNAME ma $UDID", rule, jamf.Certificate{CommonName: "Büro (Mac) ma U-1"}, true},
		{"CN=$COMPUTERNAME ma $UDID", rule, jamf.Certificate{CommonName: "Büro (Mac) ma U-1 1234"}, true},
		{"CN=$COMPUTERNAME ma $UDID", rule, jamf.Certificate{CommonName: "Büro (Mac) ma U-1 "}, false},
		{"CN=$COMPUTERNAME ma $UDID", rule, jamf.Certificate{CommonName: "Büro (Mac) ma U-2"}, false},
		{"CN=$COMPUTERNAME ma $UDID", profile.IdentifierRule{Placement: profile.PlacementNone}, jamf.Certificate{CommonName: "Büro (Mac) ma U-1 1234"}, false},
		{"CN=$EMAIL $PROFILE_IDENTIFIER", rule, jamf.Certificate{CommonName: "a+b@example.com 8D4C"}, true},
		{"CN=$EMAIL $PROFILE_IDENTIFIER", rule, jamf.Certificate{CommonName: "a+b@example.com"}, false},
		{"O=Acme,CN=$COMPUTERNAME", rule, jamf.Certificate{SubjectName: "O=Acme,CN=Büro (Mac)"}, true},
		{"O=Acme,CN=$COMPUTERNAME", rule, jamf.Certificate{SubjectName: "/O=Acme/CN=Büro (Mac) 12"}, true},
		{"CN=$UNKNOWN x", rule, jamf.Certificate{CommonName: "$UNKNOWN x"}, true},
		{"O=Acme", rule, jamf.Certificate{CommonName: "Acme"}, false},
	}
	for _, tt := range tests {
		name := tt.template + " ~ " + tt.cert.CommonName + tt.cert.SubjectName
		t.Run(name, func(t *testing.T) {
			m := newMatcher(mustSubject(t, tt.template), tt.rule)
			_, got := m.best([]jamf.Certificate{tt.cert}, v)
			if got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSubjectCN(t *testing.T) {
	for in, want := range map[string]string{
		"CN=MAC-1 ma X,O=Acme": "MAC-1 ma X",
		"O=Acme, CN=MAC-1":     "MAC-1",
		"/O=Acme/CN=MAC-1":     "MAC-1",
		"O=Acme":               "",
		"":                     "",
	} {
		if got := subjectCN(in); got != want {
			t.Errorf("subjectCN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDaysLeft(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want int
	}{{days(10), 10}, {days(10) - time.Minute, 9}, {-time.Hour, -1}, {0, 0}} {
		if got := daysLeft(now, now.Add(tt.d)); got != tt.want {
			t.Errorf("daysLeft(+%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	const n = 10000
	valid := now.Add(days(300))
	cs := make([]jamf.Computer, n)
	scope := make([]int, n)
	cmds := make([]jamf.MDMCommand, 0, n)
	for i := range n {
		c := mac(i+1, fmt.Sprintf("MAC-%05d", i+1))
		c.ConfigurationProfiles = []jamf.InstalledProfile{{ID: "3", ProfileIdentifier: "OTHER"}, {ID: "7", ProfileIdentifier: ident}}
		c.Certificates = []jamf.Certificate{{CommonName: "Apple root"}, {CommonName: okCN(c), ExpirationDate: ts(valid), Identity: true}}
		cs[i], scope[i] = c, i+1
		cmds = append(cmds, command(c, StateAcknowledged, now.Add(-days(3))))
	}
	in := Input{
		Target:    Target{ID: 7, Name: "Okta", PayloadIdentifier: ident, Subject: mustSubject(b, "CN=$COMPUTERNAME ma $UDID"), RedistributeDays: 30},
		Computers: cs, InScope: scope, Commands: cmds, Variables: vars,
		Identifier: profile.DefaultDialect().ProfileIdentifier, Now: now, StaleAfter: days(7),
	}
	b.ReportAllocs()
	for b.Loop() {
		r := Compute(in)
		if r.Summary.WithCertificate != n {
			b.Fatalf("with certificate = %d, want %d", r.Summary.WithCertificate, n)
		}
	}
}

// TestFailedCommandReason: a failed install shows Jamf's commandError
// (English description, else the localized one, with domain and code), and
// 11.30's COMMAND_FORMAT_ERROR counts as failed.
func TestFailedCommandReason(t *testing.T) {
	tests := []struct {
		name    string
		state   string
		err     *jamf.MDMCommandError
		notes   []string
		command Command
	}{
		{
			"English description with domain and code", StateError,
			&jamf.MDMCommandError{Code: 22013, Domain: "MCSCEPErrorDomain", EnglishDescription: "The SCEP server returned an invalid response.", LocalizedDescription: "Le serveur SCEP a renvoyé une réponse non valide."},
			[]string{"install command failed: The SCEP server returned an invalid response. (MCSCEPErrorDomain 22013)"},
			Command{State: StateError, Error: "The SCEP server returned an invalid response.", ErrorDomain: "MCSCEPErrorDomain", ErrorCode: 22013},
		},
		{
			"localized description when there is no English one", StateError,
			&jamf.MDMCommandError{LocalizedDescription: "Profile installation failed."},
			[]string{"install command failed: Profile installation failed."},
			Command{State: StateError, Error: "Profile installation failed."},
		},
		{
			"no commandError (Jamf Pro 11.23)", StateError, nil,
			[]string{"install command failed"},
			Command{State: StateError},
		},
		{
			"COMMAND_FORMAT_ERROR", StateFormatError, nil,
			[]string{"install command refused as malformed (COMMAND_FORMAT_ERROR)"},
			Command{State: StateFormatError},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mac(1, "MAC-0001")
			cmd := command(c, tt.state, now.Add(-days(1)))
			cmd.CommandError = tt.err
			r := Compute(input(t, []jamf.Computer{c}, []int{1}, []jamf.MDMCommand{cmd}))
			got := r.Macs[0]
			if got.Status != StatusFailed || r.Summary.Failed != 1 {
				t.Errorf("status %q, %d failed; want failed, 1", got.Status, r.Summary.Failed)
			}
			if diff := cmp.Diff(tt.notes, got.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			want := tt.command
			want.UUID, want.Sent = cmd.UUID, cmd.DateSent.Time
			if diff := cmp.Diff(&want, got.Command); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
		})
	}
}
