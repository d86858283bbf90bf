package plan

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim/jamfsimtest"
)

// TestRunRegistersSecretsWithClient pins that the core, not the command
// layer, tells the Jamf client which secrets the payload carries: a Jamf
// error page quoting the Okta password back never reaches the error Run
// returns. (Issue 15: the command layer had to remember to call Redact.)
func TestRunRegistersSecretsWithClient(t *testing.T) {
	sim := jamfsimtest.New(t, jamfsim.Options{})
	// Every GET (the first is the profile lookup) answers an error page
	// that quotes the password, as a misbehaving proxy or Jamf might.
	sim.InjectFault(jamfsim.Fault{
		Method: http.MethodGet, PathPrefix: "/", Count: 10, Status: http.StatusBadRequest,
		Body: "bad request: password=" + testPassword, ContentType: "text/plain",
	})
	client, err := jamf.New(sim.URL(), jamf.OAuthClient(jamfsim.DefaultClientID, jamfsim.DefaultClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	st := &State{Client: client, Desired: desired(t, baseOptions(), ownGroups(pilot))}
	err = Run(t.Context(), st, nil, Steps()...)
	if err == nil {
		t.Fatal("Run succeeded; want the injected error")
	}
	var je *jamf.Error
	if !errors.As(err, &je) {
		t.Fatalf("Run's error %v is not a *jamf.Error", err)
	}
	for what, text := range map[string]string{"error": err.Error(), "error body": je.Body, "error message": je.Message} {
		if strings.Contains(text, testPassword) {
			t.Errorf("the %s shows the Okta password: %s", what, text)
		}
	}
	if !strings.Contains(je.Body, "bad request: password=") {
		t.Errorf("the error body %q lost the page around the password; the test no longer sees what it checks", je.Body)
	}
}
