package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/huh/spinner"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// Where the wizard keeps secrets: the keychain service, and the environment
// variables named when the admin prefers env references.
const (
	keychainService = "jamf-scep"
	envStaticSecret = "OKTA_SCEP_CHALLENGE"
	// envTyped is the variable name under which a secret typed into the
	// wizard is served to tenant.Connect, from memory, for the connection
	// test; it never reaches the process environment or the file.
	envTyped = "JAMF_SCEP_INIT_TYPED_SECRET"
)

// wizard is one run of `jamf-scep init`: the config being built, the
// secrets typed so far (in memory only) and the tenant connection.
type wizard struct {
	opts       *Options
	ios        *iostreams.IOStreams
	path       string
	accessible bool
	input      *lineReader // accessible mode: reports end of input
	in         io.Reader   // what huh reads
	dialect    *profile.Dialect

	cfg config.Config
	// t is the tenant being set up: cfg.Tenants[0] once saved.
	t config.Tenant

	oktaPassword, staticSecret, jamfSecret string
	conn                                   *connection
}

func newWizard(opts *Options, path string, existing *config.Config) *wizard {
	ios := opts.F.IOStreams
	w := &wizard{opts: opts, ios: ios, path: path, accessible: ios.Accessible(), in: ios.In, dialect: profile.DefaultDialect()}
	if w.accessible {
		w.input, w.in = newLineReader(ios.In)
	}
	w.cfg = config.Config{Version: config.Version}
	w.t = config.Tenant{Name: config.DefaultTenant}
	if existing != nil {
		w.cfg = *existing
		if len(existing.Tenants) > 0 {
			w.t = existing.Tenants[0]
		}
	}
	if w.cfg.Profile.SCEP.Challenge.Type == "" {
		w.cfg.Profile.SCEP.Challenge.Type = config.ChallengeDynamic
	}
	return w
}

func (w *wizard) close(ctx context.Context) {
	if w.conn != nil {
		_ = w.conn.client.Close(ctx)
	}
}

// steps are the wizard's pages in the order of Okta's guide.
func (w *wizard) run(ctx context.Context) error {
	for _, step := range []func(context.Context) error{w.okta, w.jamf, w.profile, w.scope, w.finish} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// keyMap is huh's default with Esc canceling as Ctrl-C does.
func keyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "cancel"))
	return km
}

// ask runs one page of fields. Ctrl-C, Esc, end of input and a canceled
// context are all cmdutil.ErrCancel.
func (w *wizard) ask(ctx context.Context, fields ...huh.Field) error {
	form := huh.NewForm(huh.NewGroup(fields...)).
		WithAccessible(w.accessible).
		WithInput(w.in).
		WithOutput(w.ios.ErrOut).
		WithKeyMap(keyMap()).
		WithShowHelp(true)
	if !w.accessible {
		// bubbletea restores the terminal before returning; wait for it.
		return w.canceled(ctx, form.RunWithContext(ctx))
	}
	// An accessible prompt blocks in a plain read that Ctrl-C (caught as
	// a signal, canceling ctx) cannot interrupt: stop waiting for it.
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer crash.Recover(&err) // reported as a crash by pkg/app
		err = form.RunWithContext(ctx)
	}()
	select {
	case err := <-done:
		return w.canceled(ctx, err)
	case <-ctx.Done():
		return cmdutil.ErrCancel
	}
}

func (w *wizard) canceled(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, huh.ErrUserAborted), errors.Is(err, huh.ErrTimeout), ctx.Err() != nil:
		return cmdutil.ErrCancel
	case w.input != nil && w.input.eof.Load():
		return cmdutil.ErrCancel
	case err != nil:
		return fmt.Errorf("prompt: %w", err)
	}
	return nil
}

// input is a text input bound to v whose validator sees the answer that
// will be kept: in accessible mode an empty line keeps the default (the
// current value), and huh validates the raw line before applying it.
func input(title string, v *string, validate func(string) error) *huh.Input {
	return huh.NewInput().Title(title).Value(v).Validate(func(s string) error {
		if strings.TrimSpace(s) == "" {
			s = *v
		}
		return validate(s)
	})
}

