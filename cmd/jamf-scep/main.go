// Command jamf-scep builds, uploads, scopes and verifies the Okta Device
// Access SCEP configuration profile in Jamf Pro.
package main

import (
	"os"

	"github.com/jamf-scep/jamf-scep/pkg/app"
)

func main() { os.Exit(app.Main(os.Args[1:])) }
