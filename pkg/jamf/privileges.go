package jamf

import (
	"net/http"
	"strings"
)

// PrivilegeFor names the Jamf Pro privilege (as API roles spell it) that a
// request with method and path (relative to the base URL, as in
// Error.Path) needs, or "" when jamf-scep does not make such a request.
// Source: Jamf Pro API reference ("Required privileges" on each endpoint)
// and the Classic API privilege table.
func PrivilegeFor(method, path string) string {
	path = strings.TrimPrefix(path, "/")
	switch {
	case strings.HasPrefix(path, profilesPath):
		switch method {
		case http.MethodPost:
			return PrivilegeCreateProfiles
		case http.MethodPut:
			return PrivilegeUpdateProfiles
		}
		return PrivilegeReadProfiles
	case strings.Contains(path, "/computers-inventory"):
		return PrivilegeReadComputers
	case strings.Contains(path, "computer-groups/smart-groups"):
		return PrivilegeReadSmartGroups
	case strings.Contains(path, "computer-groups/static-groups"):
		return PrivilegeReadStaticGroups
	case strings.HasPrefix(path, computerGroups), strings.HasPrefix(path, computerGroupsClassic):
		return PrivilegeReadSmartGroups + " and " + PrivilegeReadStaticGroups
	case strings.HasPrefix(path, buildingsPath):
		return PrivilegeReadBuildings
	case strings.HasPrefix(path, departmentsPath):
		return PrivilegeReadDepartments
	case strings.HasPrefix(path, mdmCommandsPath):
		return PrivilegeViewMDMCommands
	case strings.HasPrefix(path, categoriesPath):
		return PrivilegeReadCategories
	case strings.HasPrefix(path, sitesPath):
		return PrivilegeReadSites
	}
	return ""
}

// Privilege names the privilege the failed request needed (see
// PrivilegeFor); useful on a 403.
func (e *Error) Privilege() string { return PrivilegeFor(e.Method, e.Path) }
