package config_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// fill sets every field of v to a non-zero value derived from tag, so a
// test notices a field that merge or encode forgets.
func fill(t *testing.T, v reflect.Value, tag string) {
	t.Helper()
	switch {
	case v.Type() == reflect.TypeFor[secret.Ref]():
		v.Set(reflect.ValueOf(secret.EnvRef("X_" + strings.ToUpper(tag))))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), tag+"_"+v.Type().Field(i).Name)
			}
		}
	case v.Kind() == reflect.String:
		v.SetString(tag)
	case v.Kind() == reflect.Int:
		v.SetInt(int64(len(tag)))
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		v.Set(reflect.ValueOf([]string{tag}))
	case v.Kind() == reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(t, s.Index(0), tag)
		v.Set(s)
	case v.Kind() == reflect.Pointer && v.Type().Elem().Kind() != reflect.Bool:
		e := reflect.New(v.Type().Elem())
		fill(t, e.Elem(), tag)
		v.Set(e)
	case v.Kind() == reflect.Pointer:
		b := true
		v.Set(reflect.ValueOf(&b))
	default:
		t.Fatalf("fill: no case for %s", v.Type())
	}
}

func TestEffectiveMergesFieldByField(t *testing.T) {
	var base config.Config
	fill(t, reflect.ValueOf(&base.Profile).Elem(), "base")
	fill(t, reflect.ValueOf(&base.Scope).Elem(), "base")
	var full config.Overrides
	fill(t, reflect.ValueOf(&full).Elem(), "over")
	f := false
	full.Scope.AllComputers = &f

	passwordOnly := config.Overrides{Profile: config.Profile{SCEP: config.SCEP{Challenge: config.Challenge{Password: secret.EnvRef("OKTA_EU")}}}}
	wantPasswordOnly := base.Profile
	wantPasswordOnly.SCEP.Challenge.Password = secret.EnvRef("OKTA_EU")

	emptyLists := config.Overrides{Scope: config.Scope{Computers: []string{}, Exclusions: config.Exclusions{Departments: []string{}}}}
	wantEmptyLists := base.Scope
	wantEmptyLists.Computers = []string{}
	wantEmptyLists.Exclusions.Departments = []string{}

	tests := []struct {
		name        string
		over        config.Overrides
		wantProfile config.Profile
		wantScope   config.Scope
	}{
		{name: "no overrides", wantProfile: base.Profile, wantScope: base.Scope},
		{name: "every field overridden", over: full, wantProfile: full.Profile, wantScope: full.Scope},
		{name: "only the Okta password", over: passwordOnly, wantProfile: wantPasswordOnly, wantScope: base.Scope},
		{name: "empty lists own the category", over: emptyLists, wantProfile: base.Profile, wantScope: wantEmptyLists},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			c.Tenants = []config.Tenant{{Name: "a", Overrides: tt.over}}
			got, err := c.Effective("a")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantProfile, got.Profile, refCmp); diff != "" {
				t.Errorf("profile (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantScope, got.Scope); diff != "" {
				t.Errorf("scope (-want +got):\n%s", diff)
			}
			if got.Tenant.Name != "a" {
				t.Errorf("tenant = %q", got.Tenant.Name)
			}
			// The effective scope is a copy: changing it leaves the config.
			if len(got.Scope.Computers) > 0 {
				got.Scope.Computers[0] = "changed"
				if c.Scope.Computers[0] == "changed" || (tt.over.Scope.Computers != nil && tt.over.Scope.Computers[0] == "changed") {
					t.Errorf("Effective aliases the config's lists")
				}
			}
		})
	}
}

