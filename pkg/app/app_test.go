package app

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil/cmdtest"
)

// TestCrashReport pins item 6 of issue 13: a panic, in the main goroutine
// or in one jamf-scep starts, exits cmdutil.ExitCrash (never 0, nor 2,
// which --detailed-exitcode reads as "changes pending") with a short
// report: version, command, how to file it, and no secret.
func TestCrashReport(t *testing.T) {
	tests := []struct {
		name     string
		panicker func()
		debug    bool
		want     []string
		wantNot  []string
	}{
		{
			name:     "runtime error in the main goroutine",
			panicker: func() { _ = element(nil, 3) },
			want:     []string{"jamf-scep crashed: internal error: runtime error: index out of range [3] with length 0", IssuesURL, "version: jamf-scep ", "command: jamf-scep plan --all --config --detailed-exitcode", "rerun with --debug"},
			wantNot:  []string{"secret-path.yaml", "goroutine "},
		},
		{
			name: "panic in a goroutine of the multi-tenant runner",
			panicker: func() {
				var g crash.Group
				g.Go(func() {})
				g.Go(func() { panic("token CANARY-1") })
				g.Wait()
			},
			want:    []string{"jamf-scep crashed: internal error: panic with a string value", IssuesURL},
			wantNot: []string{"CANARY"},
		},
		{
			name:     "with --debug the value and the stack show",
			panicker: func() { panic("CANARY-2") },
			debug:    true, // as --debug parsed before the crash
			want:     []string{"panic: CANARY-2", "goroutine ", "app_test.go"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, s := cmdtest.Factory(nil)
			testHookExecute = func() {
				f.Globals.Debug = tt.debug
				tt.panicker()
			}
			t.Cleanup(func() { testHookExecute = nil })
			code := Run(t.Context(), f, []string{"plan", "--all", "--config", "secret-path.yaml", "--detailed-exitcode"})
			if code != cmdutil.ExitCrash {
				t.Errorf("exit code = %d, want %d", code, cmdutil.ExitCrash)
			}
			out := s.ErrOut.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out, w) {
					t.Errorf("report holds %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestSecondSignalExits pins the second half of item 10 of issue 13: the
// first SIGINT or SIGTERM cancels the run; the second exits at once with
// 130, even when the run is blocked where cancellation cannot reach.
func TestSecondSignalExits(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	done := make(chan struct{})
	exited := make(chan int, 1)
	var canceled atomic.Bool
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	f, s := cmdtest.Factory(nil)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		watchSignals(sigs, done, func() { canceled.Store(true); cancel() }, f.IOStreams.ErrOut, func(code int) { exited <- code })
	}()
	sigs <- os.Interrupt
	<-ctx.Done() // the first signal cancels
	if !canceled.Load() {
		t.Fatal("the first signal did not cancel")
	}
	sigs <- syscall.SIGTERM
	if code := <-exited; code != cmdutil.ExitCancelled {
		t.Errorf("exit code = %d, want %d", code, cmdutil.ExitCancelled)
	}
	<-returned
	if out := s.ErrOut.String(); !strings.Contains(out, "press Ctrl-C again to quit at once") {
		t.Errorf("stderr = %q", out)
	}
}

// TestSignalWatcherStopsWithTheRun checks that the watcher ends when the
// run does, without a signal.
func TestSignalWatcherStopsWithTheRun(t *testing.T) {
	done := make(chan struct{})
	close(done)
	f, _ := cmdtest.Factory(nil)
	watchSignals(make(chan os.Signal), done, func() { t.Error("canceled without a signal") }, f.IOStreams.ErrOut, func(int) { t.Error("exited") })
}

// element is s[i], a runtime error when i is out of range.
func element(s []int, i int) int { return s[i] }

// TestPrintErrorEscapesServerText pins QA report 2, item 12 for errors:
// an error carries text from Jamf Pro or Okta (a group name in "did you
// mean", a server message), so it reaches the terminal with control and
// bidi characters escaped; its lines stay lines.
func TestPrintErrorEscapesServerText(t *testing.T) {
	var b strings.Builder
	printError(&b, errors.New("group \x1b]0;PWNED\x07\u202e not found\n  second line"), "jamf-scep plan")
	want := "error: group \\x1b]0;PWNED\\x07\\u202e not found\n  second line\n"
	if got := b.String(); got != want {
		t.Errorf("printError = %q, want %q", got, want)
	}
}
