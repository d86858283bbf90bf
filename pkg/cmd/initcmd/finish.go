package initcmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/zalando/go-keyring"

	"github.com/jamf-scep/jamf-scep/pkg/atomicfile"
	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/config"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scope"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// Where secrets go, as the select offers it.
const (
	storeKeychain = "keychain"
	storeFile     = "file"
	storeEnv      = "env"
)

// pending is a typed secret and where its reference goes in the config.
type pending struct {
	value   string
	account string      // keychain account
	env     string      // variable name for an env reference
	ref     *secret.Ref // the config field
}

// finish is steps 5 and 6: where secrets live, review, save, and what next.
func (w *wizard) finish(ctx context.Context) error {
	secrets := w.pendingSecrets()
	store := storeKeychain
	if len(secrets) > 0 {
		// Offer the keychain only when it answers, so the review below
		// shows the references that will be written.
		var opts []huh.Option[string]
		if err := w.keychainProblem(); err != nil {
			w.infof("The OS keychain is not available here (%v); the secrets can go to files only you can read.", err)
			store = storeFile
		} else {
			opts = append(opts, huh.NewOption("OS keychain (service "+keychainService+"; recommended on a Mac)", storeKeychain))
		}
		opts = append(opts,
			huh.NewOption("Files only you can read (mode 0600, in "+w.secretDir()+")", storeFile),
			huh.NewOption("Environment variables (for CI; export them before each run)", storeEnv),
		)
		if err := w.ask(ctx, w.choice("Where should the secrets live? The config file never holds one.", &store, opts...)); err != nil {
			return err
		}
	}

	// Review: the config as it will be saved (references only, where the
	// chosen store puts them) and what Build says about the profile. The
	// plan reads the typed secrets from memory, through env references
	// that are never written.
	w.applySecretRefs(secrets, storeEnv)
	planCfg := w.config()
	w.applySecretRefs(secrets, store)
	cfg := w.config()
	data, err := cfg.Marshal()
	if err != nil {
		return err
	}
	w.infof("\nThe config file:\n\n%s", data)
	w.infof("%s", ownership(cfg.Scope))
	if _, fs, _ := profile.Build(w.profileOptions(), w.dialect); len(fs) > 0 {
		for _, f := range fs {
			if f.Severity != profile.SeverityInfo {
				w.infof("%s", f)
			}
		}
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("the config is not valid, nothing was written:\n%w", err)
	}
	w.infof("\nThe plan for %s, as jamf-scep plan shows it (nothing is written yet):\n", w.t.Name)
	if err := w.showPlan(ctx, planCfg, secrets); err != nil {
		w.errorf("plan: %v", err)
		w.infof("You can still save the config and fix this later (jamf-scep doctor helps).")
	}

	path, force, err := w.askPath(ctx)
	if err != nil {
		return err
	}
	if store == storeKeychain && len(secrets) > 0 {
		if err := w.storeKeychain(ctx, secrets); err != nil {
			w.errorf("keychain: %v", err)
			w.infof("Keeping the secrets in files only you can read instead (mode 0600, in %s).", w.secretDir())
			store = storeFile
		}
	}
	if store == storeFile {
		if err := w.storeFiles(secrets); err != nil {
			return fmt.Errorf("the secrets could not be written, nothing was saved: %w", err)
		}
	}
	w.applySecretRefs(secrets, store)
	cfg = w.config()
	if err := config.Save(path, cfg, force); err != nil {
		return err
	}
	if store == storeFile {
		for _, p := range secrets {
			w.infof("%s: %s", p.account, *p.ref)
		}
	}
	w.infof("✓ wrote %s (mode 0600, no secrets)", path)
	w.removeDraft()
	if store == storeEnv && len(secrets) > 0 {
		vars := make([]string, len(secrets))
		for i, s := range secrets {
			vars[i] = s.env
		}
		w.infof("Export %s before running jamf-scep.", strings.Join(vars, ", "))
	}
	if err := w.next(ctx, path); err != nil {
		return err
	}
	fmt.Fprintln(w.ios.Out, "# The same, without the wizard:")
	for _, c := range nextCommands(path) {
		fmt.Fprintln(w.ios.Out, c)
	}
	return nil
}

// config is the config to save: the answers, with the tenant first.
func (w *wizard) config() *config.Config {
	c := w.cfg
	c.Tenants = append([]config.Tenant{w.t}, tail(w.cfg.Tenants)...)
	return &c
}

