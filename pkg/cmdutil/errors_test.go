package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/crash"
)

type codedByType struct{}

func (codedByType) Error() string { return "typed" }
func (codedByType) ExitCode() int { return ExitAuth }

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"plain", errors.New("boom"), ExitError},
		{"usage", UsageErrorf("bad %s", "flag"), ExitUsage},
		{"wrapped usage", fmt.Errorf("ctx: %w", UsageErrorf("bad")), ExitUsage},
		{"invalid flag value", InvalidFlagValue("key-size", "1024", "2048", "4096"), ExitUsage},
		{"cancel", ErrCancel, ExitCancelled},
		{"context canceled", fmt.Errorf("get: %w", context.Canceled), ExitCancelled},
		{"explicit code", WithExitCode(ExitChanges, nil), ExitChanges},
		{"explicit wins over usage", WithExitCode(ExitPartial, UsageErrorf("x")), ExitPartial},
		{"exit coder", fmt.Errorf("wrap: %w", codedByType{}), ExitAuth},
		{"silent", ErrSilent, ExitError},
		{"crash", fmt.Errorf("tenant a: %w", &crash.Error{Value: "x"}), ExitCrash},
		{"crash wins over an explicit code", WithExitCode(ExitPartial, &crash.Error{Value: "x"}), ExitCrash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestExitCodeHelpListsEveryCode(t *testing.T) {
	for _, code := range []int{ExitOK, ExitError, ExitChanges, ExitUsage, ExitAuth, ExitNotFound, ExitConflict, ExitPartial, ExitGateNotMet, ExitNothingLeft, ExitCrash, ExitCancelled} {
		if !strings.Contains(ExitCodeHelp, "\n  "+strconv.Itoa(code)+" ") {
			t.Errorf("ExitCodeHelp does not document exit code %d", code)
		}
	}
}

func TestInvalidFlagValueGrammar(t *testing.T) {
	got := InvalidFlagValue("key-size", "1024", "2048", "4096").Error()
	want := `invalid value "1024" for flag --key-size; options are 2048, 4096`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = RequiredFlags("when not running interactively", "yes").Error()
	if want := "--yes required when not running interactively"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
