package jamf

import (
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/profile"
)

// recordOne writes ex through a new capture and returns the stored body.
func recordOne(t *testing.T, ex CapturedExchange, secrets ...string) string {
	t.Helper()
	c, err := NewCapture(filepath.Join(t.TempDir(), "cap"), testMasker)
	if err != nil {
		t.Fatal(err)
	}
	c.secrets = append(c.secrets, func() []string { return secrets })
	if err := c.record(ex); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(c.dir, "0001.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got CapturedExchange
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	return got.Path + "\n" + got.Body
}

// unescapedForms returns s and s with XML entities decoded once and twice,
// so that a secret escaped inside an escaped plist is found.
func unescapedForms(s string) []string {
	once := html.UnescapeString(s)
	return []string{s, once, html.UnescapeString(once)}
}

func assertAbsent(t *testing.T, body string, canaries ...string) {
	t.Helper()
	for _, form := range unescapedForms(body) {
		for _, c := range canaries {
			if strings.Contains(form, c) {
				t.Errorf("capture holds %q:\n%s", c, body)
				return
			}
		}
	}
}

// classicProfile returns a Classic profile answer whose payloads hold
// plistContent (raw plist XML, escaped once here as Jamf does) and whose
// scope holds scope.
func classicProfile(plistContent, scope string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(`<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>PayloadContent</key><array><dict>`+plistContent+`</dict></array></dict></plist>`))
	return `<?xml version="1.0" encoding="UTF-8"?><os_x_configuration_profile><general><id>7</id><name>Okta</name><payloads>` +
		b.String() + `</payloads></general><scope>` + scope + `</scope></os_x_configuration_profile>`
}

// TestCaptureMasksStoredSecretsByTheOneRule pins QA item 1 and the capture
// half of item 2: the decoded plist is masked by profile.SecretRule (any
// key that looks secret, any escaping of the value) and URL credentials by
// profile.MaskURLSecrets, though this run never knew the secret.
func TestCaptureMasksStoredSecretsByTheOneRule(t *testing.T) {
	plist := `<key>Password</key><string>okta&amp;pw&lt;Secret&gt;9</string>
<key>password</key><string>CANARY-lower</string>
<key>ChallengePassword</key><string>CANARY-challenge</string>
<key>SCEP Admin Password</key><string>CANARY-admin</string>
<key>Challenge</key><string>CANARY-&#x41;static</string>
<key>URL To SCEP Admin</key><string>https://okta-abc123:hunter2@acme.okta.com/api/v1</string>
<key>Challenge Type</key><string>Dynamic-Microsoft CA</string>`
	for _, ct := range []string{"text/xml;charset=UTF-8", "text/plain", ""} {
		t.Run(ct, func(t *testing.T) {
			body := recordOne(t, CapturedExchange{
				Method: "GET", Path: "JSSResource/osxconfigurationprofiles/id/7", Status: 200,
				Header: map[string]string{"Content-Type": ct}, Body: classicProfile(plist, ""),
			})
			assertAbsent(t, body, "okta&pw<Secret>9", "pw<Secret", "CANARY", "hunter2", "okta-abc123")
			if !strings.Contains(html.UnescapeString(body), "Dynamic-Microsoft CA") {
				t.Errorf("the challenge type was masked too:\n%s", body)
			}
		})
	}
}

// TestCapturePseudonymizesScopeUsers pins QA item 5a: users in every
// Classic scope list (limitations, jss_users, exclusions) are replaced.
func TestCapturePseudonymizesScopeUsers(t *testing.T) {
	scope := `<all_computers>false</all_computers>
<jss_users><user><id>3</id><name>john.smith</name></user></jss_users>
<limitations><users><user><id>1</id><name>jane.doe@acme.com</name></user></users></limitations>
<exclusions><users><user><name>Bob Jones</name></user></users><jss_users><user><id>4</id><name>eve</name></user></jss_users></exclusions>`
	body := recordOne(t, CapturedExchange{
		Method: "GET", Path: "JSSResource/osxconfigurationprofiles/id/7", Status: 200,
		Header: map[string]string{"Content-Type": "text/xml"}, Body: classicProfile("", scope),
	})
	assertAbsent(t, body, "john.smith", "jane.doe", "acme.com", "Bob Jones", ">eve<")
}

