// Package pullcmd implements `jamf-scep profile pull`: download a profile
// stored in Jamf Pro as a .mobileconfig and, with --dialect-report and
// --write-dialect, learn from it how Jamf stores its own SCEP settings
// (docs/jamf-behavior.md, 'Unknowns').
package pullcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/pkg/atomicfile"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/dialectreport"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// secretMarker replaces every secret value in a pulled profile unless
// --include-secrets is given: the one redaction text, secret.Redacted.
const secretMarker = secret.Redacted

// Options are the inputs of `profile pull`.
type Options struct {
	F *cmdutil.Factory

	Tenant    string
	Name      string
	ProfileID int

	Out            string
	Force          bool
	IncludeSecrets bool
	DialectReport  bool
	WriteDialect   string
	JamfDialect    string
}

// NewCmdPull returns the `profile pull` command. runF replaces the run
// function in tests of flag parsing.
func NewCmdPull(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "pull",
		Short: "Download a profile stored in Jamf Pro and compare it with the Jamf dialect",
		Long: `Download a macOS configuration profile stored in Jamf Pro, by exact name or id,
as a .mobileconfig. Secrets (the dialect's password key, a static Challenge,
any key named like a password) are replaced by a marker unless
--include-secrets is given. --out files are written 0600, atomically, and
never over an existing file without --force.

Jamf does not publish how it stores its own SCEP settings (challenge type, URL
To SCEP Admin, username, password, redistribution). Make one profile in the
Jamf GUI, then:

  --dialect-report      list every key and general field that is not Apple's,
                        where it sits, its type and value (secrets masked),
                        and how it differs from what jamf-scep's dialect
                        would write
  --write-dialect FILE  write a dialect file that makes jamf-scep reproduce
                        Jamf's encoding; use it with --jamf-dialect FILE or
                        profile.jamf_dialect

The .mobileconfig goes to --out, or to stdout when neither --dialect-report
nor --write-dialect is given.`,
		Example: `  $ jamf-scep profile pull --profile "Okta Device Access SCEP" --out okta.mobileconfig
  $ jamf-scep profile pull --profile-id 42 --dialect-report
  $ jamf-scep profile pull --profile "SCEP made in the GUI" --dialect-report --write-dialect jamf-dialect.yaml
  $ jamf-scep profile build --config jamf-scep.yaml --jamf-dialect jamf-dialect.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddTenantFlag(fl, &opts.Tenant, "tenant name from the config (needed when it has several)")
	fl.StringVar(&opts.Name, "profile", "", "exact name of the profile in Jamf Pro (default: profile.name from the config)")
	cmdutil.AddProfileIDFlag(fl, &opts.ProfileID, "Jamf Pro id of the profile")
	fl.StringVar(&opts.Out, "out", "", "write the .mobileconfig to this file (mode 0600)")
	fl.BoolVar(&opts.Force, "force", false, "overwrite existing --out and --write-dialect files")
	fl.BoolVar(&opts.IncludeSecrets, "include-secrets", false, "keep secret values in the .mobileconfig")
	fl.BoolVar(&opts.DialectReport, "dialect-report", false, "report every non-Apple key and how it differs from the Jamf dialect")
	fl.StringVar(&opts.WriteDialect, "write-dialect", "", "write a dialect file reproducing Jamf's encoding")
	cmdutil.AddJamfDialectFlag(fl, &opts.JamfDialect, "dialect to compare with (default: profile.jamf_dialect, else the embedded one)")
	cmd.MarkFlagsMutuallyExclusive("profile", "profile-id")
	return cmd
}

// generalField is one Jamf general setting of the pulled profile; these
// live outside the plist and are not Apple's.
type generalField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Note  string `json:"note,omitempty"`
}

// result is the JSON shape of `profile pull -o json`.
type result struct {
	Tenant        string                `json:"tenant"`
	ProfileID     int                   `json:"profileId"`
	ProfileName   string                `json:"profileName"`
	Out           string                `json:"out,omitempty"`
	MaskedSecrets []string              `json:"maskedSecrets"`
	Mobileconfig  string                `json:"mobileconfig,omitempty"`
	General       []generalField        `json:"general,omitempty"`
	Report        *dialectreport.Report `json:"dialectReport,omitempty"`
	WroteDialect  string                `json:"wroteDialect,omitempty"`
}

// run downloads the profile and writes what was asked for.
func run(ctx context.Context, o *Options) error {
	f := o.F
	if err := cmdutil.CheckProfileID(o.ProfileID); err != nil {
		return err
	}
	cfg, err := f.TenantConfig()
	if err != nil {
		return err
	}
	eff, err := cmdutil.OneTenant(cfg, o.Tenant)
	if err != nil {
		return err
	}
	dialect, err := config.DialectFor(o.JamfDialect, eff.Profile)
	if err != nil {
		return err
	}
	tn := eff.Tenant.Name
	c, err := f.Connect(ctx, eff.Tenant)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close(context.WithoutCancel(ctx)) }()
	p, err := cmdutil.FindProfile(ctx, c, tn, config.Pick(o.Name, "", eff.Profile.Name, ""), o.ProfileID)
	if err != nil {
		return err
	}
	stored := p.General.Payloads
	if strings.TrimSpace(stored) == "" {
		return fmt.Errorf("profile %d (%q) has no payloads stored", p.General.ID, p.General.Name)
	}
	res := result{Tenant: tn, ProfileID: p.General.ID, ProfileName: p.General.Name, Out: o.Out, MaskedSecrets: []string{}}
	data := []byte(stored)
	if !o.IncludeSecrets {
		data, res.MaskedSecrets, err = maskSecrets(data, dialect)
		if err != nil {
			return fmt.Errorf("profile %d: %w", p.General.ID, err)
		}
	}
	if o.Out != "" {
		if err := write(o.Out, data, 0o600, o.Force); err != nil {
			return err
		}
	}
	if o.DialectReport || o.WriteDialect != "" {
		res.Report, err = dialectreport.Compare([]byte(stored), dialect)
		if err != nil {
			return fmt.Errorf("profile %d: %w", p.General.ID, err)
		}
		res.General = general(p.General)
	}
	if o.WriteDialect != "" {
		src := fmt.Sprintf("profile %d (%q) on %s", p.General.ID, p.General.Name, c.BaseURL())
		yml, err := dialectreport.MarshalDialect(res.Report.Proposed, src)
		if err != nil {
			return err
		}
		if err := write(o.WriteDialect, yml, 0o644, o.Force); err != nil {
			return err
		}
		res.WroteDialect = o.WriteDialect
	}
	onlyProfile := !o.DialectReport && o.WriteDialect == ""
	if f.Globals.JSON() {
		if o.Out == "" && onlyProfile {
			res.Mobileconfig = string(data)
		}
		if !o.DialectReport {
			res.Report, res.General = nil, nil
		}
		return cmdutil.WriteJSON(f.IOStreams.Out, res)
	}
	for _, m := range res.MaskedSecrets {
		f.Warnf("replaced the secret in %s by a marker; add --include-secrets to keep it", m)
	}
	if o.DialectReport {
		if err := printReport(f.IOStreams.Out, res); err != nil {
			return err
		}
	}
	if o.Out == "" && onlyProfile {
		_, err := f.IOStreams.Out.Write(data)
		return err
	}
	if o.Out != "" {
		f.Successf("wrote %s (mode 0600)", o.Out)
	}
	if o.WriteDialect != "" {
		for _, u := range res.Report.Unreproducible {
			f.Warnf("the written dialect cannot reproduce %s", u)
		}
		fmt.Fprintf(f.IOStreams.ErrOut, "wrote %s; use it with --jamf-dialect %s\n", o.WriteDialect, o.WriteDialect)
	}
	return nil
}

// maskSecrets replaces secret values in the plist data by secretMarker,
// wherever they sit (any dictionary at any depth, any value type), by the
// one rule every command uses (profile.SecretRule: the dialect's password
// key and every key that profile.LooksSecret). It returns data unchanged
// (byte for byte) when nothing was masked, else the plist re-encoded as
// indented XML, and the key paths masked, sorted.
func maskSecrets(data []byte, d *profile.Dialect) ([]byte, []string, error) {
	var root any
	err := profile.UnmarshalPlist(data, &root)
	if err != nil {
		return nil, nil, fmt.Errorf("the stored payloads are not a property list: %w", err)
	}
	masked := maskTree(root, profile.NewSecretRule(d))
	if len(masked) == 0 {
		return data, masked, nil
	}
	// A binary plist is written back as XML, a .mobileconfig's form.
	out, err := plist.MarshalIndent(root, plist.XMLFormat, "\t")
	if err != nil {
		return nil, nil, err
	}
	return out, masked, nil
}

// maskTree masks root in place by the one secret rule (profile.MaskTree:
// secret keys, and credentials inside URLs) and returns the masked paths,
// sorted.
func maskTree(root any, rule profile.SecretRule) []string {
	masked := profile.MaskTree(root, rule, secretMarker)
	slices.Sort(masked)
	return masked
}

// general lists the Jamf general settings, which are not Apple's.
func general(g jamf.General) []generalField {
	ref := func(r *jamf.Ref) string {
		if r == nil {
			return ""
		}
		return fmt.Sprintf("%s (id %d)", r.Name, r.ID)
	}
	return []generalField{
		{"site", ref(g.Site), ""},
		{"category", ref(g.Category), ""},
		{"distribution_method", g.DistributionMethod, ""},
		{"user_removable", strconv.FormatBool(g.UserRemovable), ""},
		{"level", g.Level, "System is Computer Level, which Okta Device Access needs"},
		{"redeploy_on_update", g.RedeployOnUpdate, "write-only: Jamf always answers Newly Assigned"},
	}
}

func printReport(w io.Writer, r result) error {
	rep := r.Report
	fmt.Fprintf(w, "Profile %d %q on %s\n\nJamf general settings (not in the plist):\n", r.ProfileID, r.ProfileName, r.Tenant)
	t := cmdutil.NewTable(w, false)
	for _, g := range r.General {
		t.Row("  "+g.Name, g.Value, g.Note)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nKeys that are not Apple's:")
	t = cmdutil.NewTable(w, false)
	t.Row("  LOCATION", "PATH", "TYPE", "VALUE", "DIALECT FIELD", "STATUS")
	for _, e := range rep.Entries {
		field := e.Field
		if field == "" {
			field = "-"
		}
		t.Row("  "+string(e.Location), e.Path, e.Type, e.Value, field, e.Status)
	}
	if len(rep.Entries) == 0 {
		t.Row("  (none)")
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if rep.Static {
		fmt.Fprintln(w, "\nThe profile uses a static Challenge: the dynamic-only settings (challenge_url, username, password) were not compared.")
	}
	fmt.Fprintln(w, "\nDifferences from the Jamf dialect jamf-scep would write:")
	if len(rep.Differences) == 0 {
		fmt.Fprintln(w, "  none: jamf-scep already writes Jamf's encoding")
	}
	for _, d := range rep.Differences {
		fmt.Fprintf(w, "  %s: %s\n", d.Kind, d.Message)
	}
	return nil
}

func write(path string, data []byte, perm fs.FileMode, force bool) error {
	err := atomicfile.WriteFile(path, data, perm, force)
	if errors.Is(err, atomicfile.ErrExists) {
		return cmdutil.UsageErrorf("%s already exists; pass --force to overwrite it", path)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