// secretInput is a masked input. On a plain reader in accessible mode
// (tests) there is no terminal to turn echo off and nothing is echoed, so
// huh's line prompt is used.
func (w *wizard) secretInput() *huh.Input {
	in := huh.NewInput()
	if !w.accessible || hasFd(w.ios.In) {
		in.EchoMode(huh.EchoModePassword)
	}
	return in
}

// keepOr validates a secret answer: empty keeps an existing reference.
func keepOr(existing secret.Ref, what string) func(string) error {
	return func(s string) error {
		if s == "" && !existing.IsZero() {
			return nil
		}
		return required(what)(s)
	}
}

func keepHint(existing secret.Ref) string {
	if existing.IsZero() {
		return ""
	}
	return "Leave empty to keep " + existing.String() + "."
}

// profileOptions maps the profile answered so far to profile.Options, with
// the typed secrets (config.ProfileOptions withholds stored references).
func (w *wizard) profileOptions() profile.Options {
	o, _ := config.ProfileOptions(context.Background(), w.cfg.Profile, secret.Resolver{}, false)
	if w.oktaPassword != "" {
		o.Password = secret.New(w.oktaPassword)
	}
	if w.staticSecret != "" {
		o.Challenge = secret.New(w.staticSecret)
	}
	return o
}

// check returns a validator of one profile field: set applies the answer
// to a copy of the options, Build judges it.
func (w *wizard) check(field string, set func(*profile.Options, string)) func(string) error {
	return func(s string) error {
		o := w.profileOptions()
		set(&o, strings.TrimSpace(s))
		return profileFieldError(o, w.dialect, field)
	}
}

// okta is step 1: the four values Okta shows once.
func (w *wizard) okta(ctx context.Context) error {
	p := &w.cfg.Profile
	ch := &p.SCEP.Challenge
	if err := w.ask(ctx,
		huh.NewNote().Title("Okta Device Access").Description(
			"In the Okta Admin Console open Security > Device integrations > Device Access,\n"+
				"Add SCEP configuration, choose Dynamic SCEP URL and Generic. Okta shows the\n"+
				"SCEP URL, Challenge URL, username and password once: keep the page open."),
		huh.NewSelect[string]().Title("Challenge type").Options(
			huh.NewOption("Dynamic: Jamf Pro fetches a one-time challenge per Mac (Okta's Jamf guide)", config.ChallengeDynamic),
			huh.NewOption("Static: one shared secret (Okta's route for Workspace ONE / AirWatch)", config.ChallengeStatic),
		).Value(&ch.Type),
	); err != nil {
		return err
	}
	fields := []huh.Field{
		input("SCEP URL", &p.SCEP.URL, w.check(profile.FieldSCEPURL, func(o *profile.Options, s string) { o.SCEPURL = s })).
			Placeholder("https://ORG.okta.com/pki/<CA id>/scep/<RA id>"),
	}
	if ch.Type == config.ChallengeStatic {
		ch.URL, ch.Username, ch.Password = "", "", secret.Ref{}
		fields = append(fields, w.secretInput().Title("Static challenge").Description(keepHint(ch.Secret)).
			Value(&w.staticSecret).Validate(keepOr(ch.Secret, "the static challenge")))
	} else {
		ch.Secret = secret.Ref{}
		fields = append(fields,
			input("Challenge URL", &ch.URL, func(s string) error {
				o := w.profileOptions()
				o.ChallengeURL = strings.TrimSpace(s)
				return challengeURLError(o, w.dialect)
			}),
			input("Username", &ch.Username, func(s string) error {
				if err := required("the username")(s); err != nil {
					return err
				}
				return w.check(profile.FieldUsername, func(o *profile.Options, s string) { o.Username = s })(s)
			}).Placeholder("okta-XXXXXX"),
			w.secretInput().Title("Password").Description(keepHint(ch.Password)).
				Value(&w.oktaPassword).Validate(keepOr(ch.Password, "the password")),
		)
	}
	if err := w.ask(ctx, fields...); err != nil {
		return err
	}
	p.SCEP.URL, ch.URL, ch.Username = strings.TrimSpace(p.SCEP.URL), strings.TrimSpace(ch.URL), strings.TrimSpace(ch.Username)
	return nil
}

