package jamf_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/internal/jamfschema"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// exampleServer answers every Jamf Pro API call the client makes with the
// schema's own example of the answer, for one held schema version.
func exampleServer(t *testing.T, spec *jamfschema.Spec, inventory string) *httptest.Server {
	t.Helper()
	page := func(schema string) any {
		return map[string]any{"totalCount": 1, "results": []any{spec.Example(schema)}}
	}
	answers := map[string]any{
		"/jamf/api/v1/oauth/token":           spec.Example("OAuthTokenResponse"),
		"/jamf/api/v1/jamf-pro-version":      map[string]any{"version": spec.Version},
		"/jamf/api/" + inventory:             page(map[string]string{"v1/computers-inventory": "ComputerInventory", "v4/computers-inventory": "ComputerInventoryV4"}[inventory]),
		"/jamf/api/v2/mdm/commands":          page("MdmCommand"),
		"/jamf/api/v1/buildings":             page("Building"),
		"/jamf/api/v1/departments":           page("Department"),
		"/jamf/api/v1/categories":            page("Category"),
		"/jamf/api/v1/sites":                 []any{spec.Example("V1Site")},
		"/jamf/api/v1/computer-groups":       []any{spec.Example("ComputerGroup")},
		"/jamf/api/v1/auth/invalidate-token": nil,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(a)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// ex reads a value from a schema example by property path.
func ex(t *testing.T, v any, path ...string) any {
	t.Helper()
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, _ := strconv.Atoi(p)
			v = x[i]
		}
		if v == nil {
			t.Fatalf("schema example has no %v", path)
		}
	}
	return v
}

func exString(t *testing.T, v any, path ...string) string {
	t.Helper()
	return fmt.Sprint(ex(t, v, path...))
}

func exTime(t *testing.T, v any, path ...string) time.Time {
	t.Helper()
	s := exString(t, v, path...)
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("example %v = %q: %v", path, s, err)
	}
	return tm
}

