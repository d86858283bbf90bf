package scopecmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// ShowOptions are the inputs of `scope show`.
type ShowOptions struct {
	F      *cmdutil.Factory
	Target Target
}

// NewCmdShow returns `scope show`. runF replaces the run function in tests
// of flag parsing.
func NewCmdShow(f *cmdutil.Factory, runF func(context.Context, *ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{F: f}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show a profile's scope and how many Macs it reaches",
		Long: `Print the profile's scope as a table (category, target, kind: include,
exclude or limitation) and, on stderr, how many Macs it reaches. With -o json
the whole scope, the Mac count and the Mac ids.`,
		Example: `  $ jamf-scep scope show --profile "Okta Device Access SCEP"
  $ jamf-scep scope show --profile-id 42 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return RunShow(cmd.Context(), opts)
		},
	}
	addTargetFlags(cmd.Flags(), &opts.Target)
	return cmd
}

// Row is one target of a scope, as `scope show` lists it.
type Row struct {
	// Category is "computer", "computer-group", "building", "department",
	// "all-computers", or a list Jamf has that the scope commands do not
	// edit, named by its Classic element in the singular with dashes
	// ("user", "user-group", "network-segment", "ibeacon", "jss-user",
	// "jss-user-group", "all-jss-users").
	Category string `json:"category"`
	ID       int    `json:"id,omitempty"`
	Name     string `json:"name"`
	// Kind is include, exclude or limitation.
	Kind string `json:"kind"`
}

// ShowResult is the JSON shape of `scope show -o json`.
type ShowResult struct {
	Tenant       string `json:"tenant"`
	ProfileID    int    `json:"profileId"`
	ProfileName  string `json:"profileName"`
	AllComputers bool   `json:"allComputers"`
	Targets      []Row  `json:"targets"`
	MacsInScope  int    `json:"macsInScope"`
	MacIDs       []int  `json:"macIds"`
}

// Rows lists every target of s: all computers first, then the edited
// categories, then the lists only Jamf's GUI edits.
func Rows(s jamf.Scope) []Row {
	rows := []Row{}
	if s.AllComputers {
		rows = append(rows, Row{Category: allComputers, Name: "All Computers", Kind: "include"})
	}
	for _, c := range Categories {
		kind := "include"
		name := c.Name
		if c.Exclude {
			kind = "exclude"
			name = c.Name[len("exclude-"):]
		}
		for _, r := range *c.list(&s) {
			rows = append(rows, Row{Category: name, ID: r.ID, Name: r.Name, Kind: kind})
		}
	}
	for _, l := range s.OtherLists() {
		category, kind := otherCategory(l.Path)
		for _, r := range l.Refs {
			rows = append(rows, Row{Category: category, ID: r.ID, Name: r.Name, Kind: kind})
		}
	}
	return rows
}

// otherCategory names the unmodelled list at path (a
// [jamf.OtherList.Path]) as Row.Category and Row.Kind do:
// "limitations.network_segments" is ("network-segment", "limitation").
func otherCategory(path string) (category, kind string) {
	kind = "include"
	if rest, ok := strings.CutPrefix(path, "limitations."); ok {
		path, kind = rest, "limitation"
	} else if rest, ok := strings.CutPrefix(path, "exclusions."); ok {
		path, kind = rest, "exclude"
	}
	if path == "all_jss_users" {
		return "all-jss-users", kind
	}
	return strings.ReplaceAll(strings.TrimSuffix(path, "s"), "_", "-"), kind
}

// RunShow prints the scope of one profile.
func RunShow(ctx context.Context, o *ShowOptions) error {
	f := o.F
	s, err := open(ctx, f, o.Target)
	if err != nil {
		return err
	}
	defer func() { _ = s.client.Close(context.WithoutCancel(ctx)) }()
	p := s.profile
	// Counting Macs needs the inventory; groups cost one call each, and
	// buildings and departments match by id, so no other list is needed.
	fl, err := fleet.Load(ctx, s.client, fleet.Need{})
	if err != nil {
		return cmdutil.JamfError(err)
	}
	ids, err := fl.Members(ctx, p.Scope)
	if err != nil {
		return cmdutil.JamfError(err)
	}
	res := ShowResult{
		Tenant: s.tenant, ProfileID: p.General.ID, ProfileName: p.General.Name,
		AllComputers: p.Scope.AllComputers, Targets: Rows(p.Scope),
		MacsInScope: len(ids), MacIDs: ids,
	}
	if res.MacIDs == nil {
		res.MacIDs = []int{}
	}
	if f.Globals.JSON() {
		return cmdutil.WriteJSON(f.IOStreams.Out, res)
	}
	t := cmdutil.NewTable(f.IOStreams.Out, f.IOStreams.IsStdoutTTY())
	t.Row("CATEGORY", "TARGET", "ID", "KIND")
	for _, r := range res.Targets {
		id := ""
		if r.ID != 0 {
			id = strconv.Itoa(r.ID)
		}
		t.Row(r.Category, r.Name, id, r.Kind)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if len(res.Targets) == 0 {
		fmt.Fprintf(f.IOStreams.ErrOut, "%q (id %d) has no scope: it reaches no Mac\n", p.General.Name, p.General.ID)
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "%d Macs in scope of %q (id %d) on %s\n", res.MacsInScope, p.General.Name, p.General.ID, s.tenant)
	return nil
}
