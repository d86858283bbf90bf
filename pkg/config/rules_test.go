package config_test

import (
	"encoding/xml"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// The tests in this file hold every entry point of a value rule to one
// verdict (issue 15: rules written twice had drifted). For each value they
// ask the rule itself (profile.CheckX), profile build's core (profile.Build
// on config.ProfileOptions), the config file (config.Validate), the flags
// of profile build (Config.OverlayFlags, then Config.ValidateProfile, what
// the command runs) and, where the value lives in a profile an admin
// already has, profile lint. Each entry point must refuse exactly the
// values the rule refuses, with the rule's reason.

// verdict is what one entry point said about a value: "" when it accepted
// it, else its message.
type verdicts map[string]string

// ruleCase is one value of a rule.
type ruleCase struct {
	value string // as written in YAML and on the command line
	// notInBuildOptions: the value means "not set" in profile.Options
	// (the preset's default applies), so Build cannot see it; the config
	// and the flags, which can tell "written 0" from "absent", judge it.
	notInBuildOptions bool
}

func TestRuleRedistributeDays(t *testing.T) {
	cases := []ruleCase{{value: "1"}, {value: "30"}, {value: "364"}, {value: "365"}, {value: "-1"}, {value: "1000"}, {value: "0", notInBuildOptions: true}}
	for _, c := range cases {
		t.Run(c.value, func(t *testing.T) {
			n := atoi(t, c.value)
			want := reason(profile.CheckRedistributeDays(n))
			got := verdicts{
				"config file": viaFile(t, "redistribute_days: 30", "redistribute_days: "+c.value, "profile.scep.redistribute_days"),
				"flags":       viaFlags(t, config.Profile{SCEP: config.SCEP{RedistributeDays: n}}, "redistribute-days", "profile.scep.redistribute_days"),
				"lint":        viaLint(t, "Redistribute Profile", n),
			}
			if !c.notInBuildOptions {
				got["build"] = viaBuild(t, func(o *profile.Options) { o.RedistributeDays = n }, profile.FieldRedistributeDays)
			}
			assertVerdicts(t, want, got)
		})
	}
}

func TestRuleKeySize(t *testing.T) {
	cases := []ruleCase{{value: "2048"}, {value: "4096"}, {value: "1024"}, {value: "3072"}, {value: "-2048"}, {value: "0", notInBuildOptions: true}}
	for _, c := range cases {
		t.Run(c.value, func(t *testing.T) {
			n := atoi(t, c.value)
			want := reason(profile.CheckKeySize(n))
			got := verdicts{
				"config file": viaFile(t, "key_size: 2048", "key_size: "+c.value, "profile.scep.key_size"),
				"flags":       viaFlags(t, config.Profile{SCEP: config.SCEP{KeySize: n}}, "key-size", "profile.scep.key_size"),
				"lint":        viaLint(t, "Keysize", n),
			}
			if !c.notInBuildOptions {
				got["build"] = viaBuild(t, func(o *profile.Options) { o.KeySize = n }, profile.FieldKeySize)
			}
			assertVerdicts(t, want, got)
		})
	}
}

// TestRuleIdentifier pins the identifier rule, including the values on
// which profile build and config validate used to disagree ("foo",
// underscores, a leading '-').
func TestRuleIdentifier(t *testing.T) {
	for _, id := range []string{
		"com.acme.okta-device-access", "com.acme", "COM.Acme.2", "a.b",
		"foo", "com_acme.x", "-acme.com", "com..acme", "com.acme.", ".com.acme", "com acme", "com.acmé",
	} {
		t.Run(id, func(t *testing.T) {
			want := reason(profile.CheckIdentifier(id))
			assertVerdicts(t, want, verdicts{
				"config file": viaFile(t, "identifier: com.acme.okta-device-access", "identifier: "+strconv.Quote(id), "profile.identifier"),
				"flags":       viaFlags(t, config.Profile{Identifier: id}, "identifier", "profile.identifier"),
				"build":       viaBuild(t, func(o *profile.Options) { o.Identifier = id }, profile.FieldIdentifier),
			})
		})
	}
}

// TestRuleSCEPServiceURL pins the SCEP URL rule, including the values on
// which the entry points used to disagree: http on loopback (config
// validate accepted it, build refused it), a query (build and lint accepted
// it), credentials (lint accepted them).
func TestRuleSCEPServiceURL(t *testing.T) {
	const good = "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1"
	for _, u := range []string{
		good, "https://acme.okta.com:8443/pki", "https://127.0.0.1/pki",
		"http://acme.okta.com/pki", "http://127.0.0.1:9000/pki", "http://localhost/pki", "ftp://acme.okta.com/pki",
		"/pki/x", "acme.okta.com/pki", "https://u:p@acme.okta.com/pki", "https://acme.okta.com/pki?operation=x",
		"https://acme.okta.com/pki#x", "https://acme.okta.com/pki?", "https:acme.okta.com",
	} {
		t.Run(u, func(t *testing.T) {
			want := reason(profile.CheckSCEPServiceURL(u))
			assertVerdicts(t, want, verdicts{
				"config file": viaFile(t, "url: "+good, "url: "+strconv.Quote(u), "profile.scep.url"),
				"flags":       viaFlags(t, config.Profile{SCEP: config.SCEP{URL: u}}, "scep-url", "profile.scep.url"),
				"build":       viaBuild(t, func(o *profile.Options) { o.SCEPURL = u }, profile.FieldSCEPURL),
				"lint":        viaLintString(t, "URL", good, u),
			})
		})
	}
}

// TestRulePreset pins the preset rule: config validate used to accept any
// lowercase name that profile build then refused.
func TestRulePreset(t *testing.T) {
	for _, name := range []string{"okta-device-access", "nope", "Okta", "jamf-dialect", "../okta-device-access"} {
		t.Run(name, func(t *testing.T) {
			want := reason(profile.CheckPreset(name))
			assertVerdicts(t, want, verdicts{
				"config file": viaFile(t, "  name: Okta Device Access SCEP", "  name: Okta Device Access SCEP\n  preset: "+strconv.Quote(name), "profile.preset"),
				"flags":       viaFlags(t, config.Profile{Preset: name}, "preset", "profile.preset"),
				"build":       viaBuild(t, func(o *profile.Options) { o.Preset = name }, profile.FieldPreset),
			})
		})
	}
}

// TestRuleLength pins the length limits: config validate used to accept
// any length that profile build then refused.
func TestRuleLength(t *testing.T) {
	for _, v := range []string{
		strings.Repeat("n", profile.MaxNameLength),
		strings.Repeat("n", profile.MaxNameLength+1),
		strings.Repeat("é", profile.MaxNameLength), // 510 bytes, 255 characters
		strings.Repeat("é", profile.MaxNameLength+1),
	} {
		t.Run(strconv.Itoa(len(v))+" bytes", func(t *testing.T) {
			want := reason(profile.CheckLength(profile.FieldName, v))
			assertVerdicts(t, want, verdicts{
				"config file": viaFile(t, "  name: Okta Device Access SCEP", "  name: "+v, "profile.name"),
				"flags":       viaFlags(t, config.Profile{Name: v}, "profile-name", "profile.name"),
				"build":       viaBuild(t, func(o *profile.Options) { o.Name = v }, profile.FieldName),
			})
		})
	}
}

// TestRuleChallengeType pins the challenge type rule.
func TestRuleChallengeType(t *testing.T) {
	for _, ct := range []string{"dynamic-microsoft-ca", "static", "dynamic", "Static", "dynamic-microsoft", "ndes"} {
		t.Run(ct, func(t *testing.T) {
			want := reason(profile.CheckChallengeType(profile.ChallengeType(ct)))
			assertVerdicts(t, want, verdicts{
				"config file": viaFile(t, "type: dynamic-microsoft-ca", "type: "+strconv.Quote(ct), "profile.scep.challenge.type"),
				"flags":       viaFlags(t, config.Profile{SCEP: config.SCEP{Challenge: config.Challenge{Type: ct}}}, "challenge-type", "profile.scep.challenge.type"),
				"build":       viaBuild(t, func(o *profile.Options) { o.ChallengeType = profile.ChallengeType(ct) }, profile.FieldChallengeType),
			})
		})
	}
}

// assertVerdicts fails unless every entry point accepted (want "") or
// every one refused with a message containing want.
func assertVerdicts(t *testing.T, want string, got verdicts) {
	t.Helper()
	for entry, msg := range got {
		switch {
		case want == "" && msg != "":
			t.Errorf("%s refuses a value the rule accepts: %s", entry, msg)
		case want != "" && msg == "":
			t.Errorf("%s accepts a value the rule refuses (%s)", entry, want)
		case want != "" && !strings.Contains(msg, want):
			t.Errorf("%s refuses with %q, not the rule's reason %q", entry, msg, want)
		}
	}
}

func reason(p *profile.TextProblem) string {
	if p == nil {
		return ""
	}
	return p.Reason
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// problemAt returns the message of the problem err reports at field, or "".
func problemAt(t *testing.T, err error, field string) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var ps config.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v is not config.Problems", err)
	}
	for _, p := range ps {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

// viaFile judges the value written in the config file.
func viaFile(t *testing.T, old, new, field string) string {
	t.Helper()
	c, err := config.Parse([]byte(patch(t, old, new)), "c.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return problemAt(t, c.Validate(), field)
}

// viaFlags judges the value given as a flag over the valid config, as
// profile build does: OverlayFlags, then ValidateProfile.
func viaFlags(t *testing.T, flags config.Profile, flag, field string) string {
	t.Helper()
	c, err := config.Parse([]byte(valid), "c.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	c.OverlayFlags(flags, []string{flag})
	// A problem with a flag's value names the flag, then the field.
	return problemAt(t, c.ValidateProfile(), "--"+flag+" ("+field+")")
}

// viaBuild judges the value in profile.Options built from the valid
// config, as every command that builds the profile does.
func viaBuild(t *testing.T, set func(*profile.Options), field string) string {
	t.Helper()
	c, err := config.Parse([]byte(valid), "c.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	o, err := config.ProfileOptions(t.Context(), c.Profile, secret.Resolver{}, false)
	if err != nil {
		t.Fatal(err)
	}
	set(&o)
	_, fs, _ := profile.Build(o, nil)
	for _, f := range fs.Errors() {
		if f.Path == field {
			return f.Message
		}
	}
	return ""
}

// viaLintString judges a string written in a profile file: the valid
// config's profile rendered, with the key's value old replaced by new.
func viaLintString(t *testing.T, key, old, new string) string {
	t.Helper()
	data := renderValid(t)
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(new)); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(<key>` + regexp.QuoteMeta(key) + `</key>\s*<string>)` + regexp.QuoteMeta(old) + `(</string>)`)
	loc := re.FindSubmatchIndex(data)
	if loc == nil {
		t.Fatalf("the rendered profile has no %s %q", key, old)
	}
	data = slices.Concat(data[:loc[3]], []byte(b.String()), data[loc[4]:])
	return lintAt(data, key)
}

// lintAt returns lint's error messages at a key of the SCEP payload.
func lintAt(data []byte, key string) string {
	var msgs []string
	for _, f := range profile.Lint(data, profile.LintOptions{}).Errors() {
		if strings.HasSuffix(f.Path, "PayloadContent."+key) {
			msgs = append(msgs, f.Message)
		}
	}
	return strings.Join(msgs, "; ")
}

// renderValid renders the valid config's profile as profile build writes
// it.
func renderValid(t *testing.T) []byte {
	t.Helper()
	c, err := config.Parse([]byte(valid), "c.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	o, err := config.ProfileOptions(t.Context(), c.Profile, secret.Resolver{}, false)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := profile.Build(o, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.MarshalFile(profile.RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// viaLint judges an integer Jamf setting written in a profile file, which
// profile lint reads: the valid config's profile rendered, with the key's
// value replaced.
func viaLint(t *testing.T, key string, n int) string {
	t.Helper()
	data := renderValid(t)
	re := regexp.MustCompile(`(<key>` + regexp.QuoteMeta(key) + `</key>\s*<integer>)-?\d+(</integer>)`)
	if !re.Match(data) {
		t.Fatalf("the rendered profile has no integer %q", key)
	}
	data = re.ReplaceAll(data, []byte("${1}"+strconv.Itoa(n)+"${2}"))
	return lintAt(data, key)
}
