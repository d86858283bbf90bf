package rollout_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/rollout"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func TestForecastRenewals(t *testing.T) {
	mac := func(id int, expiresIn int, lastSeen time.Duration, cmd string) verify.Mac {
		m := verify.Mac{
			ID: id, Name: "MAC-" + string(rune('0'+id)), InScope: true,
			Certificate:   &verify.Certificate{Expires: now.Add(days(expiresIn))},
			LastInventory: now.Add(-lastSeen),
		}
		if cmd != "" {
			m.Command = &verify.Command{State: cmd, Sent: now.Add(-days(2))}
		}
		return m
	}
	r := &verify.Report{
		Now:     now,
		Profile: verify.Target{RedistributeDays: 30},
		Macs: []verify.Mac{
			mac(1, 3, time.Hour, ""),                                   // in the window, online: Jamf renews it
			mac(2, 10, days(9), ""),                                    // in the window, silent 9 days: at risk
			mac(3, 36, days(20), ""),                                   // window + margin (37 days), silent: at risk
			mac(4, 40, days(20), ""),                                   // beyond window + margin: not yet
			mac(5, 20, time.Hour, verify.StatePending),                 // pending while expiring: at risk
			mac(6, 200, time.Hour, verify.StateError),                  // failed install: at risk whatever the expiry
			mac(7, -1, time.Hour, ""),                                  // expired
			mac(8, 14, time.Hour, ""),                                  // renamed: see LongSubjects
			{ID: 9, InScope: false, LastInventory: now.Add(-days(99))}, // out of scope: ignored
		},
	}
	f := rollout.ForecastRenewals(rollout.ForecastInput{Report: r, LongSubjects: map[int]int{8: 71}})

	type risk struct {
		ID      int
		Reasons []string
	}
	var got []risk
	for _, x := range f.AtRisk {
		got = append(got, risk{x.ID, x.Reasons})
	}
	want := []risk{
		{7, []string{"certificate expired 2026-02-28"}},
		{2, []string{"certificate expires 2026-03-11 and the Mac last contacted Jamf Pro 9d ago"}},
		{8, []string{"its Subject would now be 71 characters, over the 64 limit (renamed?): the renewal would fail"}},
		{5, []string{"the latest install command is PENDING since 2026-02-27"}},
		{3, []string{"certificate expires 2026-04-06 and the Mac last contacted Jamf Pro 20d ago"}},
		{6, []string{"the latest install command failed (ERROR)"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AtRisk (-want +got):\n%s", diff)
	}

	// Weeks run to the last expiry (Mac 6, day 200): 29 rows.
	if len(f.Weeks) != 29 {
		t.Fatalf("len(Weeks) = %d, want 29", len(f.Weeks))
	}
	gotWeeks := make([][2]int, 3)
	for i := range gotWeeks {
		gotWeeks[i] = [2]int{f.Weeks[i].Expiring, f.Weeks[i].InWindow}
	}
	// Week 0 (days 0-7): Mac 1 expires; in the window some time that
	// week: 1, 2, 5, 8 and 3 (its window opens on day 6), not 4 (day 10).
	// Week 1 (days 7-14): Mac 2 expires; window: 2, 3, 4, 5, 8. Week 2
	// (days 14-21): 8 (day 14) and 5 (day 20) expire; window: 3, 4, 5 (8
	// expires as the week starts).
	wantWeeks := [][2]int{{1, 5}, {1, 5}, {2, 3}}
	if diff := cmp.Diff(wantWeeks, gotWeeks); diff != "" {
		t.Errorf("first weeks [expiring, inWindow] (-want +got):\n%s", diff)
	}
}
