package jamfsim

// Jamf Pro versions the simulator can play. Each serves the endpoints and
// shapes of Jamf's published schema for that version (the schemas are
// checked into internal/jamfschema/testdata); any later version plays
// Version11_30 and any earlier one Version11_23.
const (
	// Version11_23 has computers-inventory v1-v3, computer-groups v2 and
	// MDM commands without profileId or commandError.
	Version11_23 = "11.23.2-t1737000000"
	// Version11_29 adds computer-groups v3 and, on MDM commands, profileId
	// and commandError.
	Version11_29 = "11.29.1-t1747000000"
	// Version11_30 adds computers-inventory v4, whose GENERAL section
	// names last contact lastContact (v1-v3: lastContactTime) and adds
	// lastCheckIn, and the MDM command state COMMAND_FORMAT_ERROR.
	Version11_30 = "11.30.1-t1750000000"
)

// Versions lists the versions above, oldest first.
func Versions() []string { return []string{Version11_23, Version11_29, Version11_30} }

// features are the version-dependent parts of the simulator's API.
type features struct {
	groupsV3      bool // computer-groups v3 lists
	inventoryV4   bool // computers-inventory v4 (lastContact, lastCheckIn)
	commandDetail bool // MdmCommand profileId and commandError
}

func featuresOf(version string) features {
	return features{
		groupsV3:      versionAtLeast(version, 11, 29),
		inventoryV4:   versionAtLeast(version, 11, 30),
		commandDetail: versionAtLeast(version, 11, 29),
	}
}
