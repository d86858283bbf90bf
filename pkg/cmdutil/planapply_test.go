package cmdutil

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/engine"
)

func TestPlanApplyOptionsValidate(t *testing.T) {
	tests := []struct {
		opts PlanApplyOptions
		want string
	}{
		{PlanApplyOptions{Parallel: 1, Redeploy: "everything"}, `invalid value "everything" for flag --redeploy; options are newly-assigned, all`},
		{PlanApplyOptions{Parallel: 0, Redeploy: RedeployAll}, `invalid value "0" for flag --parallel`},
		{PlanApplyOptions{Parallel: 1, Redeploy: RedeployAll, ProfileID: -1}, `invalid value "-1" for flag --profile-id`},
	}
	for _, tt := range tests {
		err := tt.opts.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want %q", tt.opts, err, tt.want)
		}
		if ExitCode(err) != ExitUsage {
			t.Errorf("exit code %d, want %d", ExitCode(err), ExitUsage)
		}
	}
}

// TestEngineError pins the exit code of every kind of engine failure.
func TestEngineError(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		err  error
		want int
	}{
		{&engine.InputError{Err: boom}, ExitUsage},
		{&engine.Error{Kind: engine.KindInput, Err: boom}, ExitUsage},
		{&engine.Error{Kind: engine.KindAuth, Err: boom}, ExitAuth},
		{&engine.Error{Kind: engine.KindNotFound, Err: boom}, ExitNotFound},
		{&engine.Error{Kind: engine.KindConflict, Err: boom}, ExitConflict},
		{&engine.Error{Kind: engine.KindCanceled, Err: context.Canceled}, ExitCancelled},
		{&engine.Error{Kind: engine.KindInterrupted, Err: boom}, ExitCancelled},
		{&engine.Error{Kind: engine.KindPartial, Err: boom}, ExitPartial},
		{&engine.Error{Kind: engine.KindFailed, Err: boom}, ExitError},
		{ErrCancel, ExitCancelled},
	}
	for _, tt := range tests {
		if got := ExitCode(EngineError(tt.err)); got != tt.want {
			t.Errorf("ExitCode(EngineError(%#v)) = %d, want %d", tt.err, got, tt.want)
		}
	}
	var ue *UsageError
	if !errors.As(EngineError(&engine.InputError{Err: boom}), &ue) {
		t.Error("an InputError is not a UsageError (no usage hint would be printed)")
	}
}
