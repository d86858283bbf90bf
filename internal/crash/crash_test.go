package crash

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

func TestGroupCarriesAPanicToWait(t *testing.T) {
	var g Group
	var done atomic.Int32
	for i := range 4 {
		g.Go(func() {
			if i == 2 {
				_ = element(nil, 3) // a runtime error
			}
			done.Add(1)
		})
	}
	got := func() (e *Error) {
		defer func() { e, _ = recover().(*Error) }()
		g.Wait()
		return nil
	}()
	if got == nil {
		t.Fatal("Wait did not panic with an *Error")
	}
	if n := done.Load(); n != 3 {
		t.Errorf("%d goroutines finished, want the 3 that did not panic", n)
	}
	if !strings.Contains(got.Error(), "index out of range") || !strings.Contains(string(got.Stack), "crash_test.go") {
		t.Errorf("Error = %q, stack:\n%s", got.Error(), got.Stack)
	}
}

func TestGroupWithoutPanic(t *testing.T) {
	var g Group
	g.Go(func() {})
	g.Wait()
}

func TestRecover(t *testing.T) {
	err := func() (err error) {
		defer Recover(&err)
		panic("token=CANARY")
	}()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	// A non-runtime panic value may hold anything: only Detail shows it.
	if strings.Contains(err.Error(), "CANARY") || !strings.Contains(e.Detail(), "CANARY") {
		t.Errorf("Error() = %q; Detail() = %q", err.Error(), e.Detail())
	}
	if From(e) != e {
		t.Error("From does not keep an *Error as is")
	}
}

// element is s[i], a runtime error when i is out of range.
func element(s []int, i int) int { return s[i] }

// TestTasksKeepsEveryError: Wait returns every function's error (not only
// the first), GoIf(false) runs nothing, and a panic still reaches Wait.
func TestTasksKeepsEveryError(t *testing.T) {
	errA, errB := errors.New("groups: 403"), errors.New("buildings: 500")
	var tasks Tasks
	tasks.Go(func() error { return errA })
	tasks.Go(func() error { return nil })
	tasks.GoIf(true, func() error { return errB })
	tasks.GoIf(false, func() error { t.Error("GoIf(false) ran its function"); return nil })
	err := tasks.Wait()
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Errorf("Wait() = %v, want both %v and %v", err, errA, errB)
	}

	var none Tasks
	none.Go(func() error { return nil })
	if err := none.Wait(); err != nil {
		t.Errorf("Wait() with no failure = %v, want nil", err)
	}

	defer func() {
		if _, ok := recover().(*Error); !ok {
			t.Error("a panic in a task did not reach Wait as a *crash.Error")
		}
	}()
	var boom Tasks
	boom.Go(func() error { panic("boom") })
	_ = boom.Wait()
}
