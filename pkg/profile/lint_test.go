package profile

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/internal/golden"

	"github.com/google/go-cmp/cmp"
	"github.com/smallstep/pkcs7"
	"howett.net/plist"
)

// builtMap is the example profile, rendered with secrets and decoded into
// plain plist values for a test to mutate.
func builtMap(t testing.TB) map[string]any {
	t.Helper()
	data, err := mustBuild(t, exampleOptions()).MarshalFile(RenderOptions{IncludeSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if _, err := plist.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func scepDict(m map[string]any) map[string]any {
	return m["PayloadContent"].([]any)[0].(map[string]any)
}

func contentDict(m map[string]any) map[string]any {
	return scepDict(m)["PayloadContent"].(map[string]any)
}

func encode(t testing.TB, v any, format int) []byte {
	t.Helper()
	b, err := plist.Marshal(v, format)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const cp = "PayloadContent[0].PayloadContent."

func TestLintBuiltProfileIsClean(t *testing.T) {
	p := mustBuild(t, exampleOptions())
	for _, name := range []string{"file", "wire", "binary"} {
		var data []byte
		switch name {
		case "file":
			data, _ = p.MarshalFile(RenderOptions{})
		case "wire":
			data, _ = p.MarshalWire(RenderOptions{})
		case "binary":
			data = encode(t, builtMap(t), plist.BinaryFormat)
		}
		fs := Lint(data, LintOptions{})
		if len(fs.Errors())+len(fs.Warnings()) > 0 {
			t.Errorf("%s: built profile is not clean:\n%s", name, findingsText(fs))
		}
	}
}

func TestLintRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(m map[string]any)
		sev    Severity
		path   string
		want   string
		fix    string
	}{
		{"misspelled key", func(m map[string]any) {
			c := contentDict(m)
			c["IsKeyExtractable"] = c["KeyIsExtractable"]
			delete(c, "KeyIsExtractable")
		}, SeverityWarning, cp + "IsKeyExtractable", `unknown key "IsKeyExtractable"`, "did you mean KeyIsExtractable?"},
		{"misspelled key leaves KeyIsExtractable missing", func(m map[string]any) {
			c := contentDict(m)
			c["IsKeyExtractable"] = false
			delete(c, "KeyIsExtractable")
		}, SeverityError, cp + "KeyIsExtractable", "is missing; macOS then lets the private key be exported", ""},
		{"unknown outer key", func(m map[string]any) { m["PayloadScopes"] = "System" }, SeverityWarning, "PayloadScopes", "unknown key", "did you mean PayloadScope?"},
		{"unknown key no suggestion", func(m map[string]any) { contentDict(m)["Zzzzzzzzzz"] = "x" }, SeverityWarning, cp + "Zzzzzzzzzz", "unknown key", "record it in your Jamf dialect file"},
		{"wrong type", func(m map[string]any) { contentDict(m)["Keysize"] = "2048" }, SeverityError, cp + "Keysize", "is a string, want integer", ""},
		{"keysize missing", func(m map[string]any) { delete(contentDict(m), "Keysize") }, SeverityError, cp + "Keysize", "is missing; macOS then uses 1024-bit keys", ""},
		{"keysize 1024", func(m map[string]any) { contentDict(m)["Keysize"] = 1024 }, SeverityError, cp + "Keysize", "1024 is refused: Okta requires 2048-bit keys", ""},
		{"keysize 4096", func(m map[string]any) { contentDict(m)["Keysize"] = 4096 }, SeverityWarning, cp + "Keysize", "is 4096", ""},
		{"key type", func(m map[string]any) { contentDict(m)["Key Type"] = "ECC" }, SeverityError, cp + "Key Type", `is "ECC"; Apple supports only RSA`, ""},
		{"key usage 5", func(m map[string]any) { contentDict(m)["Key Usage"] = 5 }, SeverityError, cp + "Key Usage", "is 5; Okta Device Access needs exactly 1", ""},
		{"key usage missing", func(m map[string]any) { delete(contentDict(m), "Key Usage") }, SeverityError, cp + "Key Usage", "is missing", ""},
		{"extractable", func(m map[string]any) { contentDict(m)["KeyIsExtractable"] = true }, SeverityError, cp + "KeyIsExtractable", "is true", ""},
		{"all apps false", func(m map[string]any) { contentDict(m)["AllowAllAppsAccess"] = false }, SeverityError, cp + "AllowAllAppsAccess", "is false", ""},
		{"all apps missing", func(m map[string]any) { delete(contentDict(m), "AllowAllAppsAccess") }, SeverityError, cp + "AllowAllAppsAccess", "is missing", ""},
		{"scope user", func(m map[string]any) { m["PayloadScope"] = "User" }, SeverityError, "PayloadScope", `is "User"`, "set PayloadScope to System (Jamf Computer Level)"},
		{"scope missing", func(m map[string]any) { delete(m, "PayloadScope") }, SeverityError, "PayloadScope", "is missing", ""},
		{"fingerprint 32 bytes", func(m map[string]any) { contentDict(m)["CAFingerprint"] = make([]byte, 32) }, SeverityError, cp + "CAFingerprint", "is 32 bytes", ""},
		{"subject over budget", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"CN", strings.Repeat("x", 30) + " $UDID"}}}
		}, SeverityError, cp + "Subject[0][0]", "exceeds the limit by 10", ""},
		{"subject unknown variable", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"CN", "$COMPUTER_NAME"}}}
		}, SeverityWarning, cp + "Subject[0][0]", "$COMPUTER_NAME is not a Jamf payload variable", "did you mean $COMPUTERNAME?"},
		{"subject phantom empty array", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"CN", "x"}}, []any{}}
		}, SeverityError, cp + "Subject", "element [1] is an array", ""},
		{"subject bad attribute type", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"emailAddress", "x"}}}
		}, SeverityError, cp + "Subject[0][0]", "1.2.840.113549.1.9.1", ""},
		{"subject lower-case short name", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"cn", "x"}}}
		}, SeverityError, cp + "Subject[0][0]", "must be upper case", ""},
		{"subject edge spaces", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"O", " ACME "}}, []any{[]any{"CN", "x"}}}
		}, SeverityError, cp + "Subject[0][0]", `O value " ACME " has leading or trailing spaces, which Jamf trims`, "remove them"},
		{"subject control character", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"CN", "a\tb"}}}
		}, SeverityError, cp + "Subject[0][0]", "control character (U+0009, tab)", "remove it; write the text on one line"},
		{"subject without CN", func(m map[string]any) {
			contentDict(m)["Subject"] = []any{[]any{[]any{"O", "Acme"}}}
		}, SeverityError, cp + "Subject", "has no CN", "add one, e.g. CN=$COMPUTERNAME ma $UDID"},
		{"subject missing", func(m map[string]any) { delete(contentDict(m), "Subject") }, SeverityError, cp + "Subject", "is missing", ""},
		{"subject empty", func(m map[string]any) { contentDict(m)["Subject"] = []any{} }, SeverityError, cp + "Subject", "is empty", ""},
		{"redistribution missing", func(m map[string]any) { delete(contentDict(m), "Redistribute Profile") }, SeverityWarning, cp + "Redistribute Profile", "redistribution is not set", ""},
		{"redistribution 400", func(m map[string]any) { contentDict(m)["Redistribute Profile"] = 400 }, SeverityError, cp + "Redistribute Profile", "redistribution: 400 is out of range", ""},
		{"dialect key wrong type", func(m map[string]any) { contentDict(m)["Redistribute Profile"] = "30" }, SeverityWarning, cp + "Redistribute Profile", "the dialect says integer", ""},
		{"no challenge", func(m map[string]any) { delete(contentDict(m), "Challenge Type") }, SeverityWarning, cp + "Challenge", "no challenge found", ""},
		{"challenge URL http", func(m map[string]any) { contentDict(m)["URL To SCEP Admin"] = "http://x" }, SeverityError, cp + "URL To SCEP Admin", "must use https", ""},
		{"dynamic without username", func(m map[string]any) { delete(contentDict(m), "Username") }, SeverityWarning, cp + "Username", "is missing for the Dynamic-Microsoft CA challenge", ""},
		{"URL http", func(m map[string]any) { contentDict(m)["URL"] = "http://acme.okta.com/pki" }, SeverityError, cp + "URL", "must use https", ""},
		{"URL missing", func(m map[string]any) { delete(contentDict(m), "URL") }, SeverityError, cp + "URL", "required key is missing", ""},
		{"outer type", func(m map[string]any) { m["PayloadType"] = "com.apple.security.scep" }, SeverityError, "PayloadType", `want "Configuration"`, ""},
		{"version", func(m map[string]any) { m["PayloadVersion"] = 2 }, SeverityWarning, "PayloadVersion", "is 2, want 1", ""},
		{"uuid", func(m map[string]any) { scepDict(m)["PayloadUUID"] = "nope" }, SeverityWarning, "PayloadContent[0].PayloadUUID", "is not a UUID", ""},
		{"no SCEP payload", func(m map[string]any) { m["PayloadContent"] = []any{} }, SeverityError, "PayloadContent", "has no com.apple.security.scep payload", ""},
		{"two SCEP payloads", func(m map[string]any) {
			p := m["PayloadContent"].([]any)
			m["PayloadContent"] = append(p, p[0])
		}, SeverityWarning, "PayloadContent", "has 2 SCEP payloads", ""},
		{"non-dict payload", func(m map[string]any) {
			m["PayloadContent"] = append(m["PayloadContent"].([]any), "x")
		}, SeverityError, "PayloadContent[1]", "is a string, want a payload dictionary", ""},
		{"other payload type", func(m map[string]any) {
			m["PayloadContent"] = append(m["PayloadContent"].([]any), map[string]any{"PayloadType": "com.apple.wifi.managed", "PayloadVersion": "1"})
		}, SeverityError, "PayloadContent[1].PayloadVersion", "is a string, want integer", ""},
		{"SCEP content is an array", func(m map[string]any) { scepDict(m)["PayloadContent"] = []any{} }, SeverityError, "PayloadContent[0].PayloadContent", "is an array, want dictionary", ""},
		{"SAN unknown key", func(m map[string]any) { contentDict(m)["SubjectAltName"] = map[string]any{"dnsName": "x"} }, SeverityWarning, cp + "SubjectAltName.dnsName", "unknown key", "did you mean dNSName?"},
		{"SAN wrong type", func(m map[string]any) { contentDict(m)["SubjectAltName"] = map[string]any{"dNSName": true} }, SeverityError, cp + "SubjectAltName.dNSName", "is a boolean, want a string or an array of strings", ""},
		{"SAN array element", func(m map[string]any) {
			contentDict(m)["SubjectAltName"] = map[string]any{"dNSName": []any{"a", 1}}
		}, SeverityError, cp + "SubjectAltName.dNSName[1]", "is an integer, want string", ""},
		{"Jamf PayloadEnabled wrong type", func(m map[string]any) { m["PayloadEnabled"] = "yes" }, SeverityWarning, "PayloadEnabled", "Jamf's PayloadEnabled is a string", ""},
		{"required missing", func(m map[string]any) { delete(m, "PayloadUUID") }, SeverityError, "PayloadUUID", "required key is missing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := builtMap(t)
			tt.mutate(m)
			fs := Lint(encode(t, m, plist.XMLFormat), LintOptions{})
			for _, f := range fs {
				if f.Severity == tt.sev && f.Path == tt.path && strings.Contains(f.Message, tt.want) && strings.Contains(f.Fix, tt.fix) {
					return
				}
			}
			t.Errorf("no %s at %q containing %q (fix %q); got:\n%s", tt.sev, tt.path, tt.want, tt.fix, findingsText(fs))
		})
	}
}

