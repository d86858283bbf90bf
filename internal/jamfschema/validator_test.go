package jamfschema_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
)

const base = "http://127.0.0.1:1/jamf/"

// TestValidateRequest pins what the request check refuses: a test that
// cannot fail would let client drift through.
func TestValidateRequest(t *testing.T) {
	inv := "api/v4/computers-inventory?section=GENERAL&page=0&page-size=100"
	tests := []struct {
		version, method, path string
		wantErr               string // "" means valid
	}{
		{"11.30.1", "GET", inv + "&sort=id:asc", ""},
		{"11.30.1", "GET", inv + "&filter=" + url.QueryEscape(`udid=in=("a","b"),(general.name=="x;y")`), ""},
		{"11.30.1", "GET", "api/v4/computers-inventory?page-size=5000", "page-size"},
		{"11.30.1", "GET", "api/v4/computers-inventory?page-size=0", "page-size"},
		{"11.30.1", "GET", inv + "&pagesize=1", `"pagesize" is not declared`},
		{"11.30.1", "GET", inv + "&section=BOGUS", "section"},
		{"11.30.1", "GET", inv + "&sort=general.lastContactTime:asc", `sort field "general.lastContactTime"`},
		{"11.29.1", "GET", "api/v1/computers-inventory?sort=general.lastContactTime:desc", ""},
		{"11.30.1", "GET", inv + "&sort=id", "property:asc"},
		{"11.30.1", "GET", inv + "&filter=" + url.QueryEscape(`general.lastContactTime=="x"`), `filter field "general.lastContactTime"`},
		{"11.30.1", "GET", inv + "&filter=" + url.QueryEscape(`udid=="unterminated`), "unterminated"},
		{"11.30.1", "GET", "api/v2/mdm/commands?page=0&page-size=100", "requires a filter"},
		{"11.30.1", "GET", "api/v2/mdm/commands?filter=" + url.QueryEscape("profileId==1"), ""},
		{"11.30.1", "GET", "api/v2/mdm/commands?filter=" + url.QueryEscape("profile==1"), `filter field "profile"`},
		{"11.30.1", "GET", "api/v1/buildings?sort=id:asc&page=0&page-size=500", ""},
		{"11.30.1", "GET", "api/v1/buildings?filter=" + url.QueryEscape(`id=="1"`), `filter field "id"`},
		{"11.29.1", "GET", "api/v4/computers-inventory", "not an operation"},
		{"11.23.2", "GET", "api/v3/computer-groups/static-groups", "not an operation"},
		{"11.23.2", "GET", "api/v2/computer-groups/static-groups?page=0&page-size=1", ""},
		{"11.30.1", "POST", "api/v1/buildings", "not an operation"},
		{"11.30.1", "GET", "JSSResource/osxconfigurationprofiles/id/3", ""},
		{"11.30.1", "POST", "JSSResource/osxconfigurationprofiles/id/0", ""},
		{"11.30.1", "PUT", "JSSResource/osxconfigurationprofiles/name/Okta%20SCEP", "not in the Classic API"},
		{"11.30.1", "PUT", "JSSResource/osxconfigurationprofiles/id/3/subset/scope", "not in the Classic API"},
	}
	b, _ := url.Parse(base)
	for _, tt := range tests {
		t.Run(tt.version+" "+tt.method+" "+tt.path, func(t *testing.T) {
			spec := jamfschema.MustLoad(tt.version)
			req, err := http.NewRequestWithContext(t.Context(), tt.method, base+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkErr(t, spec.ValidateRequest(b, req), tt.wantErr)
		})
	}
}

// TestValidateResponse pins what the answer check refuses: undeclared
// fields, missing required ones, enums, types and nulls.
func TestValidateResponse(t *testing.T) {
	inv := "api/v4/computers-inventory"
	page := func(item string) string { return `{"totalCount":1,"results":[` + item + `]}` }
	tests := []struct {
		name, version, path string
		status              int
		body, wantErr       string
	}{
		{"v4 lastContact", "11.30.1", inv, 200, page(`{"id":"1","general":{"name":"A","lastContact":"2026-01-01T00:00:00Z","lastCheckIn":"2026-01-01T00:00:00Z"}}`), ""},
		{"v4 lastContactTime", "11.30.1", inv, 200, page(`{"id":"1","general":{"name":"A","lastContactTime":"2026-01-01T00:00:00Z"}}`), `"lastContactTime" is unsupported`},
		{"v1 lastContact", "11.29.1", "api/v1/computers-inventory", 200, page(`{"id":"1","general":{"lastContact":"2026-01-01T00:00:00Z"}}`), `"lastContact" is unsupported`},
		{"id as number", "11.30.1", inv, 200, page(`{"id":1}`), "/results/0/id"},
		{"null section", "11.30.1", inv, 200, page(`{"id":"1","hardware":null}`), "not nullable"},
		{"null site", "11.30.1", inv, 200, page(`{"id":"1","general":{"site":null}}`), "not nullable"},
		{"bad lifecycle", "11.30.1", inv, 200, page(`{"id":"1","certificates":[{"lifecycleStatus":"LIVE"}]}`), "lifecycleStatus"},
		{
			"command ok", "11.29.1", "api/v2/mdm/commands?filter=profileId%3D%3D1", 200,
			page(`{"uuid":"u","commandState":"ERROR","profileId":1,"commandError":{"errorCode":1,"errorDomain":"d","errorEnglishDescription":"e","errorLocalizedDescription":"l"}}`), "",
		},
		{"command bad state", "11.30.1", "api/v2/mdm/commands?filter=profileId%3D%3D1", 200, page(`{"uuid":"u","commandState":"DONE"}`), "commandState"},
		{"command INSTALL_PROFILE type", "11.30.1", "api/v2/mdm/commands?filter=profileId%3D%3D1", 200, page(`{"uuid":"u","commandType":"INSTALL_PROFILE"}`), "commandType"},
		{"11.23 commandError", "11.23.2", "api/v2/mdm/commands?filter=profileId%3D%3D1", 200, page(`{"uuid":"u","commandError":{"errorCode":1}}`), `"commandError" is unsupported`},
		{"old errorDescription", "11.30.1", "api/v2/mdm/commands?filter=profileId%3D%3D1", 200, page(`{"uuid":"u","errorDescription":"x"}`), `"errorDescription" is unsupported`},
		{"static group without name", "11.30.1", "api/v3/computer-groups/static-groups", 200, page(`{"id":"1"}`), "name"},
		{"undeclared status", "11.30.1", "api/v1/buildings", 201, `{}`, "status"},
		{"ApiError ok", "11.30.1", "api/v1/buildings", 404, `{"httpStatus":404,"errors":[{"code":"NOT_FOUND","field":"","description":"x","id":"0"}]}`, ""},
		{"ApiError null field", "11.30.1", "api/v1/buildings", 404, `{"httpStatus":404,"errors":[{"code":"NOT_FOUND","field":null}]}`, "not nullable"},
		{"OAuth error", "11.30.1", "api/v1/oauth/token", 401, `{"error":"invalid_client"}`, ""},
	}
	b, _ := url.Parse(base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := jamfschema.MustLoad(tt.version)
			method := http.MethodGet
			if strings.HasSuffix(tt.path, "oauth/token") {
				method = http.MethodPost
			}
			req, _ := http.NewRequestWithContext(t.Context(), method, base+tt.path, nil)
			h := http.Header{"Content-Type": {"application/json"}}
			checkErr(t, spec.ValidateResponse(b, req, tt.status, h, []byte(tt.body)), tt.wantErr)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected violation: %v", err)
	case want != "" && err == nil:
		t.Errorf("no violation, want one mentioning %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("violation %v, want one mentioning %q", err, want)
	}
}

func TestFor(t *testing.T) {
	for in, want := range map[string]string{
		"11.23.2-t1": "11.23.2", "11.20.0": "11.23.2", "11.28.0": "11.23.2", "11.29.0": "11.29.1",
		"11.30.1-t1750000000": "11.30.1", "11.31.0": "11.30.1", "12.0.0": "11.30.1", "garbage": "11.30.1",
	} {
		if got := jamfschema.For(in); got != want {
			t.Errorf("For(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestValidateExchange: a request for an endpoint the version lacks is a
// probe when Jamf answers it 404, and a violation answered otherwise.
func TestValidateExchange(t *testing.T) {
	notFound := `{"httpStatus":404,"errors":[{"code":"NOT_FOUND","field":"","description":"x","id":"0"}]}`
	tests := []struct {
		name, version, path string
		status              int
		body, wantErr       string
	}{
		{"v4 probe on 11.29", "11.29.1", "api/v4/computers-inventory?page=0&page-size=2000", 404, notFound, ""},
		{"v4 answered on 11.29", "11.29.1", "api/v4/computers-inventory?page=0&page-size=2000", 200, `{"totalCount":0,"results":[]}`, "not an operation"},
		{"v4 answered 500 on 11.23", "11.23.2", "api/v4/computers-inventory", 500, ``, "not an operation"},
		{"bad query still checked", "11.30.1", "api/v4/computers-inventory?page-size=5000", 200, `{"totalCount":0,"results":[]}`, "page-size"},
		{"probe's query still checked", "11.29.1", "api/v4/computers-inventory?page-size=5000", 404, notFound, "not an operation"},
		{"typo answered 404", "11.30.1", "api/v1/computer-groupz", 404, notFound, "not an operation"},
		{"newest version's unknown path answered 404", "11.30.1", "api/v5/computers-inventory", 404, notFound, "not an operation"},
		{"declared 404 still checked", "11.30.1", "api/v1/buildings", 404, `{"httpStatus":404,"errors":[{"code":"NOT_FOUND","field":null}]}`, "not nullable"},
	}
	b, _ := url.Parse(base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := jamfschema.MustLoad(tt.version)
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+tt.path, nil)
			h := http.Header{"Content-Type": {"application/json"}}
			checkErr(t, spec.ValidateExchange(b, req, tt.status, h, []byte(tt.body)), tt.wantErr)
		})
	}
}
