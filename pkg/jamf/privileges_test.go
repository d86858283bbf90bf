package jamf

import "testing"

func TestPrivilegeFor(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"GET", "JSSResource/osxconfigurationprofiles/id/7", PrivilegeReadProfiles},
		{"POST", "JSSResource/osxconfigurationprofiles/id/0", PrivilegeCreateProfiles},
		{"PUT", "/JSSResource/osxconfigurationprofiles/id/7", PrivilegeUpdateProfiles},
		{"GET", "api/v4/computers-inventory", PrivilegeReadComputers},
		{"GET", "api/v1/computers-inventory", PrivilegeReadComputers},
		{"GET", "api/v3/computer-groups/smart-groups", PrivilegeReadSmartGroups},
		{"GET", "api/v3/computer-groups/static-groups", PrivilegeReadStaticGroups},
		{"GET", "api/v1/computer-groups", PrivilegeReadSmartGroups + " and " + PrivilegeReadStaticGroups},
		{"GET", "JSSResource/computergroups/id/3", PrivilegeReadSmartGroups + " and " + PrivilegeReadStaticGroups},
		{"GET", "api/v1/buildings", PrivilegeReadBuildings},
		{"GET", "api/v1/departments", PrivilegeReadDepartments},
		{"GET", "api/v2/mdm/commands", PrivilegeViewMDMCommands},
		{"GET", "api/v1/categories", PrivilegeReadCategories},
		{"GET", "api/v1/sites", PrivilegeReadSites},
		{"GET", "api/v1/jamf-pro-version", ""},
	}
	for _, tt := range tests {
		if got := PrivilegeFor(tt.method, tt.path); got != tt.want {
			t.Errorf("PrivilegeFor(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
	e := &Error{Method: "PUT", Path: "JSSResource/osxconfigurationprofiles/id/1", StatusCode: 403}
	if e.Privilege() != PrivilegeUpdateProfiles {
		t.Errorf("Error.Privilege() = %q", e.Privilege())
	}
}
