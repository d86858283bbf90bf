package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// refCmp compares secret references by value (they have unexported fields).
var refCmp = cmp.Comparer(func(a, b secret.Ref) bool { return a == b })

// cfgCmp compares configs by their exported fields.
var cfgCmp = cmp.Options{refCmp, cmp.Comparer(func(a, b config.Config) bool {
	return cmp.Equal(a.Version, b.Version) && cmp.Equal(a.Profile, b.Profile, refCmp) &&
		cmp.Equal(a.Scope, b.Scope) && cmp.Equal(a.Tenants, b.Tenants, refCmp) &&
		cmp.Equal(a.Rollout, b.Rollout)
})}

// valid is a complete single-tenant config; tests patch it line by line.
const valid = `version: 1
profile:
  name: Okta Device Access SCEP
  identifier: com.acme.okta-device-access
  scep:
    url: https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1
    subject: "CN=$COMPUTERNAME ma $UDID"
    key_size: 2048
    redistribute_days: 30
    challenge:
      type: dynamic-microsoft-ca
      url: https://acme.okta.com/api/v1/certificateAuthorities/0123/registrationAuthorities/rac1/challenge
      username: okta-abc123
      password: env:OKTA_SCEP_PASSWORD
scope:
  computer_groups: [All Managed Macs]
tenants:
  - name: prod
    url: https://acme.jamfcloud.com
    auth:
      client_id: abc
      client_secret: env:JAMF_CLIENT_SECRET
`

// patch replaces old with new in valid, failing if old is absent.
func patch(t *testing.T, pairs ...string) string {
	t.Helper()
	s := valid
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("patch: %q not in the valid config", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ps config.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v is not config.Problems", err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error()
	}
	return out
}

