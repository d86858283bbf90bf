package jamf

import (
	"errors"
	"html"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for every parser of Jamf Pro server input in this package.
// Each checks what must hold for any answer: no panic, an error or a
// result that agrees with the answer's own counts, and no secret in an
// error. scripts/fuzz-targets.txt lists them for the short CI run.

// seedFile adds testdata/name, followed by more values, to f's corpus.
func seedFile(f *testing.F, name string, more ...any) {
	f.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(append([]any{b}, more...)...)
}

func FuzzNewErrorRedacts(f *testing.F) {
	seedFile(f, "error_classic.html", "Unable to update")
	seedFile(f, "error_api.json", "INVALID_FIELD")
	f.Add([]byte("<p>Error: pa<x>ss &amp; pass   word</p>"), "pass   word")
	f.Add([]byte(`{"errors":[{"description":"a\u003cb"}]}`), "a<b")
	f.Add([]byte("<title>s&#101;cret</title>"), "secret")
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		if len(strings.TrimSpace(secret)) < 4 || strings.Contains(redacted, secret) || !utf8.ValidString(secret) {
			t.Skip()
		}
		e := newError("POST", "JSSResource/x", 409, body, secretForms(secret))
		if len(e.Message) > len(body)+len(redacted)*len(body) {
			t.Fatalf("message longer than the body allows: %q", e.Message)
		}
		for _, s := range []string{e.Message, e.Code, e.Error()} {
			if strings.Contains(s, secret) || strings.Contains(s, foldSpace(secret)) {
				t.Fatalf("secret %q in %q", secret, s)
			}
		}
		if strings.Contains(e.Body, secret) || strings.Contains(html.UnescapeString(e.Body), secret) {
			t.Fatalf("secret %q in body %q", secret, e.Body)
		}
	})
}

func FuzzDecodeProfileList(f *testing.F) {
	seedFile(f, "profiles_list.xml")
	f.Add([]byte(`<os_x_configuration_profiles><size>0</size></os_x_configuration_profiles>`))
	f.Add([]byte(`<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`))
	f.Add([]byte(`<os_x_configuration_profiles><size>-1</size></os_x_configuration_profiles>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		list, err := decodeProfileList(raw)
		if err != nil {
			if !errors.Is(err, ErrWrongDocument) {
				t.Fatalf("error %v does not match ErrWrongDocument", err)
			}
			return
		}
		seen := map[int]bool{}
		for _, p := range list {
			if p.ID <= 0 || seen[p.ID] {
				t.Fatalf("accepted id %d", p.ID)
			}
			seen[p.ID] = true
		}
	})
}

func FuzzDecodeProfile(f *testing.F) {
	seedFile(f, "profile_get.xml")
	f.Add([]byte(`<os_x_configuration_profile><general><id>7</id><name>x</name></general><scope><all_computers>true</all_computers></scope></os_x_configuration_profile>`))
	f.Add([]byte(`<computer><general><id>7</id></general></computer>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := decodeProfile(raw, 7)
		if err == nil && p.General.ID != 7 {
			t.Fatalf("accepted profile id %d for 7", p.General.ID)
		}
	})
}

func FuzzParseWriteID(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8"?><os_x_configuration_profile><id>12</id></os_x_configuration_profile>`))
	f.Add([]byte(`<html><body>ok</body></html>`))
	f.Add([]byte(`<os_x_configuration_profile><id>-3</id></os_x_configuration_profile>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		id, err := parseWriteID(raw, "POST", profileIDPath(0))
		if err == nil && id <= 0 {
			t.Fatalf("accepted id %d", id)
		}
		if err != nil && !errors.Is(err, ErrWrongDocument) {
			t.Fatalf("error %v does not match ErrWrongDocument", err)
		}
	})
}

func FuzzDecodeGroupMembers(f *testing.F) {
	f.Add([]byte(`<computer_group><id>4</id><name>Pilot</name><is_smart>false</is_smart><computers><size>1</size><computer><id>1</id><name>MAC-1</name><serial_number>C02</serial_number></computer></computers></computer_group>`))
	f.Add([]byte(`<computer_group><id>4</id><computers><size>2</size></computers></computer_group>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _ = decodeGroupMembers(raw, 4)
	})
}

