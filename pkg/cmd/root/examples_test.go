package root

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

func newTestRoot(t *testing.T) *cobra.Command {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	return NewCmdRoot(&cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.Globals{}, Now: time.Now, LookupEnv: func(string) (string, bool) { return "", false }})
}

// TestExamplesParse checks that every "$ jamf-scep ..." line in every
// command's Example names an existing command and only existing flags, so
// the help cannot rot.
func TestExamplesParse(t *testing.T) {
	root := newTestRoot(t)
	var walk func(c *cobra.Command)
	count := 0
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.Example == "" && c.Name() != "help" && !strings.HasPrefix(c.Name(), "__") && c.Name() != "completion" && c.Parent() != nil && c.Parent().Name() != "completion" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "$ jamf-scep") {
				if line != "" && !strings.HasPrefix(line, "#") {
					t.Errorf("%s: example line %q should start with \"$ jamf-scep\" or \"#\"", c.CommandPath(), line)
				}
				continue
			}
			count++
			checkCommandLine(t, newTestRoot(t), strings.TrimPrefix(line, "$ "), c.CommandPath()+" Example")
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if count == 0 {
		t.Fatal("no examples found: the walk is broken")
	}
}

// TestReadmeCommandsParse checks every jamf-scep command line in README.md
// and CONTRIBUTING.md code blocks.
func TestReadmeCommandsParse(t *testing.T) {
	checked := 0
	for _, doc := range []string{"README.md", "CONTRIBUTING.md"} {
		path := filepath.Join("..", "..", "..", doc)
		f, err := os.Open(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		inCode := false
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			n++
			line := strings.TrimSpace(sc.Text())
			if strings.HasPrefix(line, "```") {
				inCode = !inCode
				continue
			}
			if !inCode {
				continue
			}
			line = strings.TrimPrefix(line, "$ ")
			line = strings.Replace(line, "go run ./cmd/jamf-scep", "jamf-scep", 1)
			if i := strings.Index(line, " | "); i >= 0 {
				line = line[:i] // the jamf-scep part of a pipeline
			}
			if strings.HasPrefix(line, "jamf-scep ") {
				checkCommandLine(t, newTestRoot(t), line, doc+":"+strconv.Itoa(n))
				checked++
			}
		}
		f.Close()
	}
	if checked < 5 {
		t.Errorf("only %d command lines found in the docs: the scan is broken", checked)
	}
}

// checkCommandLine resolves line ("jamf-scep verb ... --flag v") against
// the tree and parses its flags without running anything.
func checkCommandLine(t *testing.T, root *cobra.Command, line, where string) {
	t.Helper()
	args := shellFields(line)[1:] // drop "jamf-scep"
	cmd, rest, err := root.Find(args)
	if err != nil {
		t.Errorf("%s: %q: %v", where, line, err)
		return
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Errorf("%s: %q: %v", where, line, err)
	}
}

// shellFields splits a command line on blanks, honoring single and double
// quotes and dropping redirections and trailing comments; enough for docs.
func shellFields(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	inField := false
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inField = r, true
		case r == ' ' || r == '\t':
			if inField {
				out = append(out, cur.String())
				cur.Reset()
				inField = false
			}
		case r == '#' && !inField:
			return trimRedirects(out)
		default:
			cur.WriteRune(r)
			inField = true
		}
	}
	if inField {
		out = append(out, cur.String())
	}
	return trimRedirects(out)
}

func trimRedirects(fields []string) []string {
	for i, f := range fields {
		if strings.HasPrefix(f, ">") || strings.HasPrefix(f, "<") || f == "2>&1" || strings.HasPrefix(f, "2>") || f == "&&" || f == ";" {
			return fields[:i]
		}
	}
	return fields
}

// TestHelpTopicsDoNotShadowCommands guards against a help topic named like
// a command: cobra then resolves one or the other depending on the tree.
func TestHelpTopicsDoNotShadowCommands(t *testing.T) {
	root := newTestRoot(t)
	seen := map[string]int{}
	for _, c := range root.Commands() {
		seen[c.Name()]++
	}
	for name, n := range seen {
		if n > 1 {
			t.Errorf("%d commands or help topics are named %q", n, name)
		}
	}
	for _, topic := range helpTopics() {
		c, _, err := root.Find([]string{topic.name})
		if err != nil || c.Long != topic.long {
			t.Errorf("help topic %q does not resolve to itself", topic.name)
		}
	}
}