func TestValidConfig(t *testing.T) {
	c, err := config.Parse([]byte(valid), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := &config.Config{
		Version: 1,
		Profile: config.Profile{
			Name: "Okta Device Access SCEP", Identifier: "com.acme.okta-device-access",
			SCEP: config.SCEP{
				URL:     "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1",
				Subject: "CN=$COMPUTERNAME ma $UDID", KeySize: 2048, RedistributeDays: 30,
				Challenge: config.Challenge{
					Type:     config.ChallengeDynamic,
					URL:      "https://acme.okta.com/api/v1/certificateAuthorities/0123/registrationAuthorities/rac1/challenge",
					Username: "okta-abc123", Password: secret.EnvRef("OKTA_SCEP_PASSWORD"),
				},
			},
		},
		Scope: config.Scope{ComputerGroups: []string{"All Managed Macs"}},
		Tenants: []config.Tenant{{
			Name: "prod", URL: "https://acme.jamfcloud.com",
			Auth: config.Auth{ClientID: "abc", ClientSecret: secret.EnvRef("JAMF_CLIENT_SECRET")},
		}},
	}
	if diff := cmp.Diff(*want, *c, cfgCmp); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
	if c.Tenants[0].Auth.Kind() != config.AuthClient {
		t.Errorf("Auth.Kind = %v, want AuthClient", c.Tenants[0].Auth.Kind())
	}
	if c.Source() != "c.yaml" {
		t.Errorf("Source = %q", c.Source())
	}
}

// TestParseProblems covers what Parse refuses: structure, unknown keys,
// types and literal secrets, all reported at once with lines.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "empty file",
			in:   "",
			want: []string{"c.yaml: the file is empty; start it with version: 1 (see examples/okta-device-access.yaml)"},
		},
		{
			name: "syntax",
			in:   "version: 1\nprofile:\n  name: [x\n",
			want: []string{"c.yaml:2: invalid YAML: did not find expected ',' or ']'; fix the YAML syntax at that line"},
		},
		{
			name: "not a mapping",
			in:   "- a\n- b\n",
			want: []string{"c.yaml:1: is not a YAML mapping; start it with version: 1 (see examples/okta-device-access.yaml)"},
		},
		{
			name: "two documents",
			in:   valid + "---\nversion: 1\n",
			want: []string{"c.yaml:23: holds more than one YAML document; keep one document; remove the --- separator"},
		},
		{
			name: "missing version",
			in:   strings.Replace(valid, "version: 1\n", "", 1),
			want: []string{"c.yaml:1: version: missing; add version: 1 at the top"},
		},
		{
			name: "other version stops early",
			in:   strings.Replace(valid, "version: 1\n", "version: 2\nnew_thing: x\n", 1),
			want: []string{"c.yaml:1: version: this jamf-scep reads version 1 only; write version: 1, or use the jamf-scep release that wrote this file"},
		},
		{
			name: "unknown keys with suggestions, all at once",
			in:   patch(t, "  scep:\n", "  sceep:\n", "    key_size:", "    keysize:", "      client_id:", "      clientid:", "scope:\n", "scope:\n  color: red\n"),
			want: []string{
				`c.yaml:5: profile.sceep: unknown key; did you mean "scep"?`,
				"c.yaml:16: scope.color: unknown key; known keys here: all_computers, computers, computer_groups, buildings, departments, exclusions",
				`c.yaml:22: tenants[0].auth.clientid: unknown key; did you mean "client_id"?`,
			},
		},
		{
			name: "unknown nested key",
			in:   patch(t, "    key_size:", "    keysize:"),
			want: []string{`c.yaml:8: profile.scep.keysize: unknown key; did you mean "key_size"?`},
		},
		{
			name: "duplicate key",
			in:   patch(t, "  name: Okta Device Access SCEP\n", "  name: a\n  name: b\n"),
			want: []string{"c.yaml:4: profile.name: appears twice; keep one"},
		},
		{
			name: "types",
			in: patch(t, "key_size: 2048", `key_size: "2048"`, "redistribute_days: 30", "redistribute_days: soon",
				"computer_groups: [All Managed Macs]", "computer_groups: All Managed Macs\n  all_computers: yes", "  name: Okta Device Access SCEP", "  name: [a]"),
			want: []string{
				"c.yaml:3: profile.name: must be a single value; write a string",
				"c.yaml:8: profile.scep.key_size: must be a whole number; write digits only, without quotes",
				"c.yaml:9: profile.scep.redistribute_days: must be a whole number; write digits only, without quotes",
				"c.yaml:16: scope.computer_groups: must be a list; write [a, b] or one \"- item\" per line",
				"c.yaml:17: scope.all_computers: must be true or false; write true or false, without quotes",
			},
		},
		{
			name: "literal secrets refused without echo",
			in:   patch(t, "password: env:OKTA_SCEP_PASSWORD", "password: hunter2-Sup3rSecret", "client_secret: env:JAMF_CLIENT_SECRET", "client_secret: evn:JAMF"),
			want: []string{
				"c.yaml:14: profile.scep.challenge.password: looks like a literal secret, and secrets are never written in the config; put it in an env var and write env:NAME (or use env:NAME, file:PATH or keychain:SERVICE/ACCOUNT)",
				"c.yaml:22: tenants[0].auth.client_secret: unknown secret reference kind; did you mean env:? write env:NAME, file:PATH or keychain:SERVICE/ACCOUNT",
			},
		},
		{
			name: "secret as a mapping",
			in:   patch(t, "password: env:OKTA_SCEP_PASSWORD", "password: {env: X}"),
			want: []string{"c.yaml:14: profile.scep.challenge.password: must be a secret reference; write env:NAME, file:PATH or keychain:SERVICE/ACCOUNT"},
		},
		{
			name: "anchors refused",
			in:   patch(t, "computer_groups: [All Managed Macs]", "computer_groups: &g [All Managed Macs]\n  buildings: *g"),
			want: []string{
				"c.yaml:16: scope.computer_groups: uses a YAML anchor or alias; write the value out in full",
				"c.yaml:17: scope.buildings: uses a YAML anchor or alias; write the value out in full",
			},
		},
		{
			// QA report 2: a null list read as "not owned" while the admin
			// may have meant "owned, empty" (remove every target).
			name: "null list",
			in:   patch(t, "computer_groups: [All Managed Macs]", "computer_groups: [All Managed Macs]\n  buildings: ~\n  departments:\n  exclusions:\n    computers: null"),
			want: []string{
				"c.yaml:17: scope.buildings: is null, which is not an empty list; write [] to own it empty (Jamf keeps none), or remove the key to leave it as Jamf has it",
				"c.yaml:18: scope.departments: is null, which is not an empty list; write [] to own it empty (Jamf keeps none), or remove the key to leave it as Jamf has it",
				"c.yaml:20: scope.exclusions.computers: is null, which is not an empty list; write [] to own it empty (Jamf keeps none), or remove the key to leave it as Jamf has it",
			},
		},
		{
			name: "section not a mapping",
			in:   patch(t, "scope:\n  computer_groups: [All Managed Macs]\n", "scope: everyone\n"),
			want: []string{"c.yaml:15: scope: must be a mapping of keys; indent its keys under it (key: value)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.in), "c.yaml")
			if c != nil {
				t.Errorf("Parse returned a config with problems")
			}
			got := problems(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if strings.Contains(strings.Join(got, "\n"), "hunter2") {
				t.Errorf("a problem repeats the literal secret")
			}
		})
	}
}