func TestTenantSelection(t *testing.T) {
	c, err := config.Parse([]byte(valid+"  - name: dev\n    url: https://d\n  - name: qa\n    url: https://q\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names := func(ts []config.Tenant) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	tests := []struct {
		filter  []string
		want    []string
		wantErr string
	}{
		{filter: nil, want: []string{"prod", "dev", "qa"}},
		{filter: []string{"qa", "prod", "qa"}, want: []string{"prod", "qa"}},
		{filter: []string{"prd", "x"}, wantErr: "no tenant \"prd\" in c.yaml; tenants are prod, dev, qa; did you mean \"prod\"?\nno tenant \"x\" in c.yaml; tenants are prod, dev, qa"},
	}
	for _, tt := range tests {
		got, err := c.Select(tt.filter)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Select(%q) error = %v, want %q", tt.filter, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, names(got)); diff != "" {
			t.Errorf("Select(%q) (-want +got):\n%s", tt.filter, diff)
		}
	}
	if _, err := (&config.Config{}).Select(nil); err == nil || !strings.Contains(err.Error(), "the config has no tenants") {
		t.Errorf("Select on no tenants: %v", err)
	}
	if _, err := (&config.Config{}).Effective("x"); err == nil || !strings.Contains(err.Error(), "JAMF_URL") {
		t.Errorf("Effective on no tenants: %v", err)
	}
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestApplyEnv(t *testing.T) {
	tests := []struct {
		name    string
		file    string // "" for no file
		env     map[string]string
		want    []config.Tenant
		wantPwd string
		wantErr string
	}{
		{
			name: "no file: a default tenant from env",
			env:  map[string]string{"JAMF_URL": "https://e.jamfcloud.com", "JAMF_CLIENT_ID": "id", "JAMF_CLIENT_SECRET": "s", "OKTA_SCEP_PASSWORD": "p"},
			want: []config.Tenant{{
				Name: "default", URL: "https://e.jamfcloud.com",
				Auth: config.Auth{ClientID: "id", ClientSecret: secret.EnvRef("JAMF_CLIENT_SECRET")},
			}},
			wantPwd: "env:OKTA_SCEP_PASSWORD",
		},
		{
			name: "env beats file; user auth replaces client auth",
			file: valid,
			env:  map[string]string{"JAMF_URL": "http://localhost:8080", "JAMF_USERNAME": "u", "JAMF_PASSWORD": "p"},
			want: []config.Tenant{{
				Name: "prod", URL: "http://localhost:8080",
				Auth: config.Auth{Username: "u", Password: secret.EnvRef("JAMF_PASSWORD")},
			}},
			wantPwd: "env:OKTA_SCEP_PASSWORD",
		},
		{
			name: "only the secret from env keeps the file's client id",
			file: valid,
			env:  map[string]string{"JAMF_CLIENT_SECRET": "s", "JAMF_URL": ""},
			want: []config.Tenant{{
				Name: "prod", URL: "https://acme.jamfcloud.com",
				Auth: config.Auth{ClientID: "abc", ClientSecret: secret.EnvRef("JAMF_CLIENT_SECRET")},
			}},
			wantPwd: "env:OKTA_SCEP_PASSWORD",
		},
		{
			name:    "several tenants refuse JAMF_*",
			file:    valid + "  - name: dev\n    url: https://d\n",
			env:     map[string]string{"JAMF_URL": "https://x"},
			wantErr: "JAMF_URL is set, which describes a single tenant, but c.yaml lists 2 tenants; unset JAMF_URL to run the config's tenants (their own url and auth apply), or use a config with one tenant",
		},
		{
			name: "several tenants: JAMF_CLIENT_SECRET without JAMF_URL is the tenants' reference, not a tenant",
			file: valid + "  - name: dev\n    url: https://dev.jamfcloud.com\n    auth:\n      client_id: dev\n      client_secret: env:JAMF_CLIENT_SECRET\n",
			env:  map[string]string{"JAMF_CLIENT_SECRET": "s", "JAMF_CLIENT_ID": "other", "OKTA_SCEP_PASSWORD": "o"},
			want: []config.Tenant{
				{Name: "prod", URL: "https://acme.jamfcloud.com", Auth: config.Auth{ClientID: "abc", ClientSecret: secret.EnvRef("JAMF_CLIENT_SECRET")}},
				{Name: "dev", URL: "https://dev.jamfcloud.com", Auth: config.Auth{ClientID: "dev", ClientSecret: secret.EnvRef("JAMF_CLIENT_SECRET")}},
			},
			wantPwd: "env:OKTA_SCEP_PASSWORD",
		},
		{
			name:    "both auth kinds",
			env:     map[string]string{"JAMF_CLIENT_ID": "id", "JAMF_USERNAME": "u"},
			wantErr: "set JAMF_CLIENT_ID/JAMF_CLIENT_SECRET or JAMF_USERNAME/JAMF_PASSWORD, not both",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &config.Config{}
			if tt.file != "" {
				var err error
				if c, err = config.Parse([]byte(tt.file), "c.yaml"); err != nil {
					t.Fatal(err)
				}
			}
			err := config.ApplyEnv(c, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ApplyEnv error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.Tenants, refCmp); diff != "" {
				t.Errorf("tenants (-want +got):\n%s", diff)
			}
			if got := c.Profile.SCEP.Challenge.Password.String(); got != tt.wantPwd {
				t.Errorf("okta password = %q, want %q", got, tt.wantPwd)
			}
		})
	}
}