// TestDecodersReadSchemaExamples: the client decodes, for each held Jamf
// Pro version, the schema's own examples of every answer it reads, and
// gets the example's value for every field jamf-scep uses.
func TestDecodersReadSchemaExamples(t *testing.T) {
	for _, tt := range []struct {
		version, inventory, lastContact string
	}{
		{"11.23.2", "v1/computers-inventory", "lastContactTime"},
		{"11.29.1", "v1/computers-inventory", "lastContactTime"},
		{"11.30.1", "v4/computers-inventory", "lastContact"},
	} {
		t.Run(tt.version, func(t *testing.T) {
			spec := jamfschema.MustLoad(tt.version)
			srv := exampleServer(t, spec, tt.inventory)
			c, err := jamf.New(srv.URL+"/jamf/", jamf.OAuthClient("id", "secret-value"))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()

			invSchema := map[string]string{"v1/computers-inventory": "ComputerInventory", "v4/computers-inventory": "ComputerInventoryV4"}[tt.inventory]
			e := spec.Example(invSchema)
			macs, err := c.ComputersInventory(ctx, jamf.InventoryQuery{Sections: []jamf.Section{
				jamf.SectionGeneral, jamf.SectionHardware, jamf.SectionUserAndLocation, jamf.SectionConfigurationProfiles, jamf.SectionCertificates,
			}})
			if err != nil || len(macs) != 1 {
				t.Fatalf("inventory: %v, %d records", err, len(macs))
			}
			m := macs[0]
			type fields map[string]string
			got := fields{
				"id": m.ID, "udid": m.UDID, "general.name": m.General.Name, "general.managementId": m.General.ManagementID,
				"general.lastContact":   m.General.LastContact.UTC().Format(time.RFC3339),
				"hardware.serialNumber": m.Hardware.SerialNumber, "hardware.model": m.Hardware.Model,
				"userAndLocation.username": m.UserAndLocation.Username, "userAndLocation.email": m.UserAndLocation.Email,
				"userAndLocation.buildingId": m.UserAndLocation.BuildingID, "userAndLocation.departmentId": m.UserAndLocation.DepartmentID,
				"configurationProfiles.id": m.ConfigurationProfiles[0].ID, "configurationProfiles.profileIdentifier": m.ConfigurationProfiles[0].ProfileIdentifier,
				"configurationProfiles.displayName": m.ConfigurationProfiles[0].DisplayName,
				"certificates.commonName":           m.Certificates[0].CommonName, "certificates.subjectName": m.Certificates[0].SubjectName,
				"certificates.expirationDate": m.Certificates[0].ExpirationDate.UTC().Format(time.RFC3339),
				"certificates.identity":       strconv.FormatBool(m.Certificates[0].Identity),
				"certificates.serialNumber":   m.Certificates[0].SerialNumber,
			}
			want := fields{
				"id": exString(t, e, "id"), "udid": exString(t, e, "udid"), "general.name": exString(t, e, "general", "name"),
				"general.managementId":  exString(t, e, "general", "managementId"),
				"general.lastContact":   exTime(t, e, "general", tt.lastContact).Format(time.RFC3339),
				"hardware.serialNumber": exString(t, e, "hardware", "serialNumber"), "hardware.model": exString(t, e, "hardware", "model"),
				"userAndLocation.username": exString(t, e, "userAndLocation", "username"), "userAndLocation.email": exString(t, e, "userAndLocation", "email"),
				"userAndLocation.buildingId": exString(t, e, "userAndLocation", "buildingId"), "userAndLocation.departmentId": exString(t, e, "userAndLocation", "departmentId"),
				"configurationProfiles.id":                exString(t, e, "configurationProfiles", "0", "id"),
				"configurationProfiles.profileIdentifier": exString(t, e, "configurationProfiles", "0", "profileIdentifier"),
				"configurationProfiles.displayName":       exString(t, e, "configurationProfiles", "0", "displayName"),
				"certificates.commonName":                 exString(t, e, "certificates", "0", "commonName"), "certificates.subjectName": exString(t, e, "certificates", "0", "subjectName"),
				"certificates.expirationDate": exTime(t, e, "certificates", "0", "expirationDate").Format(time.RFC3339),
				"certificates.identity":       exString(t, e, "certificates", "0", "identity"),
				"certificates.serialNumber":   exString(t, e, "certificates", "0", "serialNumber"),
			}
			if tt.lastContact == "lastContact" {
				got["general.lastCheckIn"] = m.General.LastCheckIn.UTC().Format(time.RFC3339)
				want["general.lastCheckIn"] = exTime(t, e, "general", "lastCheckIn").Format(time.RFC3339)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("inventory decoded from the schema example (-want +got):\n%s", diff)
			}

			ce := spec.Example("MdmCommand")
			cmds, err := c.MDMCommands(ctx, "profileId==1")
			if err != nil || len(cmds) != 1 {
				t.Fatalf("commands: %v, %d records", err, len(cmds))
			}
			cmd := cmds[0]
			gotCmd := fields{
				"uuid": cmd.UUID, "commandState": cmd.CommandState, "client.managementId": cmd.Client.ManagementID,
				"client.clientType": cmd.Client.ClientType, "dateSent": cmd.DateSent.UTC().Format(time.RFC3339),
			}
			wantCmd := fields{
				"uuid": exString(t, ce, "uuid"), "commandState": exString(t, ce, "commandState"),
				"client.managementId": exString(t, ce, "client", "managementId"), "client.clientType": exString(t, ce, "client", "clientType"),
				"dateSent": exTime(t, ce, "dateSent").Format(time.RFC3339),
			}
			if spec.Schema("MdmCommandError") != nil { // 11.29 and later
				gotCmd["profileId"] = strconv.Itoa(cmd.ProfileID)
				gotCmd["commandError.errorCode"] = strconv.Itoa(cmd.CommandError.Code)
				gotCmd["commandError.errorDomain"] = cmd.CommandError.Domain
				gotCmd["commandError.description"] = cmd.CommandError.Description()
				wantCmd["profileId"] = exString(t, ce, "profileId")
				wantCmd["commandError.errorCode"] = exString(t, ce, "commandError", "errorCode")
				wantCmd["commandError.errorDomain"] = exString(t, ce, "commandError", "errorDomain")
				wantCmd["commandError.description"] = exString(t, ce, "commandError", "errorEnglishDescription")
			}
			if diff := cmp.Diff(wantCmd, gotCmd); diff != "" {
				t.Errorf("MDM command decoded from the schema example (-want +got):\n%s", diff)
			}

			bs, err := c.Buildings(ctx)
			if err != nil || len(bs) != 1 || bs[0].ID != exString(t, spec.Example("Building"), "id") || bs[0].Name != exString(t, spec.Example("Building"), "name") {
				t.Errorf("buildings = %+v, %v", bs, err)
			}
			ds, err := c.Departments(ctx)
			if err != nil || len(ds) != 1 || ds[0].Name != exString(t, spec.Example("Department"), "name") {
				t.Errorf("departments = %+v, %v", ds, err)
			}
			cs, err := c.Categories(ctx)
			if err != nil || len(cs) != 1 || cs[0].Name != exString(t, spec.Example("Category"), "name") {
				t.Errorf("categories = %+v, %v", cs, err)
			}
			ss, err := c.Sites(ctx)
			if err != nil || len(ss) != 1 || ss[0].ID != exString(t, spec.Example("V1Site"), "id") {
				t.Errorf("sites = %+v, %v", ss, err)
			}
			gs, err := c.ComputerGroups(ctx)
			g := spec.Example("ComputerGroup")
			if err != nil || len(gs) != 1 || gs[0].ID != exString(t, g, "id") || gs[0].Name != exString(t, g, "name") || strconv.FormatBool(gs[0].Smart) != exString(t, g, "smartGroup") {
				t.Errorf("computer groups = %+v, %v", gs, err)
			}
		})
	}
}