// Jamf auth kinds as the select offers them.
const (
	authClient = "client"
	authUser   = "user"
)

// jamf is step 2: the tenant and its credentials, tested on the spot.
func (w *wizard) jamf(ctx context.Context) error {
	t := &w.t
	kind := authClient
	if t.Auth.Username != "" {
		kind = authUser
	}
	for {
		if err := w.ask(ctx,
			input("Jamf Pro URL", &t.URL, func(s string) error {
				c := *t
				c.URL = strings.TrimSpace(s)
				return tenantFieldError(c, "url")
			}).Placeholder("https://acme.jamfcloud.com"),
			input("Tenant name", &t.Name, func(s string) error {
				c := *t
				c.Name = strings.TrimSpace(s)
				return tenantFieldError(c, "name")
			}).Description("A short name for this server in the config (lowercase letters, digits, -)."),
			huh.NewSelect[string]().Title("Authentication").Options(
				huh.NewOption("API client (OAuth client credentials; recommended)", authClient),
				huh.NewOption("User account", authUser),
			).Value(&kind),
		); err != nil {
			return err
		}
		t.URL, t.Name = strings.TrimSpace(t.URL), strings.TrimSpace(t.Name)
		err := w.credentials(ctx, kind)
		if errors.Is(err, errRetryURL) {
			continue
		}
		return err
	}
}

// errRetryURL sends the admin back to the Jamf Pro URL.
var errRetryURL = errors.New("retry the URL")

// credentials asks for the credentials of kind until Jamf Pro accepts
// them, then names any privilege gap.
func (w *wizard) credentials(ctx context.Context, kind string) error {
	a := &w.t.Auth
	if kind == authClient {
		a.Username, a.Password = "", secret.Ref{}
	} else {
		a.ClientID, a.ClientSecret = "", secret.Ref{}
	}
	for {
		var fields []huh.Field
		if kind == authClient {
			fields = []huh.Field{
				input("API client ID", &a.ClientID, required("the client ID")),
				w.secretInput().Title("API client secret").Description(keepHint(a.ClientSecret)).
					Value(&w.jamfSecret).Validate(keepOr(a.ClientSecret, "the client secret")),
			}
		} else {
			fields = []huh.Field{
				input("Jamf Pro username", &a.Username, required("the username")),
				w.secretInput().Title("Password").Description(keepHint(a.Password)).
					Value(&w.jamfSecret).Validate(keepOr(a.Password, "the password")),
			}
		}
		if err := w.ask(ctx, fields...); err != nil {
			return err
		}
		a.ClientID, a.Username = strings.TrimSpace(a.ClientID), strings.TrimSpace(a.Username)
		conn, err := w.testConnection(ctx, kind)
		switch {
		case errors.Is(err, cmdutil.ErrCancel):
			return err
		case errors.Is(err, errRejected):
			w.errorf("%v", err)
			w.jamfSecret = ""
			continue
		case err != nil:
			w.errorf("connecting to %s: %v", w.t.URL, err)
			return errRetryURL
		}
		if len(conn.gaps) > 0 {
			w.errorf("%s", gapsMessage(conn.gaps))
			goOn := false
			if err := w.ask(ctx, huh.NewConfirm().Title("Continue without them?").Value(&goOn)); err != nil {
				_ = conn.client.Close(ctx)
				return err
			}
			if !goOn {
				_ = conn.client.Close(ctx)
				continue
			}
		}
		w.infof("✓ connected to %s", w.t.URL)
		w.conn = conn
		return nil
	}
}

