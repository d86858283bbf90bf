package doctor

import (
	"context"
	"crypto/x509/pkix"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

func pass(context.Context) []check.Result { return []check.Result{{Status: check.Pass, Message: "ok"}} }

func fail(context.Context) []check.Result {
	return []check.Result{{Status: check.Fail, Message: "bad"}}
}

func TestRunOrderGatesAndPanics(t *testing.T) {
	groups := []Group{
		{Name: "a", Checks: []Check{
			{Name: "a1", Gate: true, Run: fail},
			{Name: "a2", Run: pass},
		}},
		{Name: "b", Checks: []Check{
			{Name: "b1", Run: fail}, // not a gate: b2 still runs
			{Name: "b2", Run: func(context.Context) []check.Result { panic("boom") }},
			{Name: "b3", Run: pass},
		}},
	}
	var cleaned bool
	groups[1].Cleanup = func(context.Context) { cleaned = true }
	got := Run(t.Context(), groups, RunOptions{Concurrency: 2, Timeout: time.Second})
	var summary []string
	for _, r := range got {
		summary = append(summary, r.Check+"="+r.Status.String())
	}
	want := []string{"a1=fail", "a2=skip", "b1=fail", "b2=fail", "b3=pass"}
	if diff := cmp.Diff(want, summary); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if !strings.Contains(got[1].Message, "a1 failed") {
		t.Errorf("skip message %q does not name the failed gate", got[1].Message)
	}
	if !cleaned {
		t.Error("Cleanup did not run")
	}
	// The crashed check carries the crash, so doctor exits 70 after
	// printing every result.
	if ce := (*crash.Error)(nil); !errors.As(got[3].Err, &ce) || strings.Contains(got[3].Message, "boom") {
		t.Errorf("b2 = %+v, want a *crash.Error that hides the panic value", got[3])
	}
}

func TestWorst(t *testing.T) {
	tests := []struct {
		in   []check.Status
		want check.Status
	}{
		{nil, check.Pass},
		{[]check.Status{check.Pass, check.Skip}, check.Pass},
		{[]check.Status{check.Pass, check.Info}, check.Info},
		{[]check.Status{check.Info, check.Warn, check.Pass}, check.Warn},
		{[]check.Status{check.Warn, check.Fail, check.Info}, check.Fail},
		{[]check.Status{check.Pass, 0}, check.Fail}, // the zero check.Status is never good news
	}
	for _, tt := range tests {
		var rs []check.Result
		for _, s := range tt.in {
			rs = append(rs, check.Result{Status: s})
		}
		if got := Worst(rs); got != tt.want {
			t.Errorf("Worst(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestJudgeSkew(t *testing.T) {
	tests := []struct {
		skew time.Duration
		want check.Status
		msg  string
	}{
		{0, check.Pass, "within a second"},
		{4 * time.Minute, check.Pass, "4m0s ahead of"},
		{-SkewLimit, check.Pass, "behind"},
		{SkewLimit + time.Second, check.Warn, "5m1s ahead of"},
		{-7 * time.Minute, check.Warn, "7m0s behind"},
	}
	for _, tt := range tests {
		r := judgeSkew(tt.skew)
		if r.Status != tt.want || !strings.Contains(r.Message, tt.msg) {
			t.Errorf("judgeSkew(%v) = %v %q, want %v containing %q", tt.skew, r.Status, r.Message, tt.want, tt.msg)
		}
	}
}

func TestSubjectFor(t *testing.T) {
	s, err := profile.ParseSubject("CN=$COMPUTERNAME ma $UDID,OU=$SITENAME $SITEID,2.5.4.5=$SERIALNUMBER")
	if err != nil {
		t.Fatal(err)
	}
	got, err := SubjectFor(s, map[string]string{"COMPUTERNAME": "mac", "UDID": "U-1", "SITENAME": "hq", "SITEID": "7", "SERIALNUMBER": "C02"})
	if err != nil {
		t.Fatal(err)
	}
	var n pkix.Name
	n.FillFromRDNSequence(&got)
	if n.CommonName != "mac ma U-1" || len(n.OrganizationalUnit) != 1 || n.OrganizationalUnit[0] != "hq 7" || n.SerialNumber != "C02" {
		t.Errorf("SubjectFor = %v", n)
	}
	if _, err := SubjectFor(profile.Subject{{{Type: "XX", Value: "v"}}}, nil); err == nil {
		t.Error("SubjectFor accepted attribute type XX")
	}
}

func TestCheckReachTellsStagesApart(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler()) // not trusted by the system roots
	t.Cleanup(tlsSrv.Close)
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	noProxy := func(*http.Request) (*url.URL, error) { return nil, nil }
	dnsFail := func(context.Context, string) ([]string, error) { return nil, errors.New("no such host") }
	dnsOK := func(context.Context, string) ([]string, error) { return []string{"127.0.0.1"}, nil }
	tests := []struct {
		name   string
		url    string
		lookup func(context.Context, string) ([]string, error)
		status check.Status
		msg    string
	}{
		{"dns", "https://jamf.invalid", dnsFail, check.Fail, "DNS: jamf.invalid does not resolve"},
		{"tls", strings.Replace(tlsSrv.URL, "127.0.0.1", "localhost", 1), dnsOK, check.Fail, "TLS: handshake"},
		{"http any status", plain.URL, dnsOK, check.Pass, "is reachable"},
		{"not a URL", "://", dnsOK, check.Fail, "not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkReach(t.Context(), tt.url, Network{LookupHost: tt.lookup, Proxy: noProxy})
			if r.Status != tt.status || !strings.Contains(r.Message, tt.msg) {
				t.Errorf("checkReach(%s) = %v %q, want %v containing %q", tt.url, r.Status, r.Message, tt.status, tt.msg)
			}
		})
	}
}

// TestRunLocalChecksIgnoreTimeout pins QA report 2 (P3): `doctor --timeout
// 1ns` reported "secret references do not resolve: context deadline
// exceeded" as a config problem. A Local check (config, secrets: no
// network) is not bounded by the per-check timeout; a network check is.
func TestRunLocalChecksIgnoreTimeout(t *testing.T) {
	probe := func(ctx context.Context) []check.Result {
		if _, ok := ctx.Deadline(); ok {
			return []check.Result{{Status: check.Fail, Message: "has a deadline"}}
		}
		return []check.Result{{Status: check.Pass, Message: "no deadline"}}
	}
	groups := []Group{{Name: "g", Checks: []Check{
		{Name: "local", Local: true, Run: probe},
		{Name: "network", Run: probe},
	}}}
	got := Run(t.Context(), groups, RunOptions{Timeout: time.Nanosecond})
	want := []check.Result{
		{Check: "local", Status: check.Pass, Message: "no deadline"},
		{Check: "network", Status: check.Fail, Message: "has a deadline"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	for _, c := range Checks(&config.Config{}, nil, Env{}, Options{})[0].Checks {
		if (c.Name == "config" || c.Name == "secrets") && !c.Local {
			t.Errorf("check %q reads only this machine but is not Local", c.Name)
		}
	}
}
