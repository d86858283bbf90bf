package jamfsim

import (
	"strings"
	"testing"
)

var testFields = rsqlFields[map[string]string]{
	"name":         func(m map[string]string) string { return m["name"] },
	"general.name": func(m map[string]string) string { return m["general.name"] },
	"id":           func(m map[string]string) string { return m["id"] },
}

func TestRSQL(t *testing.T) {
	rec := map[string]string{"name": `Büro "HQ", 2nd; (east)`, "general.name": "MAC-0001", "id": "7"}
	tests := []struct {
		filter  string
		want    bool
		wantErr string
	}{
		{`id==7`, true, ""},
		{`id==8`, false, ""},
		{`id!=8`, true, ""},
		{`general.name=="mac-0001"`, true, ""}, // case-insensitive
		{`general.name==MAC*`, true, ""},
		{`general.name==*0001`, true, ""},
		{`general.name==M*C*1`, true, ""},
		{`general.name==X*`, false, ""},
		{`name=="Büro \"HQ\", 2nd; (east)"`, true, ""},
		{`name=='Büro "HQ", 2nd; (east)'`, true, ""},
		{`name=="Büro \"HQ\""`, false, ""},
		{`id=in=(1,7,9)`, true, ""},
		{`id=in=(1,2)`, false, ""},
		{`id==1,id==7`, true, ""},
		{`id==7;general.name==MAC-0001`, true, ""},
		{`id==7;general.name==other`, false, ""},
		{`(id==1,id==7);general.name==MAC*`, true, ""},
		{`id==1,(id==7;id==8)`, false, ""},
		{`name=="Star \*"`, false, ""},
		{`id=gt=3`, false, `unsupported operator "=gt="`},
		{`id=like="x"`, false, `unsupported operator "=like="`},
		{`id<5`, false, "unsupported operator"},
		{`serial==1`, false, `field "serial" cannot be filtered on here`},
		{`id==`, false, "expected a value"},
		{`id=="open`, false, "unterminated quoted value"},
		{`(id==1`, false, "missing ')'"},
		{`id=in=1`, false, "=in= needs a parenthesised list"},
		{`id==1)`, false, "unexpected"},
		{``, false, "expected a field name"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			n, err := parseRSQL(tt.filter)
			if err == nil {
				err = testFields.check(n)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := testFields.match(n, rec); got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValueMatchesLiteralStar(t *testing.T) {
	n, err := parseRSQL(`name=="A\*B*"`)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]bool{"A*B": true, "A*Bcd": true, "AxB": false, "AB": false} {
		if got := testFields.match(n, map[string]string{"name": in}); got != want {
			t.Errorf("match(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzParseRSQL checks that the parser never panics and that a quoted
// value always matches itself.
func FuzzParseRSQL(f *testing.F) {
	for _, s := range []string{`name=="x"`, `id=in=(1,2)`, `a==1;b==2,c==3`, `(a==1`, `name=='it''s'`, `x==*a*`, `name=="\\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := parseRSQL(s); err == nil && n == nil {
			t.Fatal("nil tree without an error")
		}
		quoted := `name=="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, `*`, `\*`).Replace(s) + `"`
		n, err := parseRSQL(quoted)
		if err != nil {
			t.Fatalf("parsing %q: %v", quoted, err)
		}
		if !testFields.match(n, map[string]string{"name": s}) {
			t.Errorf("%q does not match its own quoted value", s)
		}
	})
}