func TestApplyEnvProblemsNameTheVariable(t *testing.T) {
	c := &config.Config{}
	if err := config.ApplyEnv(c, env(map[string]string{"JAMF_URL": "http://jamf.example.com", "JAMF_CLIENT_ID": "id"})); err != nil {
		t.Fatal(err)
	}
	got := problems(t, c.Validate())
	want := []string{
		"environment: JAMF_URL (tenants[0].url): must use https; write https:// (http is accepted only for localhost and loopback addresses)",
		"profile.name: missing; add the Jamf profile name, e.g. Okta Device Access SCEP",
		"profile.scep.challenge.password: missing; add the Okta challenge password as a reference, e.g. env:OKTA_SCEP_PASSWORD; or export OKTA_SCEP_PASSWORD, which sets it for every tenant",
		"profile.scep.challenge.url: missing; add the Okta Challenge URL (dynamic-microsoft-ca)",
		"profile.scep.challenge.username: missing; add the Okta challenge username (okta-XXXXXX)",
		"profile.scep.url: missing; add the Okta SCEP URL (https://ORG.okta.com/pki/<CA id>/scep/<RA id>)",
		"tenants[0].auth.client_secret: missing; client_id needs a client_secret reference, e.g. env:JAMF_CLIENT_SECRET",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		flag, env, file, def, want string
	}{
		{"f", "e", "c", "d", "f"},
		{"", "e", "c", "d", "e"},
		{"", "", "c", "d", "c"},
		{"", "", "", "d", "d"},
	}
	for _, tt := range tests {
		if got := config.Pick(tt.flag, tt.env, tt.file, tt.def); got != tt.want {
			t.Errorf("Pick(%q, %q, %q, %q) = %q, want %q", tt.flag, tt.env, tt.file, tt.def, got, tt.want)
		}
	}
	if got := config.Pick(0, 4096, 2048, 2048); got != 4096 {
		t.Errorf("Pick ints = %d, want 4096", got)
	}
	locate := []struct {
		flag         string
		env          map[string]string
		want         string
		wantExplicit bool
	}{
		{"a.yaml", map[string]string{"JAMF_SCEP_CONFIG": "b.yaml"}, "a.yaml", true},
		{"", map[string]string{"JAMF_SCEP_CONFIG": "b.yaml"}, "b.yaml", true},
		{"", nil, "jamf-scep.yaml", false},
	}
	for _, tt := range locate {
		path, explicit := config.Locate(tt.flag, env(tt.env))
		if path != tt.want || explicit != tt.wantExplicit {
			t.Errorf("Locate(%q, %v) = %q, %v; want %q, %v", tt.flag, tt.env, path, explicit, tt.want, tt.wantExplicit)
		}
	}
}

func TestEnvVars(t *testing.T) {
	var got []string
	for _, v := range config.EnvVars() {
		if v.Meaning == "" {
			t.Errorf("%s has no meaning", v.Name)
		}
		got = append(got, v.Name)
	}
	want := []string{"JAMF_SCEP_CONFIG", "JAMF_URL", "JAMF_CLIENT_ID", "JAMF_CLIENT_SECRET", "JAMF_USERNAME", "JAMF_PASSWORD", "OKTA_SCEP_PASSWORD"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EnvVars (-want +got):\n%s", diff)
	}
}

func TestSaveRoundTrip(t *testing.T) {
	var c config.Config
	fill(t, reflect.ValueOf(&c).Elem(), "v")
	c.Version = 1
	c.Tenants = []config.Tenant{c.Tenants[0], {Name: "b"}}
	c.Scope.Exclusions.Buildings = []string{} // declared empty: must survive
	c.Profile.Name = "Okta & <Device> \"Access\" Büro: #1"
	c.Profile.Description = "123"
	path := filepath.Join(t.TempDir(), "jamf-scep.yaml")
	if err := config.Save(path, &c, false); err != nil {
		t.Fatal(err)
	}
	got, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, *got, cfgCmp); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// The example round-trips too.
	ex, err := config.Load(filepath.Join("..", "..", "examples", "multi-tenant.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := config.Save(path, ex, true); err != nil {
		t.Fatal(err)
	}
	again, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*ex, *again, cfgCmp); diff != "" {
		t.Errorf("example round trip (-want +got):\n%s", diff)
	}
}

func TestSaveModesAndRefusal(t *testing.T) {
	dir := t.TempDir()
	c, err := config.Parse([]byte(valid), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = config.Save(path, c, false)
	if want := "config: " + path + " already exists; pass --force to overwrite it"; err == nil || err.Error() != want {
		t.Fatalf("Save without force: %v, want %q", err, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("refused Save changed the file")
	}
	if err := config.Save(path, c, true); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", info.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("Save left temporary files: %d entries", len(entries))
	}
	if err := config.Save(filepath.Join(dir, "missing", "c.yaml"), c, false); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Save into a missing directory: %v, want fs.ErrNotExist", err)
	}
	if _, err := config.Load(filepath.Join(dir, "nope.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(""))
	f.Add([]byte("version: 1\nscope: {computers: [a, *x]}\n"))
	f.Add([]byte("version: 1\ntenants: [{name: a, overrides: {scope: {all_computers: true}}}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	for _, name := range []string{"okta-device-access.yaml", "multi-tenant.yaml"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "examples", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse(data, "fuzz.yaml")
		if err != nil {
			return
		}
		_ = c.Validate()
		for _, tn := range c.Tenants {
			_, _ = c.Effective(tn.Name)
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := config.Parse(out, "again.yaml")
		if err != nil {
			t.Fatalf("Parse(Marshal(c)) failed: %v", err)
		}
		if diff := cmp.Diff(*c, *again, cfgCmp); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	})
}