func TestLintNoFindingForJamfKeys(t *testing.T) {
	m := builtMap(t)
	m["PayloadEnabled"] = true
	scepDict(m)["PayloadEnabled"] = true
	contentDict(m)["CAFingerprint"] = make([]byte, 20)
	fs := Lint(encode(t, m, plist.XMLFormat), LintOptions{})
	if len(fs.Errors())+len(fs.Warnings()) > 0 {
		t.Errorf("want no errors or warnings; got:\n%s", findingsText(fs))
	}
	if !hasFinding(fs, SeverityInfo, cp+"Challenge Type", "Jamf setting challenge_type (inferred dialect key") {
		t.Errorf("want an info finding naming the dialect key; got:\n%s", findingsText(fs))
	}
}

func TestLintBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "the file is empty"},
		{"garbage", []byte("<plist><dict><key>"), "not a property list"},
		{"array root", []byte(plistDoc("<array/>")), "the root is an array"},
		{"bad DER", []byte{0x30, 0x03, 0x01, 0x02}, "looks CMS-signed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Lint(tt.in, LintOptions{})
			if !hasFinding(fs, SeverityError, "", tt.want) {
				t.Errorf("want an error containing %q; got:\n%s", tt.want, findingsText(fs))
			}
		})
	}
}

func TestLintSignedProfile(t *testing.T) {
	cert, key := selfSigned(t)
	data, _ := mustBuild(t, exampleOptions()).MarshalFile(RenderOptions{})
	sign := func(detached bool) []byte {
		sd, err := pkcs7.NewSignedData(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := sd.AddSigner(cert, key, pkcs7.SignerInfoConfig{}); err != nil {
			t.Fatal(err)
		}
		if detached {
			sd.Detach()
		}
		der, err := sd.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	fs := Lint(sign(false), LintOptions{})
	if len(fs.Errors())+len(fs.Warnings()) > 0 || !hasFinding(fs, SeverityInfo, "", "CMS-signed profile") {
		t.Errorf("signed profile: want only info findings including the CMS note; got:\n%s", findingsText(fs))
	}
	fs = Lint(sign(true), LintOptions{})
	if !hasFinding(fs, SeverityError, "", "no embedded content") {
		t.Errorf("detached signature: want an error; got:\n%s", findingsText(fs))
	}
}

func selfSigned(t *testing.T) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "lint test signer"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func TestLintProfileIDMakesBudgetExact(t *testing.T) {
	m := builtMap(t)
	// 20 + " ma " + 36 = 60: a 2-digit id appended after one space fits
	// (63), a 7-digit one does not (68).
	contentDict(m)["Subject"] = []any{[]any{[]any{"CN", strings.Repeat("x", 20) + " ma $UDID"}}}
	data := encode(t, m, plist.XMLFormat)
	if fs := Lint(data, LintOptions{ProfileID: 12}); fs.HasErrors() {
		t.Errorf("profile id 12: want no errors; got:\n%s", findingsText(fs))
	}
	if fs := Lint(data, LintOptions{ProfileID: 1234567}); !hasFinding(fs, SeverityError, cp+"Subject[0][0]", "exceeds the limit by 4") {
		t.Errorf("profile id 1234567: want an over-budget error; got:\n%s", findingsText(fs))
	}
}

func TestFindingJSON(t *testing.T) {
	fs := Findings{{Severity: SeverityWarning, Path: cp + "Key Usage", Message: "m", Fix: "f"}, {Severity: SeverityInfo, Path: "", Message: "n"}}
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"severity":"warning","path":"PayloadContent[0].PayloadContent.Key Usage","message":"m","fix":"f"},{"severity":"info","path":"","message":"n"}]`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("JSON mismatch (-want +got):\n%s", diff)
	}
	var back Findings
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fs, back); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	if got, _ := json.Marshal(Findings(nil)); string(got) != "[]" {
		t.Errorf("nil Findings marshal to %s, want []", got)
	}
}

// FuzzLint checks Lint never panics or hangs on arbitrary bytes. Run it
// with a short -fuzzminimizetime (e.g. 5s): the default 60 s spent
// minimizing each new input looks like a stall.
func FuzzLint(f *testing.F) {
	p, _, err := Build(exampleOptions(), nil)
	if err != nil {
		f.Fatal(err)
	}
	file, _ := p.MarshalFile(RenderOptions{IncludeSecrets: true})
	wire, _ := p.MarshalWire(RenderOptions{})
	var m map[string]any
	if _, err := plist.Unmarshal(file, &m); err != nil {
		f.Fatal(err)
	}
	bin, _ := plist.Marshal(m, plist.BinaryFormat)
	for _, seed := range [][]byte{file, wire, bin, {}, {0x30}, {0x30, 0x80, 0x00, 0x00}, []byte("bplist00"), []byte(plistDoc("<array/>"))} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range Lint(data, LintOptions{}) {
			if fd.Message == "" {
				t.Fatalf("finding without a message: %+v", fd)
			}
		}
	})
}

func BenchmarkLint(b *testing.B) {
	p, _, err := Build(exampleOptions(), nil)
	if err != nil {
		b.Fatal(err)
	}
	data, _ := p.MarshalFile(RenderOptions{})
	for b.Loop() {
		Lint(data, LintOptions{})
	}
}

func TestLintNotesSecrets(t *testing.T) {
	fs := Lint(encode(t, builtMap(t), plist.XMLFormat), LintOptions{})
	if !hasFinding(fs, SeverityInfo, cp+"Password", "holds the SCEP admin password") {
		t.Errorf("want an info finding for the password; got:\n%s", findingsText(fs))
	}
	for _, f := range fs {
		if strings.Contains(f.String(), "not-a-real-password") {
			t.Errorf("finding leaks the password: %s", f.Path)
		}
	}
	m := builtMap(t)
	contentDict(m)["Challenge"] = "static-secret"
	fs = Lint(encode(t, m, plist.XMLFormat), LintOptions{})
	if !hasFinding(fs, SeverityInfo, cp+"Challenge", "holds the static SCEP challenge") {
		t.Errorf("want an info finding for the static challenge; got:\n%s", findingsText(fs))
	}
}

func TestLintGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "broken.plist"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(Lint(data, LintOptions{}), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "lint-broken.golden", append(out, '\n'))
}
