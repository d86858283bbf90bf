// Package scope is jamf-scep's one scope algebra: the categories of a
// Jamf Pro profile's Classic <scope> that jamf-scep edits, and what
// `apply` and `scope add|remove|set` compute from them before writing.
//
// It owns:
//
//   - the eight categories ([Category], [Categories]): computers, computer
//     groups, buildings and departments, as targets and as exclusions, each
//     with its config key and Classic path ("exclusions.computer_groups")
//     and its flag name ("exclude-computer-group");
//   - ownership for `apply` ([Spec]): a config owns a category it lists,
//     and --replace-scope owns every list, the unmodelled ones too
//     ([Spec.OwnAll]); [Spec.Resulting] is the scope apply writes;
//   - a config scope's names and the scope they resolve to, together
//     ([FromConfig], for `plan` and `apply`) or targets and exclusions
//     apart ([ConfigNames], [Build], for `doctor`);
//   - the edits of `scope add|remove|set` ([Mode], [Edit], [Apply]);
//   - the difference of two scopes per category ([Diff]), which is both
//     the plan's scope section and the read-back check after a write
//     ([Mismatch]);
//   - the rows `scope show` lists ([Rows]).
//
// Every function is pure: no I/O, no clock. Scopes are [jamf.Scope]
// values, targets [jamf.Ref] matched by Classic id. The lists jamf-scep
// does not model (limitations, users, network segments, iBeacons ...;
// [jamf.Scope.Unmodelled]) are carried into every write exactly as read,
// so the write stores the same scope whether Jamf Pro merges a PUT's
// <scope> into the stored one or replaces it, which Jamf does not document
// (see docs/jamf-behavior.md, "Scope writes").
package scope