// TestCaptureSniffsBodies pins QA items 5b and 5c: an answer is parsed
// whatever its Content-Type (JSON sent as text/plain, a leading BOM), and
// a body that cannot be parsed is withheld, never written raw.
func TestCaptureSniffsBodies(t *testing.T) {
	inventory := `{"totalCount":1,"results":[{"id":"1","udid":"5F1E1C66-0000-4000-8000-00000000ABCD","general":{"name":"Janes-MacBook","lastContactTime":"2026-01-01T00:00:00Z"},"hardware":{"serialNumber":"C02XK1JQJGH5"},"userAndLocation":{"username":"jdoe","email":"jane@acme.com","realname":"Jane Doe"}}]}`
	real := []string{"5F1E1C66", "Janes-MacBook", "C02XK1JQJGH5", "jdoe", "jane@acme.com", "Jane Doe"}
	tests := []struct {
		name, ct, body string
		withheld       bool
	}{
		{"JSON as text/plain", "text/plain", inventory, false},
		{"JSON without a type", "", inventory, false},
		{"JSON with a BOM", "application/json", "\ufeff" + inventory, false},
		{"truncated JSON", "application/json", inventory[:len(inventory)-10], true},
		{"neither JSON nor XML", "text/plain", "name=Janes-MacBook serial=C02XK1JQJGH5 user=jdoe jane@acme.com Jane Doe 5F1E1C66", true},
		{"broken XML", "text/xml", "<computer><name>Janes-MacBook</name><serial_number>C02XK1JQJGH5 jdoe jane@acme.com Jane Doe 5F1E1C66", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := recordOne(t, CapturedExchange{
				Method: "GET", Path: "api/v1/computers-inventory", Status: 200,
				Header: map[string]string{"Content-Type": tt.ct}, Body: tt.body,
			})
			assertAbsent(t, body, real...)
			if got := strings.Contains(body, "withheld"); got != tt.withheld {
				t.Errorf("withheld = %v, want %v:\n%s", got, tt.withheld, body)
			}
		})
	}
}

// TestCaptureNeverWritesThrough pins QA item 6: a capture file is created
// exclusively, so a file or symlink planted under the next name is never
// written through, and a directory others can write to is refused.
func TestCaptureNeverWritesThrough(t *testing.T) {
	for _, plant := range []string{"symlink", "file"} {
		t.Run(plant, func(t *testing.T) {
			victim := filepath.Join(t.TempDir(), "victim.txt")
			if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := NewCapture(filepath.Join(t.TempDir(), "cap"), testMasker)
			if err != nil {
				t.Fatal(err)
			}
			next := filepath.Join(c.dir, "0001.json")
			if plant == "symlink" {
				err = os.Symlink(victim, next)
			} else {
				err = os.WriteFile(next, []byte("keep"), 0o600)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := c.record(CapturedExchange{Method: "GET", Path: "x", Status: 200, Body: "{}"}); err == nil {
				t.Error("record wrote through a planted name; want an error")
			}
			for _, f := range []string{victim, next} {
				if data, err := os.ReadFile(f); err != nil || string(data) != "keep" {
					t.Errorf("%s = %q, %v; want it untouched", f, data, err)
				}
			}
		})
	}
	t.Run("group-writable directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "cap")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		if _, err := NewCapture(dir, testMasker); err == nil || !strings.Contains(err.Error(), "writable") {
			t.Errorf("NewCapture on a 0777 directory: err = %v, want it refused", err)
		}
	})
}

// TestCaptureWithholdsEncodedSecrets pins the capture half of QA item 4: a
// secret quoted in a form no replacement catches is never written.
func TestCaptureWithholdsEncodedSecrets(t *testing.T) {
	const secret = "p@ss w<x>&amp;/+="
	for _, body := range []string{
		`{"error":"invalid_client","error_description":"bad ` + strings.ReplaceAll(strings.ReplaceAll(secret, " ", "%20"), "@", "%40") + `"}`,
		`{"error":"invalid_client","error_description":"bad &#112;&#64;ss w&lt;x&gt;&amp;amp;/+="}`,
	} {
		got := recordOne(t, CapturedExchange{
			Method: "POST", Path: "api/oauth/token", Status: 400,
			Header: map[string]string{"Content-Type": "application/json"}, Body: body,
		}, secretForms(secret)...)
		if !strings.Contains(got, "withheld") {
			t.Errorf("capture wrote %q", got)
		}
	}
}

// testMasker is what the command layer gives a capture: pkg/profile's one
// secret rule for stored plists.
var testMasker = profile.CapturePlistMasker(profile.NewSecretRule(nil))