// testConnection connects with the answers so far under a spinner. A
// typed secret is served to tenant.Connect from memory (envTyped), so the
// same code path as every command resolves it.
func (w *wizard) testConnection(ctx context.Context, kind string) (*connection, error) {
	t := w.t
	if w.jamfSecret != "" {
		if kind == authClient {
			t.Auth.ClientSecret = secret.EnvRef(envTyped)
		} else {
			t.Auth.Password = secret.EnvRef(envTyped)
		}
	}
	typed := w.jamfSecret
	lookup := w.opts.F.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	res := secret.Resolver{
		Keychain: w.opts.Keychain,
		LookupEnv: func(name string) (string, bool) {
			if name == envTyped {
				return typed, true
			}
			return lookup(name)
		},
	}
	var conn *connection
	err := spinner.New().Title("Connecting to " + t.URL + "...").Context(ctx).
		Accessible(w.accessible).Output(w.ios.ErrOut).
		ActionWithErr(func(ctx context.Context) error {
			var err error
			conn, err = connect(ctx, t, tenant.Options{Resolver: res, Logger: w.opts.F.Logger(), ClientOptions: w.opts.ClientOptions})
			return err
		}).Run()
	if ctx.Err() != nil {
		return nil, cmdutil.ErrCancel
	}
	if w.accessible {
		fmt.Fprintln(w.ios.ErrOut)
	}
	return conn, err
}

// profile is step 3: the profile's names, Subject and redistribution.
func (w *wizard) profile(ctx context.Context) error {
	p := &w.cfg.Profile
	if p.Name == "" {
		p.Name = "Okta Device Access"
	}
	if p.SCEP.Subject == "" {
		p.SCEP.Subject = "CN=$COMPUTERNAME ma $UDID"
	}
	days := ""
	if p.SCEP.RedistributeDays > 0 {
		days = strconv.Itoa(p.SCEP.RedistributeDays)
	}
	subject := input("Subject", &p.SCEP.Subject, func(s string) error {
		if err := w.check(profile.FieldSubject, func(o *profile.Options, s string) { o.Subject = s })(s); err != nil {
			return err
		}
		if subj, err := profile.ParseSubject(strings.TrimSpace(s)); err == nil && profile.SubjectBudget(subj, 0, w.dialect).Over() {
			return errors.New(w.budget(s))
		}
		return nil
	}).DescriptionFunc(func() string { return w.budget(p.SCEP.Subject) }, &p.SCEP.Subject)
	if err := w.ask(ctx,
		input("Profile name", &p.Name, w.check(profile.FieldName, func(o *profile.Options, s string) { o.Name = s })).
			Description("The name in Jamf Pro; apply finds the profile by it."),
		input("Description", &p.Description, w.check(profile.FieldDescription, func(o *profile.Options, s string) { o.Description = s })),
		input("SCEP name", &p.SCEP.Name, w.check(profile.FieldSCEPName, func(o *profile.Options, s string) { o.SCEPName = s })).
			Description("The CA name shown on the Mac; empty for the preset's."),
		subject,
		input("Redistribute days", &days, func(s string) error {
			n, err := daysValue(s)
			if err != nil {
				return err
			}
			return w.check(profile.FieldRedistributeDays, func(o *profile.Options, _ string) { o.RedistributeDays = n })(s)
		}).Description("Jamf redistributes the profile this many days before the one-year certificate expires; empty for 30."),
	); err != nil {
		return err
	}
	p.Name, p.Description, p.SCEP.Name = strings.TrimSpace(p.Name), strings.TrimSpace(p.Description), strings.TrimSpace(p.SCEP.Name)
	p.SCEP.Subject = strings.TrimSpace(p.SCEP.Subject)
	p.SCEP.RedistributeDays, _ = daysValue(days)
	w.infof("Subject budget: %s", w.budget(p.SCEP.Subject))
	return nil
}

// daysValue parses the redistribution answer; empty is 0 (the preset's).
func daysValue(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number of days; type a whole number such as 30", s)
	}
	return n, nil
}

// budget explains the Subject's 64-character budget (profile.SubjectBudget).
func (w *wizard) budget(s string) string {
	subj, err := profile.ParseSubject(strings.TrimSpace(s))
	if err != nil {
		return err.Error()
	}
	b := profile.SubjectBudget(subj, 0, w.dialect)
	lines := make([]string, 0, len(b.Values))
	for _, v := range b.Values {
		lines = append(lines, v.Sentence())
	}
	for _, u := range b.Unknown {
		msg := u.Name + " is not a Jamf variable"
		if u.Suggestion != "" {
			msg += "; did you mean " + u.Suggestion + "?"
		}
		lines = append(lines, msg)
	}
	return strings.Join(lines, "\n")
}

