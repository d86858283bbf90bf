package root

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
)

// completionTimeout bounds a live lookup while the user waits at a TAB.
const completionTimeout = 5 * time.Second

// nameLookup lists the names of one kind of Jamf object on a tenant.
type nameLookup func(ctx context.Context, c *jamf.Client) ([]string, error)

// lookupCompleters complete flags whose values are Jamf object names, by
// flag name, wherever a command defines them: --profile, and each scope
// category's flag (scope.Category.Flag) whose kind can be listed in one
// call (computers are too many to list at a TAB).
var lookupCompleters = func() map[string]nameLookup {
	byKind := map[string]nameLookup{
		jamf.KindComputerGroup: groupNames,
		jamf.KindBuilding:      buildingNames,
		jamf.KindDepartment:    departmentNames,
	}
	m := map[string]nameLookup{"profile": profileNames}
	for _, c := range scope.Categories() {
		if l := byKind[c.Kind()]; l != nil {
			m[c.Flag()] = l
		}
	}
	return m
}()

// registerCompletions walks the tree once and attaches completion functions
// to the flags that name tenants and Jamf objects, so every command gets
// the same completion for the same flag name without wiring it itself.
// Tenant names come from the config file only; object names need
// credentials (config or env) and are fetched live, within a short
// timeout, and silently give nothing when that fails.
func registerCompletions(cmd *cobra.Command, f *cmdutil.Factory) {
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		switch {
		case fl.Name == "tenant":
			_ = cmd.RegisterFlagCompletionFunc(fl.Name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return tenantNames(f), cobra.ShellCompDirectiveNoFileComp
			})
		case lookupCompleters[fl.Name] != nil:
			lookup := lookupCompleters[fl.Name]
			_ = cmd.RegisterFlagCompletionFunc(fl.Name, func(c *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
				return liveNames(c, f, lookup, prefix), cobra.ShellCompDirectiveNoFileComp
			})
		}
	})
	for _, sub := range cmd.Commands() {
		registerCompletions(sub, f)
	}
}

func tenantNames(f *cmdutil.Factory) []string {
	cfg, err := f.Config()
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(cfg.Tenants))
	for _, t := range cfg.Tenants {
		names = append(names, t.Name)
	}
	return names
}

// liveNames connects to the tenant named by --tenant (or the only one) and
// lists names that start with prefix (case-insensitively).
func liveNames(cmd *cobra.Command, f *cmdutil.Factory, lookup nameLookup, prefix string) []string {
	cfg, err := f.Config()
	if err != nil || len(cfg.Tenants) == 0 {
		return nil
	}
	t := cfg.Tenants[0]
	if fl := cmd.Flags().Lookup("tenant"); fl != nil && fl.Value.String() != "" {
		name := strings.Split(fl.Value.String(), ",")[0]
		if name = strings.Trim(name, "[] "); name != "" {
			if tt, err := cfg.Tenant(name); err == nil {
				t = tt
			}
		}
	} else if len(cfg.Tenants) > 1 {
		return nil // ambiguous: which tenant's names?
	}
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	c, err := f.Connect(ctx, t)
	if err != nil {
		return nil
	}
	defer c.Close(ctx) // best effort: a completion has nowhere to report an error
	names, err := lookup(ctx, c)
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), strings.ToLower(prefix)) {
			out = append(out, n)
		}
	}
	return out
}

func profileNames(ctx context.Context, c *jamf.Client) ([]string, error) {
	ps, err := c.ListProfiles(ctx)
	return names(ps, err, func(p jamf.ProfileSummary) string { return p.Name })
}

func groupNames(ctx context.Context, c *jamf.Client) ([]string, error) {
	gs, err := c.ComputerGroups(ctx)
	return names(gs, err, func(g jamf.ComputerGroup) string { return g.Name })
}

func buildingNames(ctx context.Context, c *jamf.Client) ([]string, error) {
	bs, err := c.Buildings(ctx)
	return names(bs, err, func(b jamf.Building) string { return b.Name })
}

func departmentNames(ctx context.Context, c *jamf.Client) ([]string, error) {
	ds, err := c.Departments(ctx)
	return names(ds, err, func(d jamf.Department) string { return d.Name })
}

func names[T any](items []T, err error, name func(T) string) ([]string, error) {
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = name(it)
	}
	return out, nil
}
