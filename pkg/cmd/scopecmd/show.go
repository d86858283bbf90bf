package scopecmd

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/fleet"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// ShowOptions are the inputs of `scope show`.
type ShowOptions struct {
	F      *cmdutil.Factory
	Target TargetOptions
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
			return runShow(cmd.Context(), opts)
		},
	}
	addTargetFlags(cmd.Flags(), &opts.Target)
	return cmd
}

// showResult is the JSON shape of `scope show -o json`.
type showResult struct {
	Tenant       string      `json:"tenant"`
	ProfileID    int         `json:"profileId"`
	ProfileName  string      `json:"profileName"`
	AllComputers bool        `json:"allComputers"`
	Targets      []scope.Row `json:"targets"`
	MacsInScope  int         `json:"macsInScope"`
	MacIDs       []int       `json:"macIds"`
}

// runShow prints the scope of one profile.
func runShow(ctx context.Context, o *ShowOptions) error {
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
	res := showResult{
		Tenant: s.tenant, ProfileID: p.General.ID, ProfileName: p.General.Name,
		AllComputers: p.Scope.AllComputers, Targets: scope.Rows(p.Scope),
		MacsInScope: len(ids), MacIDs: ids,
	}
	if res.MacIDs == nil {
		res.MacIDs = []int{}
	}
	if f.Globals.JSON() {
		return cmdutil.WriteJSON(f.IOStreams.Out, res)
	}
	t := cmdutil.NewTable(f.IOStreams.Out, f.IOStreams.IsStdoutTTY())
	t.FitWidth(f.IOStreams.TerminalWidth(), nil, nil)
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
