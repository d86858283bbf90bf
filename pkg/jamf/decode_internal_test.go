package jamf

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeProfileListRefusesWrongLists pins QA item 10: a Classic list
// that is well formed but not a real profile list is an error matching
// ErrWrongDocument, never "no such profile" (which would lead to a
// create).
func TestDecodeProfileListRefusesWrongLists(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>`
	tests := []struct {
		name, body string
	}{
		{"entry without a name", head + `<os_x_configuration_profiles><size>1</size><os_x_configuration_profile><id>1</id></os_x_configuration_profile></os_x_configuration_profiles>`},
		{"entry with an empty name", head + `<os_x_configuration_profiles><size>1</size><os_x_configuration_profile><id>1</id><name> </name></os_x_configuration_profile></os_x_configuration_profiles>`},
		{"empty size", head + `<os_x_configuration_profiles><size></size></os_x_configuration_profiles>`},
		{"size not an integer", head + `<os_x_configuration_profiles><size>zero</size></os_x_configuration_profiles>`},
		{"no size", head + `<os_x_configuration_profiles></os_x_configuration_profiles>`},
		{"namespaced root", head + `<x:os_x_configuration_profiles xmlns:x="urn:x"><size>0</size></x:os_x_configuration_profiles>`},
		{"default namespace", head + `<os_x_configuration_profiles xmlns="http://www.w3.org/1999/xhtml"><size>0</size></os_x_configuration_profiles>`},
		{"HTML after the root", head + `<os_x_configuration_profiles><size>0</size></os_x_configuration_profiles><html><body>login</body></html>`},
		{"text after the root", head + `<os_x_configuration_profiles><size>0</size></os_x_configuration_profiles>trailing`},
		{"two roots", head + `<os_x_configuration_profiles><size>0</size></os_x_configuration_profiles><os_x_configuration_profiles><size>0</size></os_x_configuration_profiles>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeProfileList([]byte(tt.body))
			if !errors.Is(err, ErrWrongDocument) {
				t.Errorf("decodeProfileList = %v, %v; want ErrWrongDocument", got, err)
			}
		})
	}
}

// TestDecodeProfileListAccepts: what a real tenant sends still reads,
// including a comment or white space after the root and a declared
// ISO-8859-1 encoding (QA P3).
func TestDecodeProfileListAccepts(t *testing.T) {
	tests := []struct {
		name, body string
		want       []ProfileSummary
	}{
		{"empty", `<?xml version="1.0" encoding="UTF-8"?><os_x_configuration_profiles><size>0</size></os_x_configuration_profiles>`, nil},
		{"one, trailing comment", "<os_x_configuration_profiles><size> 1 </size><os_x_configuration_profile><id>3</id><name>Okta</name></os_x_configuration_profile></os_x_configuration_profiles>\n<!-- node 2 -->\n", []ProfileSummary{{3, "Okta"}}},
		{"ISO-8859-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><os_x_configuration_profiles><size>1</size><os_x_configuration_profile><id>3</id><name>B\xfcro</name></os_x_configuration_profile></os_x_configuration_profiles>", []ProfileSummary{{3, "Büro"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeProfileList([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
