package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// recordRegion is a LiveRegion recording each draw as one line of text.
type recordRegion struct{ buf *bytes.Buffer }

func (r recordRegion) Draw(above string, lines []string) {
	fmt.Fprintf(r.buf, "[draw above=%q %q]\n", above, lines)
}
func (r recordRegion) Reset() { r.buf.WriteString("[reset]\n") }

func TestTextProgress(t *testing.T) {
	tests := []struct {
		name    string
		tty     bool
		tenants []string
		want    string
	}{
		{
			name: "plain lines when stderr is not a terminal", tenants: []string{"a", "b"},
			want: "a: find profile...\nb: find profile...\na: boom\na: write...\n",
		},
		{
			name: "plain lines for one tenant on a terminal", tty: true, tenants: []string{"a"},
			want: "[reset]\na: find profile...\na: boom\na: write...\n",
		},
		{
			name: "live block for several tenants on a terminal", tty: true, tenants: []string{"a", "b"},
			want: "[reset]\n" +
				`[draw above="" ["a: find profile..." "b: waiting"]]` + "\n" +
				`[draw above="" ["a: find profile..." "b: find profile..."]]` + "\n" +
				`[draw above="a: boom\n" ["a: find profile..." "b: find profile..."]]` + "\n" +
				`[draw above="" ["a: write..." "b: find profile..."]]` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var region LiveRegion
			if tt.tty {
				region = recordRegion{&buf}
			}
			ev := NewTextProgress(&buf, region)
			ev.Phase(tt.tenants)
			ev.Step("a", "find profile")
			if len(tt.tenants) > 1 {
				ev.Step("b", "find profile")
			}
			ev.Warn("a", "boom")
			ev.Step("a", "write")
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
		})
	}
}

// TestResultErr pins the run's classification: one tenant's failure keeps
// its kind (and the tenant's name), several give partial or all-failed.
func TestResultErr(t *testing.T) {
	down := errors.New("down")
	tests := []struct {
		name    string
		tenants []*Tenant
		want    Kind
		wantNil bool
	}{
		{name: "all succeeded", tenants: []*Tenant{{Name: "a"}, {Name: "b"}}, wantNil: true},
		{name: "some of several failed", tenants: []*Tenant{{Name: "a"}, {Name: "b", Err: down}}, want: KindPartial},
		{name: "all of several failed", tenants: []*Tenant{{Name: "a", Err: down}, {Name: "b", Err: down}}, want: KindFailed},
		{name: "one tenant, 401", tenants: []*Tenant{{Name: "a", Err: jamf.ErrUnauthorized}}, want: KindAuth},
		{name: "one tenant, not found", tenants: []*Tenant{{Name: "a", Err: jamf.ErrNotFound}}, want: KindNotFound},
		{name: "one tenant, bad input", tenants: []*Tenant{{Name: "a", Err: &InputError{Err: down}}}, want: KindInput},
		{name: "one tenant, canceled before a write", tenants: []*Tenant{{Name: "a", Err: context.Canceled}}, want: KindCanceled},
		{name: "one tenant, other failure", tenants: []*Tenant{{Name: "a", Err: down}}, want: KindFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&Result{Tenants: tt.tenants}).Err()
			if tt.wantNil {
				if err != nil {
					t.Fatalf("Err() = %v, want nil", err)
				}
				return
			}
			var ee *Error
			if !errors.As(err, &ee) {
				t.Fatalf("Err() = %v (%T), want *Error", err, err)
			}
			if ee.Kind != tt.want {
				t.Errorf("kind %d, want %d (%v)", ee.Kind, tt.want, err)
			}
		})
	}
}

// TestDescribeUsesTheOneAdvice pins that a tenant's 401 or 403 carries the
// same advice every command gives (jamf.Advice), not a wording of its own.
func TestDescribeUsesTheOneAdvice(t *testing.T) {
	for _, err := range []error{jamf.ErrUnauthorized, &jamf.Error{Method: "GET", Path: "api/v4/computers-inventory", StatusCode: 403}} {
		if got, want := Describe(err), err.Error()+"; "+jamf.Advice(err); got != want {
			t.Errorf("Describe = %q, want %q", got, want)
		}
	}
}

// TestTextProgressCountsOnlyOnATerminal pins that counts never reach piped
// output (one plain line per step there), and that on a terminal a lone
// count line is replaced by the next event.
func TestTextProgressCountsOnlyOnATerminal(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		want string
	}{
		{name: "piped", want: "a: resolve scope...\na: compute plan...\n"},
		{
			name: "terminal, one tenant", tty: true,
			want: "[reset]\na: resolve scope...\n" +
				`[draw above="" ["a: resolve scope: 2000 of 5000 Macs"]]` + "\n" +
				`[draw above="a: compute plan...\n" []]` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var region LiveRegion
			if tt.tty {
				region = recordRegion{&buf}
			}
			ev := NewTextProgress(&buf, region)
			ev.Phase([]string{"a"})
			ev.Step("a", "resolve scope")
			ev.Count("a", "resolve scope", 2000, 5000)
			ev.Step("a", "compute plan")
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
		})
	}
}