func tail(ts []config.Tenant) []config.Tenant {
	if len(ts) == 0 {
		return nil
	}
	return ts[1:]
}

// pendingSecrets lists the secrets typed in this run.
func (w *wizard) pendingSecrets() []pending {
	var out []pending
	ch := &w.cfg.Profile.SCEP.Challenge
	if w.oktaPassword != "" {
		out = append(out, pending{w.oktaPassword, "okta-scep-password", config.EnvOktaSCEPPassword, &ch.Password})
	}
	if w.staticSecret != "" {
		out = append(out, pending{w.staticSecret, "okta-scep-challenge", envStaticSecret, &ch.Secret})
	}
	if w.jamfSecret != "" {
		a := &w.t.Auth
		if a.Username != "" {
			out = append(out, pending{w.jamfSecret, w.t.Name + "/jamf-password", config.EnvPassword, &a.Password})
		} else {
			out = append(out, pending{w.jamfSecret, w.t.Name + "/jamf-client-secret", config.EnvClientSecret, &a.ClientSecret})
		}
	}
	return out
}

// applySecretRefs points each config field at its secret's new home.
func (w *wizard) applySecretRefs(ps []pending, store string) {
	for _, p := range ps {
		switch store {
		case storeKeychain:
			*p.ref = secret.MustParseRef("keychain:" + keychainService + "/" + p.account)
		case storeFile:
			*p.ref = secret.MustParseRef("file:" + w.secretFile(p))
		default:
			*p.ref = secret.EnvRef(p.env)
		}
	}
}

// keychainProblem says why the keychain cannot hold secrets, or nil. It
// reads an item that does not exist: a usable keychain answers "not
// found" (keyring.ErrNotFound); one that is missing or locked away (no
// Secret Service on Linux, an unsupported platform) answers otherwise.
// Nothing is written.
func (w *wizard) keychainProblem() error {
	var kc secret.KeychainStore = secret.OSKeychain{}
	if w.opts.Keychain != nil {
		kc = w.opts.Keychain
	}
	_, err := kc.Get(keychainService, "jamf-scep-probe")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

func (w *wizard) storeKeychain(ctx context.Context, ps []pending) error {
	res := secret.Resolver{Keychain: w.opts.Keychain}
	for _, p := range ps {
		if _, err := res.Store(ctx, keychainService, p.account, secret.New(p.value)); err != nil {
			return err
		}
	}
	return nil
}

// askPath asks where to save, and whether to overwrite an existing file.
func (w *wizard) askPath(ctx context.Context) (path string, force bool, err error) {
	path = w.path
	for {
		if err := w.ask(ctx, input("Save the config as", &path, required("a file name"))); err != nil {
			return "", false, err
		}
		path = strings.TrimSpace(path)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return path, false, nil
		}
		overwrite := false
		if err := w.ask(ctx, huh.NewConfirm().Title(path+" exists. Overwrite it?").Value(&overwrite)); err != nil {
			return "", false, err
		}
		if overwrite {
			return path, true, nil
		}
	}
}

// next offers doctor, plan or apply on the saved config, run in-process
// as `jamf-scep <choice> --config path` would with default flags.
func (w *wizard) next(ctx context.Context, path string) error {
	run := w.opts.runNext
	if run == nil {
		// The secrets typed in this session stay in memory for what runs
		// next, so an env reference the shell has not exported yet works.
		typed := map[string]string{}
		for _, p := range w.pendingSecrets() {
			typed[p.env] = p.value
		}
		f := *w.opts.F
		lookup := f.LookupEnv
		if lookup == nil {
			lookup = os.LookupEnv
		}
		f.LookupEnv = func(k string) (string, bool) {
			if v, ok := lookup(k); ok {
				return v, true
			}
			v, ok := typed[k]
			return v, ok
		}
		run = runNext(&f)
	}
	for {
		choice := ""
		if err := w.ask(ctx, nextSelect(&choice)); err != nil {
			if errors.Is(err, cmdutil.ErrCancel) {
				return nil // the config is saved; leaving here is not a failure
			}
			return err
		}
		if choice == choiceNothing || choice == "" {
			return nil
		}
		if err := run(ctx, choice, path); err != nil {
			return err
		}
	}
}