// scope is step 4: targets from the tenant and the number of Macs covered.
func (w *wizard) scope(ctx context.Context) error {
	s := &w.cfg.Scope
	dir := w.conn.fleet.Directory
	for {
		all := s.AllComputers != nil && *s.AllComputers
		if err := w.ask(ctx, huh.NewConfirm().Title("Scope the profile to all computers?").Value(&all)); err != nil {
			return err
		}
		var fields []huh.Field
		groups, buildings, departments := groupNames(dir.ComputerGroups), buildingNames(dir.Buildings), departmentNames(dir.Departments)
		add := func(title string, from []string, v *[]string) {
			if len(from) > 0 {
				fields = append(fields, multi(title, from, v))
			}
		}
		if all {
			s.AllComputers = &all
			s.ComputerGroups, s.Buildings, s.Departments = []string{}, []string{}, []string{}
		} else {
			s.AllComputers = &all
			add("Computer groups", groups, &s.ComputerGroups)
			add("Buildings", buildings, &s.Buildings)
			add("Departments", departments, &s.Departments)
		}
		exclude := len(s.Exclusions.ComputerGroups)+len(s.Exclusions.Buildings)+len(s.Exclusions.Departments) > 0
		fields = append(fields, huh.NewConfirm().Title("Exclude some computers?").Value(&exclude))
		if err := w.ask(ctx, fields...); err != nil {
			return err
		}
		if !exclude {
			s.Exclusions.ComputerGroups, s.Exclusions.Buildings, s.Exclusions.Departments = []string{}, []string{}, []string{}
		} else {
			fields = nil
			add("Excluded computer groups", groups, &s.Exclusions.ComputerGroups)
			add("Excluded buildings", buildings, &s.Exclusions.Buildings)
			add("Excluded departments", departments, &s.Exclusions.Departments)
			if err := w.ask(ctx, fields...); err != nil {
				return err
			}
		}
		n, err := w.macsInScope(ctx)
		if err != nil {
			return err
		}
		w.infof("This scope covers %d of %d Macs.", n, len(dir.Computers))
		if n > 0 {
			return nil
		}
		again := true
		if err := w.ask(ctx, huh.NewConfirm().Title("The scope reaches no Mac. Change it?").Value(&again)); err != nil {
			return err
		}
		if !again {
			return nil
		}
	}
}

// multi is a filterable multi-select over names, keeping v's choices.
func multi(title string, from []string, v *[]string) huh.Field {
	opts := huh.NewOptions(from...)
	return huh.NewMultiSelect[string]().Title(title).Options(opts...).Filterable(true).Height(min(len(from)+2, 10)).Value(v)
}

// macsInScope counts the Macs the answered scope reaches (fleet.Members).
func (w *wizard) macsInScope(ctx context.Context) (int, error) {
	s := w.cfg.Scope
	r, err := w.conn.fleet.Resolve(jamf.Names{ComputerGroups: s.ComputerGroups, Buildings: s.Buildings, Departments: s.Departments})
	if err != nil {
		return 0, err
	}
	x, err := w.conn.fleet.Resolve(jamf.Names{ComputerGroups: s.Exclusions.ComputerGroups, Buildings: s.Exclusions.Buildings, Departments: s.Exclusions.Departments})
	if err != nil {
		return 0, err
	}
	ids, err := w.conn.fleet.Members(ctx, jamf.Scope{
		AllComputers:   s.AllComputers != nil && *s.AllComputers,
		ComputerGroups: r.ComputerGroups, Buildings: r.Buildings, Departments: r.Departments,
		Exclusions: jamf.Exclusions{ComputerGroups: x.ComputerGroups, Buildings: x.Buildings, Departments: x.Departments},
	})
	return len(ids), err
}

func groupNames(gs []jamf.ComputerGroup) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Name
	}
	return out
}

func buildingNames(bs []jamf.Building) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Name
	}
	return out
}

func departmentNames(ds []jamf.Department) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Name
	}
	return out
}
