package initcmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/huh/spinner"

	"github.com/jamf-scep/jamf-scep/pkg/cmdutil"
	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
	"github.com/jamf-scep/jamf-scep/pkg/tenant"
)

// Jamf auth kinds as the select offers them.
const (
	authClient = "client"
	authUser   = "user"
)

// What the Jamf step's fields are.
const (
	tenantNameHelp   = "A short name for this server in the config (lowercase letters, digits, -)."
	jamfURLHelp      = "The address Jamf Pro opens at in a browser, without a path on Jamf Cloud; jamf-scep adds the API paths."
	clientIDHelp     = "From Jamf Pro: Settings > API roles and clients > API Clients (jamf-scep help jamf-privileges lists the role's privileges)."
	clientSecretHelp = "Shown once when the client secret is generated; the config keeps only a reference to where it is stored."
	jamfUserHelp     = "A Jamf Pro account with the privileges jamf-scep help jamf-privileges lists."
	jamfPasswordHelp = "That account's password; the config keeps only a reference to where it is stored."
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
			w.help(input("Jamf Pro URL", &t.URL, func(s string) error {
				c := *t
				c.URL = strings.TrimSpace(s)
				return tenantFieldError(c, "url")
			}).Placeholder("https://acme.jamfcloud.com"), jamfURLHelp),
			w.help(input("Tenant name", &t.Name, func(s string) error {
				c := *t
				c.Name = strings.TrimSpace(s)
				return tenantFieldError(c, "name")
			}), tenantNameHelp),
			w.choice("Authentication", &kind,
				huh.NewOption("API client (OAuth client credentials; recommended)", authClient),
				huh.NewOption("User account", authUser),
			),
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
				w.help(input("API client ID", &a.ClientID, required("the client ID")), clientIDHelp),
				w.secretInput("API client secret", withHint(clientSecretHelp, keepHint(a.ClientSecret))).
					Value(&w.jamfSecret).Validate(keepOr(a.ClientSecret, "the client secret")),
			}
		} else {
			fields = []huh.Field{
				w.help(input("Jamf Pro username", &a.Username, required("the username")), jamfUserHelp),
				w.secretInput("Password", withHint(jamfPasswordHelp, keepHint(a.Password))).
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
			msg := fmt.Sprintf("connecting to %s: %v", w.t.URL, err)
			if a := jamf.Advice(err); a != "" {
				msg += "; " + a
			}
			w.errorf("%s", msg)
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
