package plan

import (
	"context"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/jamf-scep/jamf-scep/internal/crash"
)

// Together is steps that do not depend on each other, run at the same
// time: each must write only its own fields of State. The first failure
// cancels the others and is returned as a *StepError naming its step.
type Together []Step

func (t Together) String() string {
	names := make([]string, len(t))
	for i, s := range t {
		names[i] = s.String()
	}
	return strings.Join(names, ", ")
}

// Run implements Step.
func (t Together) Run(ctx context.Context, st *State) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range t {
		g.Go(func() (err error) {
			defer crash.Recover(&err)
			if err := s.Run(ctx, st); err != nil {
				return &StepError{Step: s.String(), Err: err}
			}
			return nil
		})
	}
	return g.Wait()
}

// ApplySteps are the steps `apply` runs after PlanSteps and confirmation:
// one write (nothing when the plan has no changes) and one read-back.
func ApplySteps() []Step {
	return []Step{Write{}, ReadBack{}}
}
