package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
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
	// scoped are the Classic ids of the Macs in the chosen scope.
	scoped []int
	// aloud holds what accessible mode reads before each field (aloud.go).
	aloud map[huh.Field]aloud
	// answered is set once a page is done: leaving then asks first, and
	// keeps a draft (draft.go).
	answered bool
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
	if w.input != nil {
		w.input.release()
	}
	if w.conn != nil {
		_ = w.conn.client.Close(ctx)
	}
}

// steps are the wizard's pages in the order of Okta's guide.
func (w *wizard) run(ctx context.Context) error {
	for _, step := range []func(context.Context) error{w.okta, w.jamf, w.profile, w.scope, w.subjectFits, w.finish} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// keyMap is huh's default keymap with Ctrl-C (only) leaving the wizard
// and saying so in the help line. Esc keeps its meaning inside a field
// (leave a list's filter), as huh's help line promises.
func keyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "leave"))
	return km
}

// ask runs one page of fields. Ctrl-C, end of input and a canceled
// context are cmdutil.ErrCancel; once a page is done, Ctrl-C on the full
// screen asks before leaving and "Go back" returns to the page.
func (w *wizard) ask(ctx context.Context, fields ...huh.Field) error {
	for {
		err := w.askOnce(ctx, fields...)
		if err == nil {
			w.answered = true
		}
		if !errors.Is(err, cmdutil.ErrCancel) || !w.answered || w.accessible || ctx.Err() != nil {
			return err
		}
		leave := false
		if err := w.askOnce(ctx, huh.NewConfirm().
			Title("Leave the wizard?").
			Description("No config is written; your answers so far (no secrets) are kept as a draft.").
			Affirmative("Leave").Negative("Go back").
			Value(&leave)); err != nil || leave {
			return cmdutil.ErrCancel
		}
	}
}

// askOnce runs one page of fields once.
func (w *wizard) askOnce(ctx context.Context, fields ...huh.Field) error {
	if w.accessible {
		fields = w.speak(fields)
	}
	form := huh.NewForm(huh.NewGroup(fields...)).
		WithAccessible(w.accessible).
		WithInput(w.in).
		WithOutput(w.ios.ErrOut).
		WithKeyMap(keyMap()).
		WithShowHelp(true)
	if !w.accessible {
		return w.canceled(ctx, w.runFullScreen(ctx, form))
	}
	// An accessible prompt blocks in a plain read that Ctrl-C (caught as
	// a signal, canceling ctx) cannot interrupt: stop waiting for it.
	out := &gate{w: w.ios.ErrOut}
	form.WithOutput(out)
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
		out.close()
		return cmdutil.ErrCancel
	case <-w.input.ended:
		// Ctrl-D (end of input): huh's prompts would go on to the next
		// field, which on a terminal waits for input again; leave at once.
		out.close()
		return cmdutil.ErrCancel
	}
}

// gate passes writes to w until closed, then drops them: an abandoned
// accessible prompt must not draw after the wizard has left.
type gate struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

func (g *gate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return len(p), nil
	}
	return g.w.Write(p)
}

func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
}

