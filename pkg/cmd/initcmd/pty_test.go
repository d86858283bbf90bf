//go:build !windows

package initcmd_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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

// waitFor waits until the screen shows text. The deadline only stops a
// hung child; it is not what the test asserts.
func (s *screen) waitFor(t *testing.T, text string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(s.String(), text) {
			return
		}
	}
	t.Fatalf("the wizard never showed %q; screen:\n%s", text, s.String())
}

// TestPseudoTerminal types through the first page of the full-screen
// wizard with an arrow key and enter, fills the SCEP URL, then presses Esc: the exit status is
// the cancel code and no config file is written.
func TestPseudoTerminal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jamf-scep.yaml")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "init", "--config", path)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childEnv+"=1", "TERM=xterm-256color", "CI=", "JAMF_SCEP_NO_PROMPT=", "JAMF_SCEP_ACCESSIBLE=")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var scr screen
	go func() { _, _ = ioCopy(&scr, tty) }()

	type key struct{ wait, send string }
	for _, k := range []key{
		{"Challenge type", "\x1b[B"}, // arrow down: Static
		{"Static", "\r"},
		{"SCEP URL", "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1a2b3c4d\r"},
		{"Static challenge", "\x1b"}, // Esc cancels
	} {
		scr.waitFor(t, k.wait)
		if _, err := tty.Write([]byte(k.send)); err != nil {
			t.Fatal(err)
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit = %v, want status 130; screen:\n%s", err, scr.String())
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("config written on cancel (stat: %v)", err)
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
