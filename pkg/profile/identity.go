package profile

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// uuidNamespace is jamf-scep's fixed UUIDv5 namespace (RFC 9562 section
// 5.5). Changing it changes every derived PayloadUUID, which makes Macs see
// new profiles: never change it.
var uuidNamespace = uuid.MustParse("9F210B6E-9C21-4CA1-89F0-B1EDDFCA5400")

// derivedUUID returns the upper-case UUIDv5 of name in jamf-scep's
// namespace.
func derivedUUID(name string) string {
	return strings.ToUpper(uuid.NewSHA1(uuidNamespace, []byte(name)).String())
}

// DeriveIdentity returns the offline top-level PayloadUUID for a profile
// identifier, and the nested SCEP payload's PayloadUUID and
// PayloadIdentifier. All are UUIDv5 of the identifier, so building twice is
// byte-identical and an update never makes Macs reinstall the payload.
func DeriveIdentity(identifier string) (topUUID, scepUUID, scepIdentifier string) {
	topUUID = derivedUUID(identifier)
	scepUUID = derivedUUID(identifier + "/" + PayloadTypeSCEP)
	scepIdentifier = PayloadTypeSCEP + "." + scepUUID
	return topUUID, scepUUID, scepIdentifier
}

// AdoptIdentity replaces the top-level PayloadUUID and PayloadIdentifier
// with the ones Jamf Pro stored (Jamf replaces both on create; sending them
// back on update avoids ghost profiles; docs/jamf-behavior.md, 'UUID
// replacement on create'). The nested
// SCEP payload keeps its derived identity. uuidText must be a UUID and
// identifier non-empty.
func (p *Profile) AdoptIdentity(uuidText, identifier string) error {
	if _, err := uuid.Parse(uuidText); err != nil {
		return fmt.Errorf("stored PayloadUUID %q is not a UUID: %w", uuidText, err)
	}
	if strings.TrimSpace(identifier) == "" {
		return fmt.Errorf("stored PayloadIdentifier is empty; read the profile back from Jamf Pro again")
	}
	// Keep Jamf's spelling (its case): Jamf compares the text.
	p.PayloadUUID = uuidText
	p.PayloadIdentifier = identifier
	return nil
}
