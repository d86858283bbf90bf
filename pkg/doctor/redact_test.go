package doctor

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/check"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// TestRunRedactsServerQuotedSecrets pins QA item 3: text a SCEP server (or
// any server) sends back never shows a secret the run knows, in the
// message, details or error, in any encoding, whichever check learned the
// secret and in whatever order the groups ran.
func TestRunRedactsServerQuotedSecrets(t *testing.T) {
	const password = "okta-Sup3r/Secret+pw==" //nolint:gosec // test value
	for _, answer := range []string{
		"AES\nSHA-256\n" + password + "\nPOSTPKIOperation\n",
		"AES\nSHA-256\n" + url.QueryEscape(password) + "\n",
		"AES\nSHA-256\nokta-Sup3r&#47;Secret+pw==\n",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(answer))
		}))
		t.Cleanup(srv.Close)
		found := &Secrets{}
		learned := make(chan struct{})
		groups := []Group{
			{Name: "okta", Checks: []Check{{Name: "okta: SCEP GetCACaps", Run: func(ctx context.Context) []check.Result {
				<-learned // the secret is known only after this check ran
				_, r := scepcheck.CheckCACaps(ctx, srv.Client(), srv.URL+"/scep")
				r.Err = errors.New("server said " + answer)
				return []check.Result{r}
			}}}},
			{Name: "config", Checks: []Check{{Name: "secrets", Run: func(context.Context) []check.Result {
				found.Add(password)
				close(learned)
				return []check.Result{{Status: check.Pass, Message: "resolves"}}
			}}}},
		}
		rs := Run(t.Context(), groups, RunOptions{Concurrency: 2, Secrets: found})
		for _, r := range rs {
			texts := []string{r.Message, r.Fix}
			for _, d := range r.Details {
				texts = append(texts, d.Value)
			}
			if r.Err != nil {
				texts = append(texts, r.Err.Error())
			}
			for _, s := range texts {
				if strings.Contains(s, "Sup3r") {
					t.Errorf("%s shows the password: %q", r.Check, s)
				}
			}
		}
	}
}
