package democmd

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

func TestRun(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputText}, Now: time.Now,
		LookupEnv: func(string) (string, bool) { return "", false },
	}
	if err := run(t.Context(), &Options{F: f}); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, errOut)
	}
	for _, want := range []string{`+ create profile "Okta Device Access SCEP"`, `No changes: profile "Okta Device Access SCEP" (id 1) matches the config.`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"Run 1", "Run 2", "0 write(s)"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out.String()+errOut.String(), "demo-okta-password") {
		t.Error("the demo printed its Okta password")
	}
}

func TestSampleConfigValidates(t *testing.T) {
	if err := sampleConfig("http://127.0.0.1:1/jamf/").Validate(); err != nil {
		t.Fatalf("the demo config is invalid: %v", err)
	}
}

// TestRunFitsWidth pins that the demo reads at a glance (issue 16, item
// 13): every stderr line, the engine's long warning and hint included,
// fits the terminal, and never exceeds maxWidth, also when piped; words
// such as a flag are never cut.
func TestRunFitsWidth(t *testing.T) {
	for _, cols := range []int{0, 80, 120} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			if cols > 0 {
				ios.SetTTY(false, false, true)
				ios.SetTerminalWidth(cols)
			}
			f := &cmdutil.Factory{
				IOStreams: ios, Globals: &cmdutil.Globals{Output: cmdutil.OutputText}, Now: time.Now,
				LookupEnv: func(string) (string, bool) { return "", false },
			}
			if err := run(t.Context(), &Options{F: f}); err != nil {
				t.Fatalf("run: %v\nstderr:\n%s", err, errOut)
			}
			limit := maxWidth
			if cols > 0 {
				limit = min(limit, cols-1)
			}
			for _, l := range strings.Split(errOut.String(), "\n") {
				if w := ansi.StringWidth(l); w > limit {
					t.Errorf("stderr line is %d cells, over %d: %q", w, limit, l)
				}
			}
			for _, want := range []string{"inferred Jamf key", "(--jamf-dialect)", "moot here", "--profile-id 1"} {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
		})
	}
}

func TestWrapWriter(t *testing.T) {
	tests := []struct {
		name, in, want string
		cols           int
	}{
		{name: "short line as is", cols: 80, in: "demo: write...\n", want: "demo: write...\n"},
		{
			name: "long line at spaces, continuation indented", cols: 31,
			in:   "demo: warning: correct the dialect (--jamf-dialect) first\n",
			want: "demo: warning: correct the\n    dialect (--jamf-dialect)\n    first\n",
		},
		{
			name: "a word wider than the width keeps a row", cols: 21,
			in:   "see https://example.okta.com/pki/scep now\n",
			want: "see\n    https://example.okta.com/pki/scep\n    now\n",
		},
		{
			name: "live region lines pass", cols: 21,
			in:   ansi.EraseScreenBelow + "demo: resolve scope: 2000 of 5000 Macs\n",
			want: ansi.EraseScreenBelow + "demo: resolve scope: 2000 of 5000 Macs\n",
		},
		{name: "a line split over writes", cols: 80, in: "a", want: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			ww := newWrapWriter(&buf, tt.cols)
			for _, b := range []byte(tt.in) { // byte by byte: lines cross writes
				if _, err := ww.Write([]byte{b}); err != nil {
					t.Fatal(err)
				}
			}
			if err := ww.Flush(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("wrapped (-want +got):\n%s", diff)
			}
		})
	}
}