// TestValidate covers every Validate problem with its exact message.
func TestValidate(t *testing.T) {
	const tenant2 = `  - name: dev
    url: https://dev.jamfcloud.com
    auth:
      username: api
      password: env:JAMF_DEV_PASSWORD
`
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "valid", in: valid},
		{
			name: "urls",
			in: patch(t, "url: https://acme.okta.com/pki", "url: http://acme.okta.com/pki",
				"url: https://acme.okta.com/api", "url: acme.okta.com/api",
				"url: https://acme.jamfcloud.com", "url: https://admin:pw@acme.jamfcloud.com"),
			want: []string{
				"c.yaml:6: profile.scep.url: must use https; write https://",
				"c.yaml:12: profile.scep.challenge.url: is not an absolute URL; write it in full, starting with https://",
				"c.yaml:19: tenants[0].url: carries credentials; remove user:password@ from the URL; credentials are secret references under auth",
			},
		},
		{
			// A Jamf URL may be http on loopback (local simulators); a SCEP
			// URL never: Macs call it (profile.CheckSCEPServiceURL).
			name: "loopback http accepted for Jamf only, query refused",
			in: patch(t, "url: https://acme.jamfcloud.com", "url: http://127.0.0.1:8080/jamf/",
				"url: https://acme.okta.com/pki", "url: http://localhost:9000/pki",
				"url: https://acme.okta.com/api", "url: https://acme.okta.com/x?y=1#z\n      #"),
			want: []string{
				"c.yaml:6: profile.scep.url: must use https; write https://",
				"c.yaml:12: profile.scep.challenge.url: has a query or fragment; remove everything from ? or #",
			},
		},
		{
			name: "loopback http with a query",
			in:   patch(t, "url: https://acme.jamfcloud.com", "url: http://127.0.0.1:8080/jamf/?x=1"),
			want: []string{"c.yaml:19: tenants[0].url: has a query or fragment; remove everything from ? or #"},
		},
		{
			// Copied from the browser's address bar or an API example:
			// every request, the token's first, would answer 404.
			name: "Jamf Cloud url with a path",
			in:   patch(t, "url: https://acme.jamfcloud.com", "url: https://Acme.jamfcloud.com/api/v1"),
			want: []string{"c.yaml:19: tenants[0].url: has a path, and Jamf Cloud serves Jamf Pro at the root; remove everything after acme.jamfcloud.com"},
		},
		{
			name: "Jamf Cloud url with a trailing slash",
			in:   patch(t, "url: https://acme.jamfcloud.com", "url: https://acme.jamfcloud.com/"),
		},
		{
			name: "on-premises url with an API path",
			in:   patch(t, "url: https://acme.jamfcloud.com", "url: https://jamf.example.com:8443/jamf/JSSResource/computers"),
			want: []string{"c.yaml:19: tenants[0].url: has the page or API path /JSSResource in it; give the address Jamf Pro opens at, such as https://acme.jamfcloud.com (on premises with its port and any context path, such as https://jamf.example.com:8443); jamf-scep adds the API paths"},
		},
		{
			name: "on-premises url with a page",
			in:   patch(t, "url: https://acme.jamfcloud.com", "url: https://jamf.example.com:8443/index.html"),
			want: []string{"c.yaml:19: tenants[0].url: has the page or API path /index.html in it; give the address Jamf Pro opens at, such as https://acme.jamfcloud.com (on premises with its port and any context path, such as https://jamf.example.com:8443); jamf-scep adds the API paths"},
		},
		{
			name: "on-premises url with a context path",
			in:   patch(t, "url: https://acme.jamfcloud.com", "url: https://jamf.example.com:8443/jamf/"),
		},
		{
			name: "empty url present",
			in:   patch(t, "url: https://acme.jamfcloud.com", `url: ""`),
			want: []string{"c.yaml:19: tenants[0].url: missing; add the Jamf Pro URL, e.g. https://acme.jamfcloud.com"},
		},
		{
			name: "key size 1024",
			in:   patch(t, "key_size: 2048", "key_size: 1024"),
			want: []string{"c.yaml:8: profile.scep.key_size: 1024 is refused: Okta requires 2048-bit keys; write 2048 (or 4096)"},
		},
		{
			name: "key size other",
			in:   patch(t, "key_size: 2048", "key_size: 3072"),
			want: []string{"c.yaml:8: profile.scep.key_size: 3072 is not a supported key size; write 2048 or 4096"},
		},
		{
			name: "explicit zero key size",
			in:   patch(t, "key_size: 2048", "key_size: 0"),
			want: []string{"c.yaml:8: profile.scep.key_size: 0 is not a supported key size; write 2048 or 4096"},
		},
		{
			name: "4096 accepted", in: patch(t, "key_size: 2048", "key_size: 4096"),
		},
		{
			name: "redistribute days",
			in:   patch(t, "redistribute_days: 30", "redistribute_days: 365"),
			want: []string{"c.yaml:9: profile.scep.redistribute_days: 365 is out of range; write 1 to 364: days before expiry that Jamf redistributes (Okta certificates last a year; 30 is usual)"},
		},
		{
			name: "redistribute days zero",
			in:   patch(t, "redistribute_days: 30", "redistribute_days: 0"),
			want: []string{"c.yaml:9: profile.scep.redistribute_days: 0 is out of range; write 1 to 364: days before expiry that Jamf redistributes (Okta certificates last a year; 30 is usual)"},
		},
		{
			name: "challenge type typo",
			in:   patch(t, "type: dynamic-microsoft-ca", "type: dynamic-microsoft"),
			want: []string{`c.yaml:11: profile.scep.challenge.type: is not a challenge type; did you mean "dynamic-microsoft-ca"? write dynamic-microsoft-ca or static`},
		},
		{
			name: "challenge type unknown",
			in:   patch(t, "type: dynamic-microsoft-ca", "type: webhook"),
			want: []string{"c.yaml:11: profile.scep.challenge.type: is not a challenge type; write dynamic-microsoft-ca or static"},
		},
		{
			name: "dynamic missing fields",
			in: patch(t, "      url: https://acme.okta.com/api/v1/certificateAuthorities/0123/registrationAuthorities/rac1/challenge\n", "",
				"      username: okta-abc123\n", "", "      password: env:OKTA_SCEP_PASSWORD\n", "      secret: env:X\n"),
			want: []string{
				"c.yaml:10: profile.scep.challenge.password: missing; add the Okta challenge password as a reference, e.g. env:OKTA_SCEP_PASSWORD; or export OKTA_SCEP_PASSWORD, which sets it for every tenant",
				"c.yaml:10: profile.scep.challenge.url: missing; add the Okta Challenge URL (dynamic-microsoft-ca)",
				"c.yaml:10: profile.scep.challenge.username: missing; add the Okta challenge username (okta-XXXXXX)",
				"c.yaml:12: profile.scep.challenge.secret: is only for challenge type static; remove it, or set type: static",
			},
		},
		{
			name: "static with dynamic fields",
			in:   patch(t, "type: dynamic-microsoft-ca", "type: static"),
			want: []string{
				"c.yaml:10: profile.scep.challenge.secret: missing; static mode needs the static challenge as a reference, e.g. env:OKTA_SCEP_CHALLENGE",
				"c.yaml:12: profile.scep.challenge.url: is only for challenge type dynamic-microsoft-ca; remove it, or set type: dynamic-microsoft-ca",
				"c.yaml:13: profile.scep.challenge.username: is only for challenge type dynamic-microsoft-ca; remove it, or set type: dynamic-microsoft-ca",
				"c.yaml:14: profile.scep.challenge.password: is only for challenge type dynamic-microsoft-ca; remove it, or set type: dynamic-microsoft-ca",
			},
		},
		{
			name: "required profile fields",
			in:   patch(t, "  name: Okta Device Access SCEP\n", "", "    url: https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1\n", ""),
			want: []string{
				"c.yaml:2: profile.name: missing; add the Jamf profile name, e.g. Okta Device Access SCEP",
				"c.yaml:4: profile.scep.url: missing; add the Okta SCEP URL (https://ORG.okta.com/pki/<CA id>/scep/<RA id>)",
			},
		},
		{
			name: "missing for some tenants only",
			in: patch(t, "      password: env:OKTA_SCEP_PASSWORD\n", "",
				"      client_secret: env:JAMF_CLIENT_SECRET\n", "      client_secret: env:JAMF_CLIENT_SECRET\n    overrides:\n      profile: {scep: {challenge: {password: env:P}}}\n"+tenant2),
			want: []string{"c.yaml:10: profile.scep.challenge.password: missing for tenant dev; add the Okta challenge password as a reference, e.g. env:OKTA_SCEP_PASSWORD, here or in that tenant's overrides; or export OKTA_SCEP_PASSWORD, which sets it for every tenant"},
		},
		{
			name: "override sets a forbidden field",
			in:   patch(t, "      client_secret: env:JAMF_CLIENT_SECRET\n", "      client_secret: env:JAMF_CLIENT_SECRET\n    overrides:\n      profile:\n        scep:\n          challenge:\n            secret: env:S\n"),
			want: []string{"c.yaml:27: tenants[0].overrides.profile.scep.challenge.secret: is only for challenge type static; remove it, or set type: static"},
		},
		{
			name: "profile text fields",
			in:   patch(t, "  name: Okta Device Access SCEP", "  name: 'Okta '\n  preset: Okta", "identifier: com.acme.okta-device-access", "identifier: okta device access", "subject: \"CN=$COMPUTERNAME ma $UDID\"", "subject: $COMPUTERNAME"),
			want: []string{
				"c.yaml:3: profile.name: has leading or trailing spaces, which Jamf trims; remove them",
				"c.yaml:4: profile.preset: is not a preset name; write okta-device-access or leave it out",
				"c.yaml:5: profile.identifier: is not a reverse-DNS identifier; write one like com.acme.okta-device-access",
				`c.yaml:8: profile.scep.subject: subject RDN 1 ("$COMPUTERNAME") has no '='; write TYPE=VALUE, e.g. CN=$COMPUTERNAME`,
			},
		},
		{
			name: "text Jamf cannot store",
			in: patch(t, "  name: Okta Device Access SCEP", "  name: Okta SCEP 🔐\n  description: \"two\\nlines\"",
				"subject: \"CN=$COMPUTERNAME ma $UDID\"", `subject: 'O=\ ACME\ ,OU=a\09b'`),
			want: []string{
				"c.yaml:3: profile.name: has a character outside the Basic Multilingual Plane (U+1F510, such as an emoji), which Jamf stores as '?'; remove it; use characters up to U+FFFF",
				"c.yaml:4: profile.description: contains a control character (U+000A, line feed), which Jamf drops or cannot store; remove it; write the text on one line",
				`c.yaml:8: profile.scep.subject: subject attribute O (RDN 1) value " ACME " has leading or trailing spaces, which Jamf trims; remove them`,
				`c.yaml:8: profile.scep.subject: subject attribute OU (RDN 2) value "a\tb" contains a control character (U+0009, tab), which Jamf drops or cannot store; remove it; write the text on one line`,
				"c.yaml:8: profile.scep.subject: subject has no CN; add one, e.g. CN=$COMPUTERNAME ma $UDID (Okta's guide puts the Mac's identity in the CN)",
			},
		},
		{
			name: "scope names",
			in:   patch(t, "computer_groups: [All Managed Macs]", "computer_groups: [All Managed Macs, '', ' HQ', All Managed Macs]\n  exclusions: {buildings: ['  ']}"),
			want: []string{
				"c.yaml:16: scope.computer_groups[1]: is empty; write a name, or remove the entry",
				"c.yaml:16: scope.computer_groups[2]: has leading or trailing spaces; remove them (Jamf trims names)",
				"c.yaml:16: scope.computer_groups[3]: is listed twice; remove the second entry",
				"c.yaml:17: scope.exclusions.buildings[0]: is empty; write a name, or remove the entry",
			},
		},
		{
			name: "tenant names",
			in:   patch(t, "  - name: prod\n", "  - name: Prod EU\n") + strings.Replace(tenant2, "dev", "Prod EU", 1) + strings.Replace(tenant2, "name: dev", "name: ''", 1),
			want: []string{
				`c.yaml:18: tenants[0].name: must be lowercase letters, digits and - (not first); rename it, for example prod-eu`,
				`c.yaml:23: tenants[1].name: must be lowercase letters, digits and - (not first); rename it, for example prod-eu`,
				"c.yaml:28: tenants[2].name: missing; add a short name such as prod (lowercase letters, digits and -)",
			},
		},
		{
			name: "duplicate tenant",
			in:   valid + strings.Replace(tenant2, "dev", "prod", 1),
			want: []string{"c.yaml:23: tenants[1].name: is also the name of tenants[0]; tenant names must be unique; rename one"},
		},
		{
			name: "auth both kinds",
			in:   patch(t, "      client_id: abc\n", "      client_id: abc\n      username: u\n"),
			want: []string{"c.yaml:20: tenants[0].auth: sets both an API client and a user account; keep exactly one: client_id+client_secret, or username+password"},
		},
		{
			name: "auth none",
			in:   patch(t, "    auth:\n      client_id: abc\n      client_secret: env:JAMF_CLIENT_SECRET\n", "    profile_id: -1\n"),
			want: []string{
				"c.yaml:18: tenants[0].auth: has no credentials; set client_id and client_secret (API client, preferred) or username and password",
				"c.yaml:20: tenants[0].profile_id: must not be negative; write the Jamf profile id, or 0 to find the profile by name",
			},
		},
		{
			name: "auth half pairs",
			in: patch(t, "      client_id: abc\n", "") + strings.Replace(tenant2, "      username: api\n", "", 1) +
				strings.Replace(strings.Replace(tenant2, "dev", "qa", 1), "      password: env:JAMF_DEV_PASSWORD\n", "", 1) +
				strings.Replace(strings.Replace(tenant2, "dev", "uat", 1), "      username: api\n      password: env:JAMF_DEV_PASSWORD\n", "      client_id: x\n", 1),
			want: []string{
				"c.yaml:20: tenants[0].auth.client_id: missing; client_secret needs the API client's client_id",
				"c.yaml:24: tenants[1].auth.username: missing; password needs the account's username",
				"c.yaml:28: tenants[2].auth.password: missing; username needs a password reference, e.g. env:JAMF_PASSWORD",
				"c.yaml:32: tenants[3].auth.client_secret: missing; client_id needs a client_secret reference, e.g. env:JAMF_CLIENT_SECRET",
			},
		},
		{
			name: "tenant url missing",
			in:   patch(t, "    url: https://acme.jamfcloud.com\n", ""),
			want: []string{"c.yaml:18: tenants[0].url: missing; add the Jamf Pro URL, e.g. https://acme.jamfcloud.com"},
		},
		{
			name: "no tenants is valid (profile build)",
			in:   valid[:strings.Index(valid, "tenants:")], //nolint:gocritic // valid always holds "tenants:"
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.in), "c.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := problems(t, c.Validate())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateBuiltInCode(t *testing.T) {
	c := &config.Config{Tenants: []config.Tenant{{Name: "prod", URL: "https://x", Auth: config.Auth{ClientID: "a"}}}}
	want := []string{
		"profile.name: missing; add the Jamf profile name, e.g. Okta Device Access SCEP",
		"profile.scep.challenge.password: missing; add the Okta challenge password as a reference, e.g. env:OKTA_SCEP_PASSWORD; or export OKTA_SCEP_PASSWORD, which sets it for every tenant",
		"profile.scep.challenge.url: missing; add the Okta Challenge URL (dynamic-microsoft-ca)",
		"profile.scep.challenge.username: missing; add the Okta challenge username (okta-XXXXXX)",
		"profile.scep.url: missing; add the Okta SCEP URL (https://ORG.okta.com/pki/<CA id>/scep/<RA id>)",
		"tenants[0].auth.client_secret: missing; client_id needs a client_secret reference, e.g. env:JAMF_CLIENT_SECRET",
		"version: is 0; this jamf-scep reads version 1; write version: 1",
	}
	if diff := cmp.Diff(want, problems(t, c.Validate())); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}

