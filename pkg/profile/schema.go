package profile

// Schema tables for Lint, written by hand from Apple's device-management
// repository (github.com/apple/device-management, commit
// b6202ca2fbd31286a52eb160b67a4db7b4fe1f1f, folder mdm/profiles: files
// TopLevel.yaml, CommonPayloadKeys.yaml and com.apple.security.scep.yaml).
// The YAML files themselves are not shipped.

// plistType is a schema value type, named as in Apple's YAML ("<string>").
type plistType string

const (
	ptString     plistType = "string"
	ptInteger    plistType = "integer"
	ptBoolean    plistType = "boolean"
	ptData       plistType = "data"
	ptDate       plistType = "date"
	ptReal       plistType = "real"
	ptArray      plistType = "array"
	ptDictionary plistType = "dictionary"
)

type schemaKey struct {
	typ      plistType
	required bool
}

// topLevelSchema is TopLevel.yaml's payloadkeys.
var topLevelSchema = map[string]schemaKey{
	"PayloadContent":           {ptArray, true},
	"PayloadDescription":       {ptString, false},
	"PayloadDisplayName":       {ptString, false},
	"PayloadExpirationDate":    {ptDate, false},
	"PayloadIdentifier":        {ptString, true},
	"PayloadOrganization":      {ptString, false},
	"PayloadUUID":              {ptString, true},
	"PayloadRemovalDisallowed": {ptBoolean, false},
	"PayloadType":              {ptString, true},
	"PayloadVersion":           {ptInteger, true},
	"PayloadScope":             {ptString, false},
	"RemovalDate":              {ptDate, false},
	"DurationUntilRemoval":     {ptReal, false},
	"ConsentText":              {ptDictionary, false},
	"HasRemovalPasscode":       {ptBoolean, false},
	"IsEncrypted":              {ptBoolean, false},
	"EncryptedPayloadContent":  {ptData, false},
	"TargetDeviceType":         {ptInteger, false},
}

// payloadSchema is CommonPayloadKeys.yaml plus the SCEP payload's
// PayloadContent (a dictionary, com.apple.security.scep.yaml).
var payloadSchema = map[string]schemaKey{
	"PayloadContent":      {ptDictionary, true},
	"PayloadDescription":  {ptString, false},
	"PayloadDisplayName":  {ptString, false},
	"PayloadIdentifier":   {ptString, true},
	"PayloadOrganization": {ptString, false},
	"PayloadType":         {ptString, true},
	"PayloadUUID":         {ptString, true},
	"PayloadVersion":      {ptInteger, true},
}

// scepContentSchema is the PayloadContent dictionary of
// com.apple.security.scep.yaml. Key names are exact, spaces included.
var scepContentSchema = map[string]schemaKey{
	"URL":                {ptString, true},
	"Name":               {ptString, false},
	"Subject":            {ptArray, false},
	"Challenge":          {ptString, false},
	"Keysize":            {ptInteger, false},
	"Key Type":           {ptString, false},
	"Key Usage":          {ptInteger, false},
	"CAFingerprint":      {ptData, false},
	"Retries":            {ptInteger, false},
	"RetryDelay":         {ptInteger, false},
	"SubjectAltName":     {ptDictionary, false},
	"KeyIsExtractable":   {ptBoolean, false},
	"AllowAllAppsAccess": {ptBoolean, false},
}

// subjectAltNameSchema is the SubjectAltName dictionary. Apple's text allows
// a string or an array of strings for each key; both are accepted.
var subjectAltNameSchema = map[string]schemaKey{
	"rfc822Name":                {ptString, false},
	"dNSName":                   {ptString, false},
	"uniformResourceIdentifier": {ptString, false},
	"ntPrincipalName":           {ptString, false},
}

// jamfAddedKeys are keys Jamf Pro adds to every payload it stores
// (docs/jamf-behavior.md, 'Re-serialisation rewrites'). Lint reports them
// as info.
var jamfAddedKeys = map[string]plistType{"PayloadEnabled": ptBoolean}

// appleKeys returns the set of Apple keys at a dialect location.
func appleKeys(loc Location) map[string]bool {
	var m map[string]schemaKey
	switch loc {
	case LocationProfile:
		m = topLevelSchema
	case LocationPayload:
		m = payloadSchema
	case LocationContent:
		m = scepContentSchema
	}
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// AppleKey reports whether key is one of Apple's keys at loc: TopLevel.yaml
// for [LocationProfile], CommonPayloadKeys.yaml for [LocationPayload] and
// the PayloadContent keys of com.apple.security.scep.yaml for
// [LocationContent]. Key names are exact, spaces included.
func AppleKey(loc Location, key string) bool { return appleKeys(loc)[key] }

// JamfAddedKey reports whether Jamf Pro adds key to every payload it stores
// (PayloadEnabled; docs/jamf-behavior.md, 'Re-serialisation rewrites'), so
// it is neither Apple's nor a
// dialect setting.
func JamfAddedKey(key string) bool {
	_, ok := jamfAddedKeys[key]
	return ok
}
