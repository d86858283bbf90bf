package verify

import (
	"fmt"
	"time"
)

// Status is a Mac's overall verification result: the worst of its
// findings. Statuses are listed worst first.
type Status string

// Statuses, worst first. The first five mean the Mac has no usable
// certificate and nothing is on the way; every status but ok needs
// attention.
const (
	// StatusFailed: the latest install command ended in ERROR.
	StatusFailed Status = "failed"
	// StatusExpired: the matching certificate has expired.
	StatusExpired Status = "expired"
	// StatusNoKey: a matching certificate without its private key
	// (identity false), which Okta Device Access cannot use.
	StatusNoKey Status = "no-key"
	// StatusNoCertificate: the profile is installed but no certificate
	// matches its Subject.
	StatusNoCertificate Status = "no-certificate"
	// StatusNotInstalled: in scope, the profile is not installed and no
	// install command is pending.
	StatusNotInstalled Status = "not-installed"
	// StatusStale: the inventory is too old to trust; what it says is in
	// the notes.
	StatusStale Status = "stale"
	// StatusPending: an install command is PENDING or NOT_NOW and the Mac
	// has no usable certificate yet.
	StatusPending Status = "pending"
	// StatusExpiring: the certificate expires inside the redistribution
	// window.
	StatusExpiring Status = "expiring"
	// StatusOutOfScope: outside the scope, the Mac still holds the profile.
	StatusOutOfScope Status = "out-of-scope"
	// StatusOK: installed, with a matching certificate and private key,
	// not expiring, inventory fresh.
	StatusOK Status = "ok"
)

var statusOrder = []Status{
	StatusFailed, StatusExpired, StatusNoKey, StatusNoCertificate, StatusNotInstalled,
	StatusStale, StatusPending, StatusExpiring, StatusOutOfScope, StatusOK,
}

func (s Status) rank() int {
	for i, x := range statusOrder {
		if x == s {
			return i
		}
	}
	return len(statusOrder)
}

// OK reports whether s needs no attention at all.
func (s Status) OK() bool { return s == StatusOK }

// classify sets m.Status and m.Notes. Inventory facts on a stale Mac are
// noted but the status is stale (only the command history, which is
// current, can still make it failed).
func classify(m *Mac, in Input) {
	now, window := in.Now, in.Target.RedistributeDays
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }

	state := ""
	if m.Command != nil {
		state = m.Command.State
	}
	cert := m.Certificate
	usable := cert != nil && cert.Identity && !expired(now, cert)

	var st Status
	switch {
	case !m.InScope:
		st = StatusOutOfScope
		note("not in scope but still holds the profile")
	case failed(state):
		st = StatusFailed
		what := "failed"
		if state == StateFormatError {
			what = "refused as malformed (COMMAND_FORMAT_ERROR)"
		}
		if reason := m.Command.errorText(); reason != "" {
			note("install command %s: %s", what, reason)
		} else {
			note("install command %s", what)
		}
	case cert != nil && expired(now, cert):
		st = StatusExpired
		note("certificate expired %s", cert.Expires.UTC().Format(time.DateOnly))
	case cert != nil && !cert.Identity:
		st = StatusNoKey
		note("certificate without its private key")
	case !usable && (state == StatePending || state == StateNotNow):
		st = StatusPending
		note("install command %s since %s", state, m.Command.Sent.UTC().Format(time.DateOnly))
	case m.Installed && cert == nil:
		st = StatusNoCertificate
		note("profile installed, no certificate matches the Subject")
	case !m.Installed && cert == nil:
		st = StatusNotInstalled
		note("profile not installed")
		if in.Commands != nil && m.Command == nil {
			note("no install command")
		}
	case expiring(now, cert, window):
		st = StatusExpiring
		note("certificate expires in %d days (redistribution window %d)", cert.DaysLeft, window)
	default:
		st = StatusOK
		if !m.Installed {
			note("certificate present, profile not in inventory")
		}
	}
	if st != StatusPending && (state == StatePending || state == StateNotNow) {
		note("install command %s", state)
	}
	if state != "" && !knownState(state) {
		note("install command state %q is not one Jamf documents", state)
	}
	if m.Stale && m.InScope && st != StatusFailed {
		switch {
		case m.futureInventory:
			notes = append([]string{fmt.Sprintf("inventory time %s is in the future", m.LastInventory.UTC().Format(time.RFC3339))}, notes...)
		case m.LastInventory.IsZero():
			notes = append([]string{"no inventory time"}, notes...)
		default:
			notes = append([]string{fmt.Sprintf("inventory %d days old", int(now.Sub(m.LastInventory).Hours()/24))}, notes...)
		}
		st = StatusStale
	}
	m.Status, m.Notes = st, notes
}
