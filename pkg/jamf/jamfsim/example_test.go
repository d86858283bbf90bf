package jamfsim_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/jamf/jamfsim"
)

// A demo tenant: a seeded fleet, then a token and an inventory lookup
// over plain HTTP.
func ExampleNew() {
	s := jamfsim.New(jamfsim.Options{})
	defer s.Close()
	s.SeedFleet(50, 1)

	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {jamfsim.DefaultClientID},
		"client_secret": {jamfsim.DefaultClientSecret},
	}
	ctx := context.Background()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"api/v1/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("token:", resp.Status)

	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"api/v1/buildings", nil)
	resp, err = http.DefaultClient.Do(req)
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
