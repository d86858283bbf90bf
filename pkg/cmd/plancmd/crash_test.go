package plancmd

import (
	"context"
	"errors"
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/crash"
)

// TestForEachCarriesATenantPanic pins item 6 of issue 13 for the
// multi-tenant runner: a panic while planning one tenant reaches the
// goroutine that waits (where pkg/app reports it and exits 70) after the
// other tenants finish, instead of killing the process with exit 2.
func TestForEachCarriesATenantPanic(t *testing.T) {
	runs := []*tenantRun{{name: "a"}, {name: "b"}, {name: "c"}}
	got := func() (e *crash.Error) {
		defer func() { e, _ = recover().(*crash.Error) }()
		forEach(t.Context(), runs, 2, func(_ context.Context, r *tenantRun) {
			if r.name == "b" {
				var p *tenantRun
				_ = p.name // nil dereference
			}
			r.err = errDone
		})
		return nil
	}()
	if got == nil {
		t.Fatal("forEach did not carry the panic")
	}
	for _, r := range runs {
		if r.name != "b" && !errors.Is(r.err, errDone) {
			t.Errorf("tenant %s did not finish: %v", r.name, r.err)
		}
	}
}

var errDone = errors.New("done")