// nextSelect is the "What next?" list, its first option selected so the
// first frame draws every option (with "Nothing for now" selected, huh
// scrolled to it and the first frame showed that option alone).
func nextSelect(choice *string) *huh.Select[string] {
	opts := []huh.Option[string]{
		huh.NewOption("Run doctor: check Jamf Pro, Okta and SCEP", choiceDoctor),
		huh.NewOption("Run plan: show what apply would change", choicePlan),
		huh.NewOption("Run apply: upload and scope the profile", choiceApply),
		huh.NewOption("Nothing for now", choiceNothing),
	}
	return huh.NewSelect[string]().Title("What next?").Options(opts...).Value(choice)
}

// What the wizard offers to run next.
const (
	choiceDoctor = "doctor"
	choicePlan   = "plan"
	choiceApply  = "apply"
	// choiceNothing is not "": a choice of "" would select the last
	// option and scroll the first frame past the others.
	choiceNothing = "nothing"
)

// runNext returns the runner of the wizard's offers: doctor (pkg/doctor)
// or a plan or apply run of pkg/engine, on the config at path, with the
// flag defaults of those commands.
func runNext(f *cmdutil.Factory) func(ctx context.Context, choice, path string) error {
	return func(ctx context.Context, choice, path string) error {
		nf := f.ForConfig(path)
		switch choice {
		case choiceDoctor:
			return cmdutil.Doctor(ctx, nf, &cmdutil.DoctorOptions{Timeout: cmdutil.DefaultDoctorTimeout})
		case choicePlan, choiceApply:
			return cmdutil.PlanApply(ctx, nf, &cmdutil.PlanApplyOptions{
				Apply:    choice == choiceApply,
				Parallel: cmdutil.DefaultParallel,
				Redeploy: cmdutil.RedeployNewlyAssigned,
			})
		}
		return fmt.Errorf("unknown choice %q", choice)
	}
}

// showPlan runs the same plan `jamf-scep plan` would on the config under
// review, before anything is saved: the secrets typed in this run are read
// from memory (the config names them as env references for now), nothing
// else changes. It draws on stderr with the rest of the wizard.
func (w *wizard) showPlan(ctx context.Context, cfg *config.Config, ps []pending) error {
	typed := make(map[string]string, len(ps))
	for _, p := range ps {
		typed[p.env] = p.value
	}
	lookup := w.opts.F.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	streams := *w.ios
	streams.Out = streams.ErrOut
	f := *w.opts.F
	f.IOStreams = &streams
	f.Globals = &cmdutil.Globals{Output: cmdutil.OutputText}
	return cmdutil.PlanApply(ctx, &f, &cmdutil.PlanApplyOptions{
		Tenants:  []string{w.t.Name},
		Redeploy: cmdutil.RedeployNewlyAssigned,
		Parallel: 1,
		Config:   func() (*config.Config, error) { return cfg, nil },
		Resolver: &secret.Resolver{
			LookupEnv: func(k string) (string, bool) {
				if v, ok := typed[k]; ok {
					return v, true
				}
				return lookup(k)
			},
			Keychain: w.opts.Keychain,
		},
		ClientOptions: w.opts.ClientOptions,
	})
}

// ownership says which scope categories the config owns (apply makes Jamf
// Pro match them exactly) and that the others are left as they are.
func ownership(s config.Scope) string {
	cs, all := scope.OwnedBy(s)
	var names []string
	if all {
		names = append(names, scope.AllComputersPath)
	}
	for _, c := range cs {
		names = append(names, c.String())
	}
	if len(names) == 0 {
		return "The config owns no scope category: apply leaves the profile's scope as Jamf Pro has it."
	}
	return "The config owns these scope categories (apply makes Jamf Pro match them): " + strings.Join(names, ", ") +
		".\nEvery other category (and the other exclusions) is left as Jamf Pro has it."
}

// secretDir is where file references point: Options.SecretDir, or
// <user config dir>/jamf-scep/secrets.
func (w *wizard) secretDir() string {
	if w.opts.SecretDir != "" {
		return w.opts.SecretDir
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "jamf-scep", "secrets")
}

// secretFile is the file holding p: its keychain account with / as -.
func (w *wizard) secretFile(p pending) string {
	return filepath.Join(w.secretDir(), strings.ReplaceAll(p.account, "/", "-"))
}

// storeFiles writes each typed secret to its file, mode 0600 in a 0700
// directory, replacing an earlier one.
func (w *wizard) storeFiles(ps []pending) error {
	if err := os.MkdirAll(w.secretDir(), 0o700); err != nil {
		return err
	}
	for _, p := range ps {
		if err := atomicfile.WriteFile(w.secretFile(p), []byte(p.value), 0o600, true); err != nil {
			return err
		}
	}
	return nil
}
