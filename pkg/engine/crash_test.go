package engine

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
	runs := []*Tenant{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	got := func() (e *crash.Error) {
		defer func() { e, _ = recover().(*crash.Error) }()
		forEach(t.Context(), runs, 2, func(_ context.Context, r *Tenant) {
			if r.Name == "b" {
				var p *Tenant
				_ = p.Name // nil dereference
			}
			r.Err = errDone
		})
		return nil
	}()
	if got == nil {
		t.Fatal("forEach did not carry the panic")
	}
	for _, r := range runs {
		if r.Name != "b" && !errors.Is(r.Err, errDone) {
			t.Errorf("tenant %s did not finish: %v", r.Name, r.Err)
		}
	}
}

var errDone = errors.New("done")
