package root

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
)

// The global -o/--output flag takes text and json on every command, and csv
// on the commands annotated with cmdutil.AnnotationCSV. Its help, its shell
// completion and its error all come from the annotations on the tree, so a
// new csv command needs no edit here.

// outputFormats returns the -o values cmd accepts, in the order help lists
// them.
func outputFormats(cmd *cobra.Command) []string {
	formats := []string{cmdutil.OutputText, cmdutil.OutputJSON}
	if acceptsCSV(cmd) {
		formats = append(formats, cmdutil.OutputCSV)
	}
	return formats
}

func acceptsCSV(cmd *cobra.Command) bool { return cmd.Annotations[cmdutil.AnnotationCSV] == "true" }

// csvCommands returns the full paths of the commands under root that accept
// -o csv ("jamf-scep verify"), sorted.
func csvCommands(root *cobra.Command) []string {
	var paths []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if acceptsCSV(c) {
			paths = append(paths, c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	slices.Sort(paths)
	return paths
}

// registerOutputFlag defines -o/--output on root, after the commands are
// added, with help that names the csv commands:
//
//	output format: text or json; csv with jamf-scep verify
func registerOutputFlag(root *cobra.Command, g *cmdutil.Globals) {
	usage := "output format: text or json"
	if csv := csvCommands(root); len(csv) > 0 {
		usage += "; csv with " + strings.Join(csv, ", ")
	}
	root.PersistentFlags().StringVarP(&g.Output, "output", "o", cmdutil.OutputText, usage)
	_ = root.RegisterFlagCompletionFunc("output", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return outputFormats(cmd), cobra.ShellCompDirectiveNoFileComp
	})
}

// checkOutput rejects an -o value cmd does not write, as a usage error that
// names the options here and, for csv, the commands that accept it:
//
//	invalid value "csv" for flag --output; options are text, json
//	(jamf-scep plan does not write csv; -o csv works with jamf-scep verify)
func checkOutput(cmd *cobra.Command, value string) error {
	allowed := outputFormats(cmd)
	if slices.Contains(allowed, value) {
		return nil
	}
	err := cmdutil.InvalidFlagValue("output", value, allowed...)
	if value != cmdutil.OutputCSV {
		return err
	}
	csv := csvCommands(cmd.Root())
	if len(csv) == 0 {
		return err
	}
	return &cmdutil.UsageError{Err: fmt.Errorf("%w (%s does not write csv; -o csv works with %s)",
		err, cmd.CommandPath(), strings.Join(csv, ", "))}
}
