//go:build !windows

package initcmd_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/jamf-scep/jamf-scep/pkg/app"
)

// childEnv makes the test binary run jamf-scep instead of the tests, so
// the end-to-end test drives the real entry point in a pseudo-terminal.
const childEnv = "JAMF_SCEP_INIT_PTY_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(app.Main(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// screen collects what the child draws.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitAfter waits until text is drawn after offset from; it returns
// where the screen ends then.
func (s *screen) waitAfter(t *testing.T, from int, text string) int {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if all := s.String(); strings.Contains(all[from:], text) {
			return len(all)
		}
	}
	t.Fatalf("the wizard never showed %q; screen:\n%s", text, s.String())
	return 0
}

// wizardTTY is one `jamf-scep init` running in a 120x40 pseudo-terminal,
// with its user config directory (the draft's home) in dir.
type wizardTTY struct {
	cmd  *exec.Cmd
	tty  *os.File
	scr  *screen
	mark int // where the screen stood when keys were last typed
}

func startWizard(t *testing.T, dir, path string, args ...string) *wizardTTY {
	t.Helper()
	return startWizardEnv(t, dir, path, nil, args...)
}

// startWizardEnv is startWizard with env added to the child's environment.
func startWizardEnv(t *testing.T, dir, path string, env []string, args ...string) *wizardTTY {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], append([]string{"init", "--config", path}, args...)...)
	cmd.Dir = dir
	// NO_COLOR counts when set at all, so it is left out rather than emptied.
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "NO_COLOR=") })
	cmd.Env = append(cmd.Env, childEnv+"=1", "TERM=xterm-256color", "CI=", "JAMF_SCEP_NO_PROMPT=", "JAMF_SCEP_ACCESSIBLE=", "ACCESSIBLE=",
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "HOME="+dir)
	cmd.Env = append(cmd.Env, env...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tty.Close() })
	w := &wizardTTY{cmd: cmd, tty: tty, scr: &screen{}}
	go func() { _, _ = ioCopy(w.scr, tty) }()
	return w
}

// keys waits for each text to be drawn after the previous keys were
// typed, then types its keys.
func (w *wizardTTY) keys(t *testing.T, steps ...[2]string) {
	t.Helper()
	for _, k := range steps {
		w.mark = w.scr.waitAfter(t, w.mark, k[0])
		if _, err := w.tty.Write([]byte(k[1])); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPseudoTerminal pins item 1 of issue 16 on the full-screen wizard:
// Esc leaves a list's filter and the wizard goes on to the next page;
// Ctrl-C once there are answers asks before leaving; "Go back" returns to
// the page, and a second Ctrl-C and "Leave" exit 130 with a draft kept.
// (The draft's content and resume are pinned in accessible mode:
// TestLeavingKeepsADraft.)
func TestPseudoTerminal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jamf-scep.yaml")
	w := startWizard(t, dir, path)
	w.keys(t,
		[2]string{"filter", "/"},
		[2]string{"/", "Stat"},
		[2]string{"Stat", "\x1b"},            // Esc: leaves the filter, not the wizard
		[2]string{"clear filter", "\r"},      // still in the wizard, the filter set
		[2]string{"ORG.okta.com", "\x03"},    // the next page; Ctrl-C asks first
		[2]string{"Leave the wizard?", "\r"}, // Go back (the default)
	)
	if strings.Contains(w.scr.String(), "canceled") {
		t.Errorf("Esc or Ctrl-C left the wizard without asking; screen:\n%s", w.scr.String())
	}
	w.keys(t,
		[2]string{"ORG.okta.com", "\x03"},          // back on the page; Ctrl-C again
		[2]string{"Leave the wizard?", "\x1b[D\r"}, // left to Leave, Enter
	)
	err := w.cmd.Wait()
	if code := w.cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit code %d (%v), want 130; screen:\n%s", code, err, w.scr.String())
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("config written (stat: %v)", err)
	}
	// os.UserConfigDir of the child: $XDG_CONFIG_HOME, or on macOS
	// ~/Library/Application Support.
	draft := filepath.Join(dir, "config", "jamf-scep", "init-draft.yaml")
	if runtime.GOOS == "darwin" {
		draft = filepath.Join(dir, "Library", "Application Support", "jamf-scep", "init-draft.yaml")
	}
	if _, err := os.Stat(draft); err != nil {
		t.Errorf("no draft kept: %v", err)
	}
}

// colorSGR matches an SGR escape that sets a foreground or background
// color (30-38, 40-48, 90-97, 100-107), as lipgloss draws huh's theme.
var colorSGR = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m`)

// TestNoColorReachesTheWizard pins item 4 of issue 16: --no-color, like
// NO_COLOR, draws the full-screen wizard without color; by default it
// has color (so the check can fail).
func TestNoColorReachesTheWizard(t *testing.T) {
	for _, tc := range []struct {
		name      string
		env, args []string
		wantColor bool
	}{
		{name: "default", wantColor: true},
		{name: "--no-color", args: []string{"--no-color"}},
		{name: "NO_COLOR", env: []string{"NO_COLOR=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each waits on termenv's unanswered terminal query
			dir := t.TempDir()
			w := startWizardEnv(t, dir, filepath.Join(dir, "jamf-scep.yaml"), tc.env, tc.args...)
			w.keys(t, [2]string{"filter", ""})
			_ = w.cmd.Process.Kill()
			_ = w.cmd.Wait()
			if got := colorSGR.FindString(w.scr.String()); (got != "") != tc.wantColor {
				t.Errorf("color escape %q, want color %v; screen:\n%q", got, tc.wantColor, w.scr.String())
			}
		})
	}
}

// ioCopy copies until the pty closes (EIO on Linux once the child exits).
func ioCopy(dst *screen, src *os.File) (int64, error) {
	var n int64
	buf := make([]byte, 4096)
	for {
		m, err := src.Read(buf)
		if m > 0 {
			_, _ = dst.Write(buf[:m])
			n += int64(m)
		}
		if err != nil {
			return n, err
		}
	}
}
