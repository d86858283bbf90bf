package verifycmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/verify"
)

// TestVerifyAgainstCapture records verify against the simulator's verify
// scenario with --capture's jamf.Capture, pins that capture as
// testdata/capture (go test -update rewrites it), and replays the
// checked-in files: verify must report the same summary and the same
// statuses as against the live simulator, and the files must hold no
// secret and no real Mac name, serial or UDID.
func TestVerifyAgainstCapture(t *testing.T) {
	ctx := t.Context()
	sim := jamfsimtest.New(t, jamfsim.Options{
		Now:            func() time.Time { return scenarioNow },
		DisabledQuirks: jamfsim.QuirkReplicationLag,
	})
	sc := sim.SeedVerifyScenario(scenarioNow)
	q := verify.Query{ProfileID: sc.ProfileID, Now: scenarioNow, StaleAfter: 7 * 24 * time.Hour}

	dir := filepath.Join(t.TempDir(), "capture")
	cp, err := jamf.NewCapture(dir, testMasker)
	if err != nil {
		t.Fatal(err)
	}
	want := collectFrom(ctx, t, sim.URL(), q, jamf.WithCapture(cp))
	// Requests run concurrently, so file order and pseudonym numbers vary
	// between runs: -update replaces the pinned capture, and otherwise the
	// pinned one must hold the same exchanges (method and path) as this
	// run's.
	pinnedDir := filepath.Join("testdata", "capture")
	if golden.Updating() {
		if err := os.RemoveAll(pinnedDir); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(pinnedDir, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(exchanges(t, dir), exchanges(t, pinnedDir)); diff != "" {
		t.Errorf("exchanges of this run (-) and of testdata/capture (+); run go test -update if intended:\n%s", diff)
	}
	// The capture is private: the directory 0700, each file 0600.
	written, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range append(written, dir) {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]os.FileMode{true: 0o700, false: 0o600}[fi.IsDir()]; fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", f, fi.Mode().Perm(), want)
		}
	}
	pinned, _ := filepath.Glob(filepath.Join(pinnedDir, "*.json"))

	// Nothing secret or identifying was written.
	forbidden := []string{jamfsim.DefaultClientSecret, "Bearer ey"}
	for _, m := range want.Macs {
		forbidden = append(forbidden, m.Name, m.Serial)
	}
	for name, id := range sc.Computers {
		c, _ := sim.Computer(id)
		forbidden = append(forbidden, name, c.UDID, c.Serial)
	}
	for _, f := range pinned {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range forbidden {
			if s != "" && strings.Contains(string(data), s) {
				t.Errorf("%s holds %q", f, s)
			}
		}
	}

	replay := jamfsimtest.NewReplay(t, filepath.Join("testdata", "capture"))
	got := collectFrom(ctx, t, replay.URL(), q)
	if missed := replay.Missed(); len(missed) > 0 {
		t.Errorf("the replay had no answer for %v", missed)
	}
	if diff := cmp.Diff(want.Summary, got.Summary); diff != "" {
		t.Errorf("summary against the replay (-live +replay):\n%s", diff)
	}
	if diff := cmp.Diff(statuses(want), statuses(got)); diff != "" {
		t.Errorf("statuses against the replay (-live +replay):\n%s", diff)
	}
	for _, m := range got.Macs {
		if !strings.HasPrefix(m.Name, "Mac-") || !strings.HasPrefix(m.Serial, "SERIAL") {
			t.Errorf("replayed Mac %d is %q serial %q, want pseudonyms", m.ID, m.Name, m.Serial)
		}
	}
}

func collectFrom(ctx context.Context, t *testing.T, url string, q verify.Query, opts ...jamf.Option) *verify.Report {
	t.Helper()
	c, err := jamf.New(url, jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret), opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close(context.WithoutCancel(ctx)) }()
	r, err := verify.Collect(ctx, c, q)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// statuses lists each Mac's id, status and scope, in id order.
func statuses(r *verify.Report) []string {
	var out []string
	for _, m := range r.Macs {
		out = append(out, fmt.Sprintf("%d %s in scope %t", m.ID, m.Status, m.InScope))
	}
	slices.Sort(out)
	return out
}

// exchanges returns "METHOD PATH" of every file of a capture, sorted.
func exchanges(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no capture files in %s (%v)", dir, err)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ex jamf.CapturedExchange
		if err := json.Unmarshal(data, &ex); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, ex.Method+" "+ex.Path)
	}
	slices.Sort(out)
	return out
}

// testMasker is what the root command gives a capture: pkg/profile's one
// secret rule for stored plists.
var testMasker = profile.CapturePlistMasker(profile.NewSecretRule(nil))