// runFullScreen runs form as huh's Form.RunWithContext does, except that
// Ctrl-C ends the program gracefully (tea.Quit, then Form.State) rather
// than as an interrupt: bubbletea then waits for its input reader to stop
// before returning, where after an interrupt the reader outlives the
// program and swallows the first keys of the next page (the "Leave the
// wizard?" question). bubbletea restores the terminal before returning.
func (w *wizard) runFullScreen(ctx context.Context, form *huh.Form) error {
	form.SubmitCmd = tea.Quit
	form.CancelCmd = tea.Quit
	if _, err := tea.NewProgram(form, tea.WithContext(ctx), tea.WithInput(w.in), tea.WithOutput(w.ios.ErrOut)).Run(); err != nil {
		return err
	}
	if form.State == huh.StateAborted {
		return huh.ErrUserAborted
	}
	return nil
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
// desc is its description, shown and read aloud (keepHint's "Leave empty
// to keep" among others).
func (w *wizard) secretInput(title, desc string) *huh.Input {
	in := huh.NewInput().Title(title).Description(desc)
	if !w.accessible || hasFd(w.ios.In) {
		in.EchoMode(huh.EchoModePassword)
	}
	w.described(in, func() string { return desc }, true) // its value is never read aloud
	return in
}

// help gives in a description, shown under it and read aloud in
// accessible mode.
func (w *wizard) help(in *huh.Input, desc string) huh.Field {
	return w.described(in.Description(desc), say(desc), false)
}

// withHint joins a field's description and a hint ("Leave empty to keep
// ..."), either of which may be empty.
func withHint(desc, hint string) string {
	return strings.TrimSpace(desc + " " + hint)
}

// What the Okta step's fields are, from the page Okta shows once.
const (
	scepURLHelp      = "The SCEP URL Okta showed for this configuration."
	challengeURLHelp = "The Challenge URL Okta showed: Jamf Pro fetches a one-time challenge from it for each Mac."
	oktaUserHelp     = "The username Okta showed with the Challenge URL."
	oktaPasswordHelp = "The password Okta showed with it; the config keeps only a reference to where it is stored."
	staticHelp       = "The shared challenge Okta showed; the config keeps only a reference to where it is stored."
)

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

// check returns a validator of one profile field, shown on screen as
// screenLabel: set applies the answer to a copy of the options, Build
// judges it.
func (w *wizard) check(screenLabel, field string, set func(*profile.Options, string)) func(string) error {
	return func(s string) error {
		o := w.profileOptions()
		set(&o, strings.TrimSpace(s))
		return profileFieldError(o, w.dialect, field, screenLabel)
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
		w.choice("Challenge type", &ch.Type,
			huh.NewOption("Dynamic: Jamf Pro fetches a one-time challenge per Mac (Okta's Jamf guide)", config.ChallengeDynamic),
			huh.NewOption("Static: one shared secret (Okta's route for Workspace ONE / AirWatch)", config.ChallengeStatic),
		),
	); err != nil {
		return err
	}
	fields := []huh.Field{
		w.help(input("SCEP URL", &p.SCEP.URL, w.check("SCEP URL", profile.FieldSCEPURL, func(o *profile.Options, s string) { o.SCEPURL = s })).
			Placeholder("https://ORG.okta.com/pki/<CA id>/scep/<RA id>"), scepURLHelp),
	}
	if ch.Type == config.ChallengeStatic {
		ch.URL, ch.Username, ch.Password = "", "", secret.Ref{}
		fields = append(fields, w.secretInput("Static challenge", withHint(staticHelp, keepHint(ch.Secret))).
			Value(&w.staticSecret).Validate(keepOr(ch.Secret, "the static challenge")))
	} else {
		ch.Secret = secret.Ref{}
		fields = append(fields,
			w.help(input("Challenge URL", &ch.URL, func(s string) error {
				o := w.profileOptions()
				o.ChallengeURL = strings.TrimSpace(s)
				return challengeURLError(o, w.dialect, "Challenge URL")
			}), challengeURLHelp),
			w.help(input("Username", &ch.Username, func(s string) error {
				if err := required("the username")(s); err != nil {
					return err
				}
				return w.check("Username", profile.FieldUsername, func(o *profile.Options, s string) { o.Username = s })(s)
			}).Placeholder("okta-XXXXXX"), oktaUserHelp),
			w.secretInput("Password", withHint(oktaPasswordHelp, keepHint(ch.Password))).
				Value(&w.oktaPassword).Validate(keepOr(ch.Password, "the password")),
		)
	}
	if err := w.ask(ctx, fields...); err != nil {
		return err
	}
	p.SCEP.URL, ch.URL, ch.Username = strings.TrimSpace(p.SCEP.URL), strings.TrimSpace(ch.URL), strings.TrimSpace(ch.Username)
	return nil
}
