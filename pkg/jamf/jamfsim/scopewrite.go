package jamfsim

import (
	"fmt"
	"strings"
)

// ScopeWrite is how the simulator combines a PUT's <scope> with the stored
// scope. Jamf does not document which one it does (see the repository's
// docs/jamf-behavior.md, "Scope writes"); a client is correct only if it
// gets the same stored scope under both.
type ScopeWrite int

const (
	// ScopeWriteMerge keeps every list a sent <scope> omits (inside
	// <limitations> and <exclusions> too): the default.
	ScopeWriteMerge ScopeWrite = iota
	// ScopeWriteReplace replaces the stored scope with the sent one: every
	// list the <scope> omits, targets, limitations and exclusions alike,
	// becomes empty. A PUT without <scope> still leaves the scope alone.
	ScopeWriteReplace
)

var scopeWriteNames = []string{"merge", "replace"}

// String returns "merge" or "replace".
func (w ScopeWrite) String() string {
	if w >= 0 && int(w) < len(scopeWriteNames) {
		return scopeWriteNames[w]
	}
	return fmt.Sprintf("ScopeWrite(%d)", int(w))
}

// ParseScopeWrite reads "merge" or "replace".
func ParseScopeWrite(s string) (ScopeWrite, error) {
	for i, n := range scopeWriteNames {
		if strings.EqualFold(s, n) {
			return ScopeWrite(i), nil
		}
	}
	return 0, fmt.Errorf("jamfsim: scope write %q is not one of %s", s, strings.Join(scopeWriteNames, ", "))
}

// keyAllJSSUsers is the [Scope.Other] key of the all_jss_users switch.
const keyAllJSSUsers = "all_jss_users"

// OtherLists are the [Scope.Other] keys of the lists of a Classic profile
// scope that the simulator stores but does not evaluate, in the order a
// GET answers them (Jamf Pro Classic API reference,
// osxconfigurationprofiles).
var OtherLists = []string{
	"jss_users", "jss_user_groups",
	"limitations/users", "limitations/user_groups", "limitations/network_segments", "limitations/ibeacons",
	"exclusions/users", "exclusions/user_groups", "exclusions/network_segments", "exclusions/ibeacons",
	"exclusions/jss_users", "exclusions/jss_user_groups",
}

// setOther stores v at key; an empty list or a false switch removes it.
func (sc *Scope) setOther(key, v string) {
	if strings.TrimSpace(v) == "" || (key == keyAllJSSUsers && v == "false") {
		delete(sc.Other, key)
		return
	}
	if sc.Other == nil {
		sc.Other = map[string]string{}
	}
	sc.Other[key] = v
}

// SetScopeOther stores inner as the list key of profile id's scope (a key
// of [OtherLists], or "all_jss_users" with "true" or "false"), as another
// admin editing the scope in the Jamf Pro GUI would, visible to every node
// at once. It reports whether the profile exists.
func (s *Server) SetScopeOther(id int, key, inner string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.latestProfile(id)
	if cur == nil {
		return false
	}
	p := cur.clone()
	p.Scope.setOther(key, inner)
	s.profiles[id] = append(s.profiles[id], profileVersion{node: -1, p: p})
	return true
}