func FuzzDecodePage(f *testing.F) {
	seedFile(f, "inventory_page.json", 500)
	seedFile(f, "mdm_commands_page.json", 500)
	f.Add([]byte(`{"totalCount":-1,"results":[]}`), 500)
	f.Add([]byte(`{"totalCount":1000000000000,"results":[{}]}`), 500)
	f.Add([]byte(`{"totalCount":2,"results":[{"id":"1"},{"id":"2"}]}`), 1)
	f.Add([]byte(`null`), 500)
	f.Fuzz(func(t *testing.T, raw []byte, size int) {
		if size < 1 || size > inventoryMaxPage {
			t.Skip()
		}
		for _, decode := range []func() (int, int, error){
			func() (int, int, error) {
				n, r, err := decodePage[Computer](raw, "GET", "p", size)
				return n, len(r), err
			},
			func() (int, int, error) {
				n, r, err := decodePage[MDMCommand](raw, "GET", "p", size)
				return n, len(r), err
			},
			func() (int, int, error) {
				n, r, err := decodePage[Building](raw, "GET", "p", size)
				return n, len(r), err
			},
		} {
			total, n, err := decode()
			if err != nil {
				continue
			}
			if total < 0 || total > maxListItems || n > size {
				t.Fatalf("accepted totalCount %d with %d results at page-size %d", total, n, size)
			}
		}
	})
}

func FuzzDecodeJSONList(f *testing.F) {
	seedFile(f, "computer_groups.json")
	f.Add([]byte(`[{"id":"1","name":"Finance"}]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"results":[]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var groups []ComputerGroup
		if err := decodeJSON(raw, "GET", "p", true, &groups); err == nil && groups == nil {
			t.Fatalf("accepted %q as a list", raw)
		}
		var v struct {
			Version string `json:"version"`
		}
		_ = decodeJSON(raw, "GET", "p", false, &v)
	})
}

func FuzzParseTokenAnswer(f *testing.F) {
	f.Add([]byte(`{"access_token":"t","token_type":"Bearer","expires_in":299}`), true)
	f.Add([]byte(`{"access_token":"t","expires_in":-1}`), true)
	f.Add([]byte(`{"access_token":"t","expires_in":9223372036854775807}`), true)
	f.Add([]byte(`{"token":"t","expires":"2026-03-02T09:30:00.000Z"}`), false)
	f.Add([]byte(`{"token":"t","expires":"9999-12-31T23:59:59Z"}`), false)
	f.Fuzz(func(t *testing.T, raw []byte, oauth bool) {
		path := userTokenPath
		if oauth {
			path = oauthTokenPath
		}
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		tok, err := parseTokenAnswer(raw, path, now)
		if err != nil {
			return
		}
		if tok.value == "" || tok.expiry.After(now.Add(maxTokenLifetime)) {
			t.Fatalf("accepted token %q expiring %v", tok.value, tok.expiry)
		}
		if oauth && tok.expiry.Before(now) {
			t.Fatalf("accepted an OAuth token that expired before it was issued: %v", tok.expiry)
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		if ok && (d < 0 || (d > 24*time.Hour && !strings.Contains(v, ","))) {
			t.Fatalf("Retry-After %q gave %s", v, d)
		}
	})
}

func FuzzTimestamp(f *testing.F) {
	for _, s := range []string{`"2026-03-02T09:00:00Z"`, `"2026-03-02T09:00:00.123"`, `"2026-03-02"`, `null`, `""`, `7`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var ts Timestamp
		_ = ts.UnmarshalJSON(raw)
	})
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"11.30.1-t1750000000", "11", "x.y", "99999999999999999999.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _, _ = parseVersion(s)
		shape, _ := shapeFor(s)
		if v := shape.inventory; v != 1 && v != 4 {
			t.Fatalf("inventory version %d", v)
		}
		if v := shape.groups; v != 2 && v != 3 {
			t.Fatalf("computer-groups version %d", v)
		}
	})
}
