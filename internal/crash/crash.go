// Package crash carries a panic from wherever it happens to the one place
// that reports it (pkg/app): a goroutine's panic cannot be recovered by
// another goroutine, and an unrecovered one makes the Go runtime exit 2,
// which `plan --detailed-exitcode` defines as "changes pending".
//
// A goroutine jamf-scep starts runs under [Group] (which panics again in
// the goroutine that waits) or recovers with [Recover] into an error; the
// command layer maps an *Error to its own exit code, and pkg/app prints a
// short report with how to file the bug.
package crash

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Error is a recovered panic: its value and the stack of the goroutine
// that panicked.
type Error struct {
	Value any
	Stack []byte
}

// Error names the panic without its value when the value is not a runtime
// error: a panic value is arbitrary data that may hold something private,
// so only Detail shows it (for --debug).
func (e *Error) Error() string {
	if re, ok := e.Value.(runtime.Error); ok {
		return "internal error: " + re.Error()
	}
	return fmt.Sprintf("internal error: panic with a %T value", e.Value)
}

// Detail is the panic value and the stack, for a --debug report.
func (e *Error) Detail() string {
	return fmt.Sprintf("panic: %v\n\n%s", e.Value, e.Stack)
}

// From converts a value returned by recover() into an *Error, keeping the
// original stack when the value already is one (a panic carried across
// goroutines). It must be called in the deferred function that recovered,
// so that the stack is the panicking goroutine's.
func From(r any) *Error {
	if e, ok := r.(*Error); ok {
		return e
	}
	return &Error{Value: r, Stack: debug.Stack()}
}

// Recover turns a panic in the calling goroutine, when deferred there,
// into an *Error stored in *errp (a goroutine that reports through a channel or a
// result slot). It does nothing when there is no panic.
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = From(r)
	}
}

// Group runs goroutines like sync.WaitGroup.Go; a panic in any of them is
// recovered there and, once all have finished, Wait panics again with the
// first one as an *Error in the waiting goroutine, where pkg/app reports
// it. The other goroutines finish normally.
type Group struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	first *Error
}

// Go runs fn in a new goroutine of g.
func (g *Group) Go(fn func()) {
	g.wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				e := From(r)
				g.mu.Lock()
				if g.first == nil {
					g.first = e
				}
				g.mu.Unlock()
			}
		}()
		fn()
	})
}

// Wait waits for every goroutine of g, then panics with the first
// recovered *Error, if any.
func (g *Group) Wait() {
	g.wg.Wait()
	g.mu.Lock()
	first := g.first
	g.mu.Unlock()
	if first != nil {
		panic(first)
	}
}

// Tasks runs functions that return an error concurrently, like Group (a
// panic is carried to Wait), and keeps every error: the shape of the
// client's and the core's independent reads, where each failure should be
// reported, not only the first.
type Tasks struct {
	g    Group
	mu   sync.Mutex
	errs []error
}

// Go runs fn in a new goroutine of t and keeps its error.
func (t *Tasks) Go(fn func() error) {
	t.g.Go(func() {
		if err := fn(); err != nil {
			t.mu.Lock()
			t.errs = append(t.errs, err)
			t.mu.Unlock()
		}
	})
}

// GoIf is Go when want is true, else nothing: reads that only some runs
// need.
func (t *Tasks) GoIf(want bool, fn func() error) {
	if want {
		t.Go(fn)
	}
}

// Wait waits for every function of t (panicking again with the first
// recovered panic, as Group.Wait does) and returns their errors joined, in
// the order they happened; nil when none failed.
func (t *Tasks) Wait() error {
	t.g.Wait()
	t.mu.Lock()
	defer t.mu.Unlock()
	return errors.Join(t.errs...)
}
