package rollout

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// DefaultMargin is the at-risk margin when none is given: a week.
const DefaultMargin = 7 * 24 * time.Hour

// week is a forecast row's length.
const week = 7 * 24 * time.Hour

// maxWeeks caps the forecast at a year and a week: Okta's certificates
// last a year.
const maxWeeks = 53

// ForecastInput is what [ForecastRenewals] needs.
type ForecastInput struct {
	// Report is verify's report for the profile: each Mac's certificate
	// expiry, last inventory and latest install command; Report.Now is the
	// forecast's start and Report.Profile.RedistributeDays the window.
	Report *verify.Report
	// Margin widens the window for the at-risk checks: a Mac whose
	// certificate expires within window + Margin is at risk when it has
	// not contacted Jamf Pro for longer than Margin. 0 means DefaultMargin.
	Margin time.Duration
	// LongSubjects maps the Classic id of a Mac whose Subject, rendered
	// with its inventory today, would exceed the 64-character limit to
	// that length (fleet.Fleet.CheckSubject): its renewal would fail.
	LongSubjects map[int]int
}

// Forecast is the renewal outlook of one profile on one tenant.
type Forecast struct {
	Now        time.Time `json:"now"`
	WindowDays int       `json:"redistributeDays"`
	MarginDays int       `json:"marginDays"`
	// Weeks run from the week of Now to the week the last certificate
	// expires, at most 53.
	Weeks []Week `json:"weeks"`
	// AtRisk are the Macs in scope whose renewal needs attention, soonest
	// expiry first.
	AtRisk []Risk `json:"atRisk"`
}

// Week is one row of the forecast.
type Week struct {
	Start time.Time `json:"weekStart"`
	// Expiring counts certificates that expire during the week.
	Expiring int `json:"expiring"`
	// InWindow counts certificates inside their redistribution window at
	// some time in the week (Jamf redistributes to those Macs).
	InWindow int `json:"inWindow"`
}

// Risk is one Mac at risk of losing its certificate.
type Risk struct {
	ID      int       `json:"id"`
	Name    string    `json:"name"`
	Serial  string    `json:"serialNumber"`
	Expires time.Time `json:"expires,omitzero"`
	// Reasons say why, one phrase each.
	Reasons []string `json:"reasons"`
}

// ForecastRenewals counts expiring certificates per week and lists the Macs
// at risk: a certificate already expired; one expiring within the window
// plus the margin on a Mac silent for longer than the margin; a failed
// install command, or a pending one while the certificate is that close
// to expiry; a Subject that would now exceed 64 characters.
func ForecastRenewals(in ForecastInput) Forecast {
	r := in.Report
	margin := cmp.Or(in.Margin, DefaultMargin)
	window := time.Duration(r.Profile.RedistributeDays) * 24 * time.Hour
	f := Forecast{
		Now: r.Now, WindowDays: r.Profile.RedistributeDays, MarginDays: int(margin / (24 * time.Hour)),
		Weeks: []Week{}, AtRisk: []Risk{},
	}
	var last time.Time
	for _, m := range r.Macs {
		if m.InScope && m.Certificate != nil && m.Certificate.Expires.After(last) {
			last = m.Certificate.Expires
		}
	}
	for start := r.Now; !start.After(last) && len(f.Weeks) < maxWeeks; start = start.Add(week) {
		w := Week{Start: start}
		end := start.Add(week)
		for _, m := range r.Macs {
			if !m.InScope || m.Certificate == nil {
				continue
			}
			exp := m.Certificate.Expires
			if !exp.Before(start) && exp.Before(end) {
				w.Expiring++
			}
			if exp.Add(-window).Before(end) && exp.After(start) {
				w.InWindow++
			}
		}
		f.Weeks = append(f.Weeks, w)
	}
	for _, m := range r.Macs {
		if !m.InScope {
			continue
		}
		if reasons := risks(m, r.Now, window, margin, in.LongSubjects[m.ID]); len(reasons) > 0 {
			risk := Risk{ID: m.ID, Name: m.Name, Serial: m.Serial, Reasons: reasons}
			if m.Certificate != nil {
				risk.Expires = m.Certificate.Expires
			}
			f.AtRisk = append(f.AtRisk, risk)
		}
	}
	slices.SortFunc(f.AtRisk, func(a, b Risk) int {
		return cmp.Or(a.Expires.Compare(b.Expires), cmp.Compare(a.ID, b.ID))
	})
	return f
}

// risks returns why Mac m is at risk, or nothing.
func risks(m verify.Mac, now time.Time, window, margin time.Duration, longSubject int) []string {
	var out []string
	soon := false
	if c := m.Certificate; c != nil {
		left := c.Expires.Sub(now)
		soon = left <= window+margin
		switch {
		case left <= 0:
			out = append(out, "certificate expired "+c.Expires.Format(time.DateOnly))
		case soon && (m.LastInventory.IsZero() || now.Sub(m.LastInventory) > margin):
			seen := "never"
			if !m.LastInventory.IsZero() {
				seen = FormatDuration(now.Sub(m.LastInventory)) + " ago"
			}
			out = append(out, fmt.Sprintf("certificate expires %s and the Mac last contacted Jamf Pro %s",
				c.Expires.Format(time.DateOnly), seen))
		}
	}
	if c := m.Command; c != nil {
		switch c.State {
		case verify.StateError, verify.StateFormatError:
			out = append(out, "the latest install command failed ("+c.State+")")
		case verify.StatePending, verify.StateNotNow:
			if soon {
				out = append(out, fmt.Sprintf("the latest install command is %s since %s", c.State, c.Sent.Format(time.DateOnly)))
			}
		}
	}
	if longSubject > 0 {
		out = append(out, fmt.Sprintf("its Subject would now be %d characters, over the 64 limit (renamed?): the renewal would fail", longSubject))
	}
	return out
}
