package jamfsim

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScopeWrite: a PUT's <scope> that omits lists keeps them under
// ScopeWriteMerge and empties them under ScopeWriteReplace, unmodelled
// lists included; a GET answers the stored unmodelled lists verbatim; a
// PUT without <scope> leaves the scope alone under both.
func TestScopeWrite(t *testing.T) {
	const jssUsers = "<jss_user><id>7</id><name>carol</name></jss_user>"
	const excluded = "<jss_user_group><id>3</id><name>Contractors</name></jss_user_group>"
	tests := []struct {
		mode      ScopeWrite
		wantOther map[string]string
		wantHQ    bool
	}{
		{ScopeWriteMerge, map[string]string{"all_jss_users": "true", "jss_users": jssUsers, "exclusions/jss_user_groups": excluded}, true},
		{ScopeWriteReplace, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			s := newTestServer(t, Options{ScopeWrite: tt.mode})
			hq := s.AddBuilding("HQ")
			pilot := s.AddStaticGroup("Pilot", nil)
			id := s.AddProfile(Profile{Name: "p", Scope: Scope{Targets: Targets{Buildings: []int{hq}}}})
			s.SetScopeOther(id, "all_jss_users", "true")
			s.SetScopeOther(id, "jss_users", jssUsers)
			s.SetScopeOther(id, "exclusions/jss_user_groups", excluded)
			c := newClient(t, s)
			path := "JSSResource/osxconfigurationprofiles/id/" + strconv.Itoa(id)

			st, body := c.do(http.MethodGet, path, "")
			for _, frag := range []string{"<all_jss_users>true</all_jss_users>", "<jss_users>" + jssUsers + "</jss_users>", "<jss_user_groups>" + excluded + "</jss_user_groups></exclusions>"} {
				if st != 200 || !strings.Contains(body, frag) {
					t.Errorf("GET: %d, want %s in %s", st, frag, body)
				}
			}
			if st, b := c.do(http.MethodPut, path, "<os_x_configuration_profile><general><name>p</name></general></os_x_configuration_profile>"); st != 201 {
				t.Fatalf("general-only PUT: %d %s", st, b)
			}
			if p, _ := s.Profile(id); len(p.Scope.Other) != 3 {
				t.Errorf("a general-only PUT changed the unmodelled lists: %v", p.Scope.Other)
			}
			put := "<os_x_configuration_profile><scope><computer_groups><computer_group><id>" + strconv.Itoa(pilot) +
				"</id></computer_group></computer_groups></scope></os_x_configuration_profile>"
			if st, b := c.do(http.MethodPut, path, put); st != 201 {
				t.Fatalf("scope PUT: %d %s", st, b)
			}
			p, _ := s.Profile(id)
			if diff := cmp.Diff(tt.wantOther, p.Scope.Other); diff != "" {
				t.Errorf("unmodelled lists after a scope PUT omitting them (-want +got):\n%s", diff)
			}
			if got := len(p.Scope.Targets.Buildings) == 1; got != tt.wantHQ {
				t.Errorf("building kept = %t, want %t", got, tt.wantHQ)
			}
			if diff := cmp.Diff([]int{pilot}, p.Scope.Targets.ComputerGroups); diff != "" {
				t.Errorf("computer groups (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseScopeWrite(t *testing.T) {
	for _, w := range []ScopeWrite{ScopeWriteMerge, ScopeWriteReplace} {
		got, err := ParseScopeWrite(strings.ToUpper(w.String()))
		if err != nil || got != w {
			t.Errorf("ParseScopeWrite(%q) = %v, %v; want %v", w.String(), got, err, w)
		}
	}
	if _, err := ParseScopeWrite("partial"); err == nil || !strings.Contains(err.Error(), "merge, replace") {
		t.Errorf("ParseScopeWrite(partial): err = %v, want the choices named", err)
	}
}
