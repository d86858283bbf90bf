package verify

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// knownState reports whether s is one of Jamf's MDM command states
// (MdmCommandState in Jamf's schema: upper case).
func knownState(s string) bool {
	switch s {
	case StatePending, StateAcknowledged, StateNotNow, StateError, StateFormatError:
		return true
	}
	return false
}

// futureSlack is how far ahead of now an inventory time may be (clock
// skew between Jamf and this machine) before it is treated as wrong.
const futureSlack = 24 * time.Hour

// screenCommands drops the commands that are not this profile's: a set
// profileId other than target (a server or proxy that ignored the
// profileId filter). It returns the rest and the warnings to report.
func screenCommands(cmds []jamf.MDMCommand, target int) ([]jamf.MDMCommand, []string) {
	if cmds == nil {
		return nil, nil
	}
	var warnings []string
	kept := make([]jamf.MDMCommand, 0, len(cmds))
	others := map[int]int{}
	unknown := map[string]int{}
	for _, c := range cmds {
		if c.ProfileID != 0 && target > 0 && c.ProfileID != target {
			others[c.ProfileID]++
			continue
		}
		if c.CommandState != "" && !knownState(c.CommandState) {
			unknown[c.CommandState]++
		}
		kept = append(kept, c)
	}
	if n := len(cmds) - len(kept); n > 0 {
		warnings = append(warnings, fmt.Sprintf("ignored %d MDM commands for other profiles (ids %v): the server did not apply the profileId filter", n, sortedKeys(others)))
	}
	for _, s := range sortedKeys(unknown) {
		warnings = append(warnings, fmt.Sprintf("%d install commands have state %q, not a state Jamf documents (PENDING, ACKNOWLEDGED, NOT_NOW, ERROR, COMMAND_FORMAT_ERROR): counted neither pending nor failed", unknown[s], s))
	}
	return kept, warnings
}

// screenComputers drops inventory records that cannot be one Mac: an id
// that is not a positive integer, and every record after the first with
// the same id. It returns the rest and the warnings to report.
func screenComputers(cs []jamf.Computer) ([]*jamf.Computer, []string) {
	var warnings []string
	seen := make(map[int]int, len(cs))
	kept := make([]*jamf.Computer, 0, len(cs))
	var noName, noMgmt int
	for i := range cs {
		c := &cs[i]
		if strings.TrimSpace(c.General.Name) == "" {
			noName++
		}
		if c.General.ManagementID == "" {
			noMgmt++
		}
		id, err := strconv.Atoi(c.ID)
		if err != nil || id <= 0 {
			warnings = append(warnings, fmt.Sprintf("skipped an inventory record with id %q: not a positive integer", c.ID))
			continue
		}
		seen[id]++
		if seen[id] > 1 {
			continue
		}
		kept = append(kept, c)
	}
	if noName > 0 {
		warnings = append(warnings, fmt.Sprintf("%d inventory record(s) have no name; they are listed by id", noName))
	}
	if noMgmt > 0 {
		warnings = append(warnings, fmt.Sprintf("%d inventory record(s) have no management id; their MDM commands cannot be matched", noMgmt))
	}
	for _, id := range sortedKeys(seen) {
		if n := seen[id]; n > 1 {
			warnings = append(warnings, fmt.Sprintf("inventory id %d appears %d times; only the first record is used", id, n))
		}
	}
	return kept, warnings
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K { return slices.Sorted(maps.Keys(m)) }
