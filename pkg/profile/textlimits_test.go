package profile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// TestBuildRefusesOverlongText pins the cap of issue 13's Consistency
// list: a 50 MB description was sent as a 50 MB PUT. Every text field
// sent to Jamf has a limit; the error names the field, its length and the
// limit, never the value.
func TestBuildRefusesOverlongText(t *testing.T) {
	tests := []struct {
		name string
		set  func(*Options)
		want []string // Finding paths with errors
	}{
		{"description at the limit", func(o *Options) { o.Description = strings.Repeat("é", MaxDescriptionLength) }, nil},
		{"50 MB description", func(o *Options) { o.Description = strings.Repeat("x", 50<<20) }, []string{FieldDescription}},
		{"name", func(o *Options) { o.Name = strings.Repeat("n", MaxNameLength+1) }, []string{FieldName}},
		{"URL and password", func(o *Options) {
			o.SCEPURL = testSCEP + "?" + strings.Repeat("q", MaxURLLength)
			o.Password = secret.New(strings.Repeat("p", MaxSecretLength+1))
		}, []string{FieldSCEPURL, FieldPassword}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := exampleOptions()
			tt.set(&o)
			_, fs, err := Build(o, nil)
			var got []string
			for _, f := range fs {
				if f.Severity == SeverityError {
					got = append(got, f.Path)
					if len(f.Message) > 200 || strings.Contains(f.Message, "ppp") {
						t.Errorf("message quotes the value: %.200s", f.Message)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error paths (-want +got):\n%s", diff)
			}
			if (err != nil) != (len(tt.want) > 0) {
				t.Errorf("err = %v", err)
			}
		})
	}
	_, fs, _ := Build(func() Options { o := exampleOptions(); o.Description = strings.Repeat("x", 5000); return o }(), nil)
	if want := "profile.description (--description) is 5000 characters long; jamf-scep sends at most 4096"; len(fs) == 0 || fs[0].Message != want {
		t.Errorf("findings = %v, want %q", fs, want)
	}
}
