package jamftest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamftest"
)

// A demo tenant: a seeded fleet, then a token and an inventory lookup
// over plain HTTP.
func ExampleNew() {
	s := jamftest.New(jamftest.Options{})
	defer s.Close()
	s.SeedFleet(50, 1)

	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {jamftest.DefaultClientID},
		"client_secret": {jamftest.DefaultClientSecret},
	}
	resp, err := http.Post(s.URL()+"api/v1/oauth/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("token:", resp.Status)

	resp, err = http.Get(s.URL() + "api/v1/buildings")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println("without a token:", resp.Status, strings.Contains(string(body), `"httpStatus":401`))
	fmt.Println("requests logged:", len(s.Requests()))
	// Output:
	// token: 200 OK
	// without a token: 401 Unauthorized true
	// requests logged: 2
}