func TestExamples(t *testing.T) {
	for _, name := range []string{"okta-device-access.yaml", "multi-tenant.yaml"} {
		t.Run(name, func(t *testing.T) {
			c, err := config.Load(filepath.Join("..", "..", "examples", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("Validate:\n%v", err)
			}
		})
	}
	t.Run("multi-tenant overrides", func(t *testing.T) {
		c, err := config.Load(filepath.Join("..", "..", "examples", "multi-tenant.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(c.Tenants); got != 3 {
			t.Fatalf("tenants = %d, want 3", got)
		}
		eu, err := c.Effective("prod-eu")
		if err != nil {
			t.Fatal(err)
		}
		if got := eu.Profile.SCEP.Challenge.Password.String(); got != "env:OKTA_EU_SCEP_PASSWORD" {
			t.Errorf("prod-eu password = %s", got)
		}
		st, err := c.Effective("staging")
		if err != nil {
			t.Fatal(err)
		}
		want := config.Scope{ComputerGroups: []string{"Pilot Macs"}, Exclusions: config.Exclusions{ComputerGroups: []string{}}}
		if diff := cmp.Diff(want, st.Scope); diff != "" {
			t.Errorf("staging scope (-want +got):\n%s", diff)
		}
	})
	t.Run("github-actions.yml", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", "github-actions.yml"))
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			Jobs map[string]struct {
				If    string
				Steps []struct{ Run string }
			}
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Fatal(err)
		}
		runs := func(job string) string {
			var all []string
			for _, s := range wf.Jobs[job].Steps {
				all = append(all, s.Run)
			}
			return strings.Join(all, "\n")
		}
		for _, c := range []struct{ job, cond, cmd string }{
			{"plan", "pull_request", "jamf-scep plan --all --detailed-exitcode"},
			{"apply", "refs/heads/main", "jamf-scep apply --all --yes"},
			{"plan", "", "go install github.com/jamf-scep/jamf-scep/cmd/jamf-scep@"},
			{"apply", "", "go install github.com/jamf-scep/jamf-scep/cmd/jamf-scep@"},
			{"rollout", "schedule", "jamf-scep rollout advance --all --yes"},
			{"rollout", "schedule", "jamf-scep verify --all --renewals --fail-at-risk 0"},
		} {
			if !strings.Contains(wf.Jobs[c.job].If, c.cond) || !strings.Contains(runs(c.job), c.cmd) {
				t.Errorf("job %s: want if containing %q and a step running %q", c.job, c.cond, c.cmd)
			}
		}
		if strings.Contains(string(data), "secrets.") && !strings.Contains(string(data), "${{ secrets.OKTA_SCEP_PASSWORD }}") {
			t.Errorf("secrets must come from ${{ secrets.X }}")
		}
	})
}

func TestSyntaxErrorsDoNotEchoInput(t *testing.T) {
	const canary = "CANARY-okta-7731"
	for _, in := range []string{
		"version: 1\nprofile:\n  scep:\n    challenge:\n      password: *" + canary + "\n",
		"version: 1\nprofile:\n  name: `" + canary + "`\n",
		"version: 1\nprofile: [\n  '" + canary + "\n",
	} {
		_, err := config.Parse([]byte(in), "t.yaml")
		if err == nil {
			t.Fatalf("Parse(%q) succeeded", in)
		}
		if strings.Contains(err.Error(), canary) {
			t.Errorf("error echoes the input: %v", err)
		}
		if !strings.Contains(err.Error(), "invalid YAML") {
			t.Errorf("error %q does not say it is a YAML syntax problem", err)
		}
	}
}
