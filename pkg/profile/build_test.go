package profile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/internal/golden"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

const (
	testCA   = "0123456789abcdef0123456789abcdef01234567"
	testSCEP = "https://acme.okta.com/pki/" + testCA + "/scep/racAbC123"
	testChal = "https://acme.okta.com/api/v1/certificateAuthorities/" + testCA + "/registrationAuthorities/racAbC123/challenge"
)

// exampleOptions mirror examples/okta-device-access.yaml: the preset plus
// the values a user gives.
func exampleOptions() Options {
	return Options{
		Name:         "Okta Device Access SCEP",
		Description:  "Client certificate for Okta Device Access",
		Organization: "Acme Inc.",
		Identifier:   "com.acme.okta-device-access",
		SCEPURL:      testSCEP,
		SCEPName:     "Okta Device Access CA",
		ChallengeURL: testChal,
		Username:     "okta-abc123",
		Password:     secret.New("not-a-real-password"),
	}
}

func mustBuild(t testing.TB, o Options) *Profile {
	t.Helper()
	p, _, err := Build(o, nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

func TestBuildGolden(t *testing.T) {
	tests := []struct {
		name   string
		render func(*Profile) ([]byte, error)
	}{
		{"okta-device-access.golden", func(p *Profile) ([]byte, error) { return p.MarshalFile(RenderOptions{}) }},
		{"okta-device-access-secrets.golden", func(p *Profile) ([]byte, error) {
			return p.MarshalFile(RenderOptions{IncludeSecrets: true})
		}},
		{"okta-device-access-wire.golden", func(p *Profile) ([]byte, error) { return p.MarshalWire(RenderOptions{}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, err := tt.render(mustBuild(t, exampleOptions()))
			if err != nil {
				t.Fatal(err)
			}
			second, err := tt.render(mustBuild(t, exampleOptions()))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, second) {
				t.Fatal("building twice gave different bytes")
			}
			golden.Assert(t, tt.name, first)
		})
	}
}

func TestBuildPresetValuesExplicit(t *testing.T) {
	out, err := mustBuild(t, exampleOptions()).MarshalFile(RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if _, err := plist.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	content := m["PayloadContent"].([]any)[0].(map[string]any)["PayloadContent"].(map[string]any)
	want := map[string]any{
		"Keysize": uint64(2048), "Key Type": "RSA", "Key Usage": uint64(1),
		"KeyIsExtractable": false, "AllowAllAppsAccess": true,
		"Retries": uint64(3), "RetryDelay": uint64(10),
		"Subject": []any{[]any{[]any{"CN", "$COMPUTERNAME ma $UDID"}}},
	}
	for k, v := range want {
		if diff := cmp.Diff(v, content[k]); diff != "" {
			t.Errorf("PayloadContent[0].PayloadContent.%s mismatch (-want +got):\n%s", k, diff)
		}
	}
	if got := m["PayloadScope"]; got != "System" {
		t.Errorf("PayloadScope = %v, want System", got)
	}
}

func TestBuildSecrets(t *testing.T) {
	const password = "s3cr3t-Pa55"
	o := exampleOptions()
	o.Password = secret.New(password)
	p, findings, err := Build(o, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if strings.Contains(f.String(), password) {
			t.Errorf("finding leaks the password: %s", f.Path)
		}
	}
	if !p.HasSecrets() {
		t.Error("HasSecrets() = false, want true")
	}
	want := []SecretField{{FieldPassword, "the SCEP admin password (dynamic challenge)"}}
	if diff := cmp.Diff(want, p.Secrets()); diff != "" {
		t.Errorf("Secrets() mismatch (-want +got):\n%s", diff)
	}
	without, _ := p.MarshalFile(RenderOptions{})
	if bytes.Contains(without, []byte(password)) {
		t.Error("MarshalFile without IncludeSecrets contains the password")
	}
	wire, _ := p.MarshalWire(RenderOptions{})
	if bytes.Contains(wire, []byte(password)) {
		t.Error("MarshalWire without IncludeSecrets contains the password")
	}
	with, _ := p.MarshalFile(RenderOptions{IncludeSecrets: true})
	if !bytes.Contains(with, []byte(password)) {
		t.Error("MarshalFile with IncludeSecrets lacks the password")
	}

	st := exampleOptions()
	st.ChallengeType, st.ChallengeURL, st.Username, st.Password, st.Challenge = ChallengeStatic, "", "", secret.Value{}, secret.New("static-secret")
	sp := mustBuild(t, st)
	if diff := cmp.Diff([]SecretField{{FieldChallenge, "the static SCEP challenge"}}, sp.Secrets()); diff != "" {
		t.Errorf("static Secrets() mismatch (-want +got):\n%s", diff)
	}
	out, _ := sp.MarshalFile(RenderOptions{})
	if bytes.Contains(out, []byte("static-secret")) {
		t.Error("static challenge written without IncludeSecrets")
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Options)
		path   string
		want   string
	}{
		{"missing SCEP URL", func(o *Options) { o.SCEPURL = "" }, FieldSCEPURL, "profile.scep.url (--scep-url) is required"},
		{"http SCEP URL", func(o *Options) { o.SCEPURL = "http://acme.okta.com/pki/x" }, FieldSCEPURL, "profile.scep.url (--scep-url): must use https"},
		{"relative SCEP URL", func(o *Options) { o.SCEPURL = "/pki/x" }, FieldSCEPURL, "is not an absolute URL"},
		{"query", func(o *Options) { o.SCEPURL = "https://acme.okta.com/pki?x=1" }, FieldSCEPURL, "has a query or fragment"},
		{"credentials in URL", func(o *Options) { o.SCEPURL = "https://u:p@acme.okta.com/pki" }, FieldSCEPURL, "carries credentials"},
		{"fragment", func(o *Options) { o.SCEPURL = "https://acme.okta.com/pki#x" }, FieldSCEPURL, "has a query or fragment"},
		{"bad challenge URL", func(o *Options) { o.ChallengeURL = "ftp://x" }, FieldChallengeURL, "profile.scep.challenge.url (--challenge-url): must use https"},
		{"missing challenge URL", func(o *Options) { o.ChallengeURL = "" }, FieldChallengeURL, "is required"},
		{"key size 1024", func(o *Options) { o.KeySize = 1024 }, FieldKeySize, "1024 is refused: Okta requires 2048-bit keys"},
		{"key size 3072", func(o *Options) { o.KeySize = 3072 }, FieldKeySize, "profile.scep.key_size (--key-size): 3072 is not a supported key size"},
		{"redistribute 0 via negative", func(o *Options) { o.RedistributeDays = -1 }, FieldRedistributeDays, "-1 is out of range"},
		{"redistribute 365", func(o *Options) { o.RedistributeDays = 365 }, FieldRedistributeDays, "365 is out of range"},
		{"unknown challenge type", func(o *Options) { o.ChallengeType = "dynamic" }, FieldChallengeType, "profile.scep.challenge.type (--challenge-type): is not a challenge type"},
		{"dynamic without username", func(o *Options) { o.Username = "" }, FieldUsername, "is required for dynamic-microsoft-ca"},
		{"dynamic without password", func(o *Options) { o.Password = secret.Value{} }, FieldPassword, "is required for dynamic-microsoft-ca"},
		{"static without secret", func(o *Options) {
			o.ChallengeType, o.ChallengeURL, o.Username, o.Password = ChallengeStatic, "", "", secret.Value{}
		}, FieldChallenge, "is required for static mode"},
		{"bad subject", func(o *Options) { o.Subject = "emailAddress=x" }, FieldSubject, "1.2.840.113549.1.9.1"},
		{"subject over budget", func(o *Options) { o.Subject = "CN=" + strings.Repeat("x", 30) + " $UDID" }, FieldSubject + "[0][0]", "exceeds the limit by 10"},
		{"bad identifier", func(o *Options) { o.Identifier = "com acme" }, FieldIdentifier, "is not a reverse-DNS identifier"},
		{"unknown preset", func(o *Options) { o.Preset = "nope" }, FieldPreset, "profile.preset: is not a preset name"},
		{"newline in name", func(o *Options) { o.Name = "a\nb" }, FieldName, "contains a control character (U+000A, line feed)"},
		{"tab in password", func(o *Options) { o.Password = secret.New("a\tb") }, FieldPassword, "profile.scep.challenge.password (--password-stdin or --password-file) contains a control character (U+0009, tab)"},
		{"password edge space", func(o *Options) { o.Password = secret.New("secret ") }, FieldPassword, "(--password-stdin or --password-file) has leading or trailing spaces, which Jamf trims"},
		{"trailing space", func(o *Options) { o.Organization = "Acme " }, FieldOrganization, `"Acme " has leading or trailing spaces, which Jamf trims`},
		{"emoji in name", func(o *Options) { o.Name = "Okta SCEP 🔐" }, FieldName, "outside the Basic Multilingual Plane (U+1F510, such as an emoji), which Jamf stores as '?'"},
		{"emoji in description", func(o *Options) { o.Description = "certs 🔐" }, FieldDescription, "which Jamf stores as '?'"},
		{"emoji in SCEP name", func(o *Options) { o.SCEPName = "CA 😀" }, FieldSCEPName, "which Jamf stores as '?'"},
		{"emoji in username", func(o *Options) { o.Username = "okta-😀" }, FieldUsername, "which Jamf stores as '?'"},
		{"non-breaking space at end", func(o *Options) { o.Description = "certs\u00a0" }, FieldDescription, "has leading or trailing spaces"},
		{"invalid UTF-8", func(o *Options) { o.Description = "bad \xff" }, FieldDescription, "is not valid UTF-8"},
		{"emoji in SCEP URL", func(o *Options) { o.SCEPURL += "😀" }, FieldSCEPURL, "which Jamf stores as '?'"},
		{"subject escaped edge spaces", func(o *Options) { o.Subject = `O=\ ACME\ ,CN=$COMPUTERNAME` }, FieldSubject, `subject attribute O (RDN 1) value " ACME " has leading or trailing spaces, which Jamf trims; remove them`},
		{"subject escaped tab", func(o *Options) { o.Subject = `CN=$COMPUTERNAME\09x` }, FieldSubject, "subject attribute CN (RDN 1) value \"$COMPUTERNAME\\tx\" contains a control character (U+0009, tab)"},
		{"subject escaped newline", func(o *Options) { o.Subject = `CN=a\0Ab` }, FieldSubject, "control character (U+000A, line feed)"},
		{"subject emoji", func(o *Options) { o.Subject = "CN=$COMPUTERNAME 🔐" }, FieldSubject, "outside the Basic Multilingual Plane"},
		{"subject without CN", func(o *Options) { o.Subject = "O=Acme,OU=Macs" }, FieldSubject, "subject has no CN; add one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := exampleOptions()
			tt.mutate(&o)
			p, findings, err := Build(o, nil)
			if err == nil {
				t.Fatalf("Build succeeded, want an error at %s", tt.path)
			}
			if p != nil {
				t.Error("Build returned a profile along with errors")
			}
			var fe *FindingsError
			if !errors.As(err, &fe) {
				t.Fatalf("error is %T, want *FindingsError", err)
			}
			if !hasFinding(fe.Findings, SeverityError, tt.path, tt.want) {
				t.Errorf("no error at %s containing %q; got:\n%s", tt.path, tt.want, findingsText(findings))
			}
			if strings.Contains(err.Error(), "not-a-real-password") {
				t.Error("error text leaks the password")
			}
		})
	}
}

func TestBuildReportsEverySubjectProblem(t *testing.T) {
	o := exampleOptions()
	o.Subject = `O=\ Acme,OU=a\09b`
	_, findings, err := Build(o, nil)
	if err == nil {
		t.Fatal("Build succeeded, want errors")
	}
	var got []string
	for _, f := range findings.Errors() {
		got = append(got, f.Message)
	}
	want := []string{
		`profile.scep.subject (--subject): subject attribute O (RDN 1) value " Acme" has leading or trailing spaces, which Jamf trims; remove them`,
		`profile.scep.subject (--subject): subject attribute OU (RDN 2) value "a\tb" contains a control character (U+0009, tab), which Jamf drops or cannot store; remove it; write the text on one line`,
		"profile.scep.subject (--subject): subject has no CN; add one, e.g. CN=$COMPUTERNAME ma $UDID (Okta's guide puts the Mac's identity in the CN)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestBuildReportsAllErrors(t *testing.T) {
	o := exampleOptions()
	o.SCEPURL, o.KeySize, o.RedistributeDays, o.Username = "http://x", 1024, 400, ""
	_, findings, err := Build(o, nil)
	if err == nil {
		t.Fatal("Build succeeded, want errors")
	}
	if got := len(findings.Errors()); got != 4 {
		t.Errorf("got %d errors, want 4:\n%s", got, findingsText(findings))
	}
}

func TestBuildWarnings(t *testing.T) {
	otherCA := strings.Repeat("f", 40)
	tests := []struct {
		name   string
		mutate func(*Options)
		path   string
		want   string
	}{
		{"CA id differs", func(o *Options) { o.ChallengeURL = strings.Replace(testChal, testCA, otherCA, 1) }, FieldChallengeURL, "Okta CA id differs"},
		{"RA id differs", func(o *Options) { o.ChallengeURL = strings.Replace(testChal, "racAbC123", "racZZZ", 1) }, FieldChallengeURL, "Okta RA id differs"},
		{"host differs", func(o *Options) { o.ChallengeURL = strings.Replace(testChal, "acme.okta.com", "other.okta.com", 1) }, FieldChallengeURL, "host other.okta.com differs"},
		{"password key inferred", func(o *Options) {}, FieldPassword, "every Mac in scope receives the password"},
		{"unknown variable", func(o *Options) { o.Subject = "CN=$COMPUTER_NAME" }, FieldSubject + "[0][0]", "$COMPUTER_NAME is not a Jamf payload variable"},
		{"static ignores username", func(o *Options) {
			o.ChallengeType, o.Challenge, o.Password, o.ChallengeURL = ChallengeStatic, secret.New("x"), secret.Value{}, ""
		}, FieldUsername, "is ignored in static mode"},
		{"dynamic ignores secret", func(o *Options) { o.Challenge = secret.New("x") }, FieldChallenge, "is ignored in dynamic-microsoft-ca mode"},
		{"no room left", func(o *Options) { o.Subject = "CN=$COMPUTERNAME " + strings.Repeat("x", 19) + " $UDID" }, FieldSubject + "[0][0]", "leaves 0 characters for $COMPUTERNAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := exampleOptions()
			tt.mutate(&o)
			_, findings, err := Build(o, nil)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if !hasFinding(findings, SeverityWarning, tt.path, tt.want) {
				t.Errorf("no warning at %s containing %q; got:\n%s", tt.path, tt.want, findingsText(findings))
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	tricky := `Acme & Sons <"Büro" 'Jürgen'> ]]> &amp;`
	o := exampleOptions()
	o.Name, o.Description, o.Organization, o.SCEPName = tricky, tricky+" desc", tricky+" org", tricky+" ca"
	o.Username = "okta-ü&<>"
	o.Password = secret.New(`p&ss<word>"'`)
	o.Subject = `/O=Acme & Sons/OU=<R&D> "quoted"/CN=$COMPUTERNAME ü $UDID`
	for _, d := range []*Dialect{nil, otherDialect(t)} {
		p, _, err := Build(o, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, render := range []func(*Profile, RenderOptions) ([]byte, error){(*Profile).MarshalFile, (*Profile).MarshalWire} {
			data, err := render(p, RenderOptions{Dialect: d, IncludeSecrets: true})
			if err != nil {
				t.Fatal(err)
			}
			back, err := Decode(data, d)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(p, back); diff != "" {
				t.Errorf("round trip mismatch (-built +decoded):\n%s", diff)
			}
		}
	}
}

// otherDialect places the Jamf settings elsewhere, as a user's override
// file might.
func otherDialect(t *testing.T) *Dialect {
	t.Helper()
	d, err := ParseDialect([]byte(strings.NewReplacer(
		"key: Challenge Type", "key: JamfChallengeType",
		"key: Redistribute Profile\n    type: integer", "key: RedistributeDays\n    type: string",
		"location: content\n    key: Username", "location: payload\n    key: Username",
	).Replace(string(dialectText()))))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecodeKeepsUnknownKeys(t *testing.T) {
	p := mustBuild(t, exampleOptions())
	p.Extra = map[string]any{"PayloadEnabled": true, "Weird": []any{"a", uint64(2)}}
	p.SCEP.Extra = map[string]any{"PayloadEnabled": true}
	p.SCEP.Content.Extra = map[string]any{"JamfThing": "x"}
	data, err := p.MarshalWire(RenderOptions{IncludeSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, back); diff != "" {
		t.Errorf("round trip mismatch (-built +decoded):\n%s", diff)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"not plist", "<plist><dict><key>", "not a property list"},
		{"array root", plistDoc("<array/>"), "root is an array"},
		{"wrong type", plistDoc("<dict><key>PayloadType</key><string>X</string></dict>"), `PayloadType is "X"`},
		{"no payloads", plistDoc("<dict><key>PayloadType</key><string>Configuration</string></dict>"), "exactly one com.apple.security.scep"},
		{"content array", plistDoc(`<dict><key>PayloadType</key><string>Configuration</string><key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.security.scep</string><key>PayloadContent</key><array/></dict></array></dict>`), "PayloadContent[0].PayloadContent must be a dictionary"},
		{"keysize string", plistDoc(`<dict><key>PayloadType</key><string>Configuration</string><key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.security.scep</string><key>PayloadContent</key><dict><key>Keysize</key><string>2048</string></dict></dict></array></dict>`), "PayloadContent[0].PayloadContent.Keysize is a string, want an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func plistDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0">` + body + `</plist>`
}

func TestMarshalWireCompact(t *testing.T) {
	o := exampleOptions()
	o.Name = "spaced  name" // inner runs of spaces must survive
	p := mustBuild(t, o)
	wire, err := p.MarshalWire(RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(wire, []byte(">\n")) || bytes.Contains(wire, []byte(">\t")) || bytes.Contains(wire, []byte("> <")) {
		t.Errorf("wire form has whitespace between tags:\n%s", wire)
	}
	if !bytes.Contains(wire, []byte("<string>spaced  name</string>")) {
		t.Errorf("wire form changed a string's spaces:\n%s", wire)
	}
}

func TestIdentity(t *testing.T) {
	a := mustBuild(t, exampleOptions())
	o := exampleOptions()
	o.Identifier = "com.other.okta"
	b := mustBuild(t, o)
	if a.PayloadUUID == b.PayloadUUID || a.SCEP.PayloadUUID == b.SCEP.PayloadUUID {
		t.Error("different identifiers gave the same UUIDs")
	}
	o = exampleOptions()
	o.Subject = "CN=$SERIALNUMBER"
	c := mustBuild(t, o)
	if a.SCEP.PayloadUUID != c.SCEP.PayloadUUID || a.PayloadUUID != c.PayloadUUID {
		t.Error("changing the Subject changed the UUIDs; updates would reinstall")
	}

	const stored = "1b3f5e2a-0000-4000-8000-000000000001"
	if err := a.AdoptIdentity(stored, stored); err != nil {
		t.Fatal(err)
	}
	if a.PayloadUUID != stored || a.PayloadIdentifier != stored {
		t.Errorf("AdoptIdentity did not set the top-level pair: %s %s", a.PayloadUUID, a.PayloadIdentifier)
	}
	if a.SCEP.PayloadUUID != c.SCEP.PayloadUUID {
		t.Error("AdoptIdentity changed the nested payload UUID")
	}
	if err := a.AdoptIdentity("not-a-uuid", "x"); err == nil {
		t.Error("AdoptIdentity accepted a non-UUID")
	}
	if err := a.AdoptIdentity(stored, " "); err == nil {
		t.Error("AdoptIdentity accepted an empty identifier")
	}
}

func TestOktaIDs(t *testing.T) {
	ids, ok := ParseOktaSCEPURL(testSCEP)
	if diff := cmp.Diff(OktaIDs{CA: testCA, RA: "racAbC123"}, ids); !ok || diff != "" {
		t.Errorf("ParseOktaSCEPURL = %v, %v; diff:\n%s", ids, ok, diff)
	}
	ids, ok = ParseOktaChallengeURL(testChal)
	if diff := cmp.Diff(OktaIDs{CA: testCA, RA: "racAbC123"}, ids); !ok || diff != "" {
		t.Errorf("ParseOktaChallengeURL = %v, %v; diff:\n%s", ids, ok, diff)
	}
	for _, bad := range []string{"https://acme.okta.com/pki/short/scep/rac1", "https://ndes.example.com/certsrv/mscep/mscep.dll", "::"} {
		if _, ok := ParseOktaSCEPURL(bad); ok {
			t.Errorf("ParseOktaSCEPURL(%q) ok, want not ok", bad)
		}
	}
}

func hasFinding(fs Findings, sev Severity, path, substr string) bool {
	for _, f := range fs {
		if f.Severity == sev && f.Path == path && strings.Contains(f.Message, substr) {
			return true
		}
	}
	return false
}

func findingsText(fs Findings) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}

func BenchmarkBuild(b *testing.B) {
	o := exampleOptions()
	d := DefaultDialect()
	for b.Loop() {
		p, _, err := Build(o, d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.MarshalWire(RenderOptions{Dialect: d}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	const password = "hunter2-secret"
	o := exampleOptions()
	o.Password = secret.New(password)
	p := mustBuild(t, o)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{o, p, *p, p.Jamf, p.Jamf.Password} {
			if got := fmt.Sprintf(verb, v); strings.Contains(got, password) || strings.Contains(got, fmt.Sprintf("%x", password)) {
				t.Errorf("fmt.Sprintf(%q, %T) shows the secret", verb, v)
			}
		}
	}
	if got := fmt.Sprint(p.Jamf.Password); got != secret.Redacted {
		t.Errorf("the password prints %q, want %q", got, secret.Redacted)
	}
}

// FuzzDecode checks Decode never panics, and that whatever it accepts
// renders and decodes back to the same model.
func FuzzDecode(f *testing.F) {
	p, _, err := Build(exampleOptions(), nil)
	if err != nil {
		f.Fatal(err)
	}
	file, _ := p.MarshalFile(RenderOptions{IncludeSecrets: true})
	wire, _ := p.MarshalWire(RenderOptions{})
	f.Add(file)
	f.Add(wire)
	f.Add([]byte(plistDoc("<dict/>")))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data, nil)
		if err != nil {
			return
		}
		out, err := p.MarshalFile(RenderOptions{IncludeSecrets: true})
		if err != nil {
			t.Fatalf("MarshalFile of a decoded profile: %v", err)
		}
		back, err := Decode(out, nil)
		if err != nil {
			t.Fatalf("Decode of a re-rendered profile: %v", err)
		}
		if diff := cmp.Diff(p, back); diff != "" {
			t.Fatalf("re-render mismatch (-first +second):\n%s", diff)
		}
	})
}
