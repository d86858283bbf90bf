package profile

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustSubject(t testing.TB, s string) Subject {
	t.Helper()
	subj, err := ParseSubject(s)
	if err != nil {
		t.Fatalf("ParseSubject(%q): %v", s, err)
	}
	return subj
}

func TestSubjectBudget(t *testing.T) {
	tests := []struct {
		name      string
		subject   string
		profileID int
		want      []string // one Sentence per budgeted value
		wantOver  bool
	}{
		{
			name:    "okta default, profile id unknown",
			subject: "CN=$COMPUTERNAME ma $UDID",
			want:    []string{`CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID + 7 appended by Jamf for $PROFILE_IDENTIFIER = 47 of 64 characters; leaves 17 characters for $COMPUTERNAME`},
		},
		{
			name:      "okta default, profile id 42 known",
			subject:   "CN=$COMPUTERNAME ma $UDID",
			profileID: 42,
			want:      []string{`CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID + 3 appended by Jamf for $PROFILE_IDENTIFIER = 43 of 64 characters; leaves 21 characters for $COMPUTERNAME`},
		},
		{
			name:    "explicit identifier is not appended again",
			subject: "CN=$UDID-$PROFILE_IDENTIFIER",
			want:    []string{`CN "$UDID-$PROFILE_IDENTIFIER": 1 fixed + 36 for $UDID + 6 for $PROFILE_IDENTIFIER = 43 of 64 characters; 21 characters spare`},
		},
		{
			name:     "non-ASCII fixed text counts characters, reports bytes",
			subject:  "CN=Büro-MacBook-Pro-Jürgen $UDID",
			want:     []string{`CN "Büro-MacBook-Pro-Jürgen $UDID": 24 fixed (26 bytes) + 36 for $UDID + 7 appended by Jamf for $PROFILE_IDENTIFIER = 67 of 64 characters; exceeds the limit by 3 before any variable is filled`},
			wantOver: true,
		},
		{
			name:    "two open variables share the rest; only the last CN gets the identifier",
			subject: "CN=$EMAIL,OU=$DEPARTMENTNAME $BUILDINGNAME,CN=$UDID",
			want: []string{
				`CN "$EMAIL": 0 fixed = 0 of 64 characters; leaves 64 characters for $EMAIL`,
				`OU "$DEPARTMENTNAME $BUILDINGNAME": 1 fixed = 1 of 64 characters; leaves 63 characters for $DEPARTMENTNAME and $BUILDINGNAME together`,
				`CN "$UDID": 0 fixed + 36 for $UDID + 7 appended by Jamf for $PROFILE_IDENTIFIER = 43 of 64 characters; 21 characters spare`,
			},
		},
		{
			name:     "country is two characters",
			subject:  "C=USA",
			want:     []string{`C "USA": 3 fixed = 3 of 2 characters; exceeds the limit by 1 before any variable is filled`},
			wantOver: true,
		},
		{
			name:    "unknown OIDs are not budgeted",
			subject: "1.2.3.4=" + strings.Repeat("x", 100),
			want:    nil,
		},
		{
			name:    "unknown variable counts as literal text",
			subject: "CN=$COMPUTER_NAME",
			want:    []string{`CN "$COMPUTER_NAME": 14 fixed + 7 appended by Jamf for $PROFILE_IDENTIFIER = 21 of 64 characters; 43 characters spare`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := SubjectBudget(mustSubject(t, tt.subject), tt.profileID, nil)
			var got []string
			for _, v := range b.Values {
				got = append(got, v.Sentence())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sentences mismatch (-want +got):\n%s", diff)
			}
			if b.Over() != tt.wantOver {
				t.Errorf("Over() = %v, want %v", b.Over(), tt.wantOver)
			}
		})
	}
}

func TestSubjectBudgetUnknownVariables(t *testing.T) {
	b := SubjectBudget(mustSubject(t, "CN=$COMPUTER_NAME $udid $XYZZYPLUGH"), 0, nil)
	want := []UnknownVariable{
		{Path: "Subject[0][0]", Name: "$COMPUTER_NAME", Suggestion: "$COMPUTERNAME"},
		{Path: "Subject[0][0]", Name: "$udid", Suggestion: "$UDID"},
		{Path: "Subject[0][0]", Name: "$XYZZYPLUGH", Suggestion: ""},
	}
	if diff := cmp.Diff(want, b.Unknown); diff != "" {
		t.Errorf("Unknown mismatch (-want +got):\n%s", diff)
	}
}

func TestSubjectBudgetDialectPlacementNone(t *testing.T) {
	d := DefaultDialect()
	d.ProfileIdentifier.Placement = PlacementNone
	b := SubjectBudget(mustSubject(t, "CN=$COMPUTERNAME ma $UDID"), 0, d)
	if got, want := b.Values[0].Left(), 24; got != want {
		t.Errorf("Left() = %d, want %d (no identifier appended)", got, want)
	}
}

func TestCheckValues(t *testing.T) {
	const udid = "4D8CD419-1892-4CFE-8D18-D1DD53CC7970"
	subject := "CN=$COMPUTERNAME ma $UDID"
	name49 := strings.Repeat("M", 49)
	tests := []struct {
		name      string
		subject   string
		vars      map[string]string
		profileID int
		want      []Violation
	}{
		{
			name:    "short name fits",
			subject: subject,
			vars:    map[string]string{"COMPUTERNAME": "MAC-0001", "UDID": udid},
		},
		{
			name:    "49-character name overflows with id unknown",
			subject: subject,
			vars:    map[string]string{"$COMPUTERNAME": name49, "$UDID": udid},
			want: []Violation{{
				Path: "Subject[0][0]", Type: "CN", Value: name49 + " ma " + udid, Chars: 96, Bytes: 96, Limit: 64, Appended: 7,
				Message: `CN "` + name49 + ` ma ` + udid + `" is 96 characters (96 bytes) including the 7 characters Jamf appends for $PROFILE_IDENTIFIER, over the 64-character limit by 32`,
			}},
		},
		{
			name:      "17-character name fits exactly with 6-digit id",
			subject:   subject,
			vars:      map[string]string{"COMPUTERNAME": strings.Repeat("a", 17), "UDID": udid},
			profileID: 123456,
		},
		{
			name:      "18-character name is one over with 6-digit id",
			subject:   subject,
			vars:      map[string]string{"COMPUTERNAME": strings.Repeat("a", 18), "UDID": udid},
			profileID: 123456,
			want: []Violation{{
				Path: "Subject[0][0]", Type: "CN", Value: strings.Repeat("a", 18) + " ma " + udid, Chars: 65, Bytes: 65, Limit: 64, Appended: 7,
				Message: `CN "` + strings.Repeat("a", 18) + ` ma ` + udid + `" is 65 characters (65 bytes) including the 7 characters Jamf appends for $PROFILE_IDENTIFIER, over the 64-character limit by 1`,
			}},
		},
		{
			name:      "non-ASCII name counts characters not bytes",
			subject:   subject,
			vars:      map[string]string{"COMPUTERNAME": "Büro-MacBook-Pro-Jürgen", "UDID": udid},
			profileID: 7,
			want: []Violation{{
				Path: "Subject[0][0]", Type: "CN", Value: "Büro-MacBook-Pro-Jürgen ma " + udid, Chars: 65, Bytes: 67, Limit: 64, Appended: 2,
				Message: `CN "Büro-MacBook-Pro-Jürgen ma ` + udid + `" is 65 characters (67 bytes) including the 2 characters Jamf appends for $PROFILE_IDENTIFIER, over the 64-character limit by 1`,
			}},
		},
		{
			name:      "non-ASCII name that fits by characters though not by bytes",
			subject:   "CN=$COMPUTERNAME",
			vars:      map[string]string{"COMPUTERNAME": strings.Repeat("ü", 60)},
			profileID: 7,
		},
		{
			name:    "missing value is reported",
			subject: "CN=$EMAIL",
			vars:    map[string]string{},
			want: []Violation{{
				Path: "Subject[0][0]", Type: "CN", Value: "", Chars: 7, Bytes: 7, Limit: 64, Appended: 7, Missing: []string{"$EMAIL"},
				Message: "CN: no value given for $EMAIL; cannot check the length",
			}},
		},
		{
			name:      "explicit identifier expands to the id",
			subject:   "CN=x-$PROFILE_IDENTIFIER",
			vars:      map[string]string{},
			profileID: 1234,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckValues(mustSubject(t, tt.subject), tt.vars, tt.profileID, nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckValues mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSuggestVariable(t *testing.T) {
	tests := map[string]string{
		"$COMPUTER_NAME": "$COMPUTERNAME",
		"$COMPUTERNAM":   "$COMPUTERNAME",
		"$SERIAL_NUMBER": "$SERIALNUMBER",
		"$udid":          "$UDID",
		"$EMAILADDRESS":  "$EMAIL",
		"$NOTHINGLIKEIT": "",
		"$hostname":      "$COMPUTERNAME",
	}
	for in, want := range tests {
		if got := SuggestVariable(in); got != want {
			t.Errorf("SuggestVariable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKnownVariable(t *testing.T) {
	for _, v := range []string{"$COMPUTERNAME", "$UDID", "$PROFILE_IDENTIFIER", "$EXTENSIONATTRIBUTE_12"} {
		if !KnownVariable(v) {
			t.Errorf("KnownVariable(%q) = false, want true", v)
		}
	}
	for _, v := range []string{"$COMPUTER_NAME", "$EXTENSIONATTRIBUTE_", "COMPUTERNAME"} {
		if KnownVariable(v) {
			t.Errorf("KnownVariable(%q) = true, want false", v)
		}
	}
}

func TestVariablesList(t *testing.T) {
	got := Variables()
	for _, want := range []string{"$COMPUTERNAME", "$UDID", "$SERIALNUMBER", "$EMAIL", "$USERNAME", "$JSSID", "$SITENAME", "$BUILDINGNAME", "$DEPARTMENTNAME", "$PROFILE_IDENTIFIER"} {
		if !slices.Contains(got, want) {
			t.Errorf("Variables() lacks %s (docs/jamf-behavior.md, 'SCEP payload and Subject')", want)
		}
	}
	if !slices.IsSorted(got) {
		t.Error("Variables() is not sorted")
	}
}

// identifierDialect is the default dialect with its $PROFILE_IDENTIFIER
// rule replaced.
func identifierDialect(t *testing.T, value IdentifierValue, placement Placement, maxLength int) *Dialect {
	t.Helper()
	d := DefaultDialect()
	d.ProfileIdentifier.Value, d.ProfileIdentifier.Placement, d.ProfileIdentifier.MaxLength = value, placement, maxLength
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSubjectBudgetIdentifierModels(t *testing.T) {
	const subject = "CN=$COMPUTERNAME ma $UDID"
	long := "com.acme.okta-device-access.scep.client-certificate.for-every-mac.v2" // 68 characters
	tests := []struct {
		name     string
		d        *Dialect
		stored   string // stored PayloadIdentifier
		want     []string
		wantDesc string
	}{
		{
			name:     "default: Jamf id appended to the last CN",
			d:        DefaultDialect(),
			want:     []string{`CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID + 7 appended by Jamf for $PROFILE_IDENTIFIER = 47 of 64 characters; leaves 17 characters for $COMPUTERNAME`},
			wantDesc: `Jamf id (up to 6 digits) appended to the last CN after " "`,
		},
		{
			name:     "PayloadUUID appended to the last CN",
			d:        identifierDialect(t, IdentifierPayloadUUID, PlacementAppendLastCN, 36),
			want:     []string{`CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID + 37 appended by Jamf for $PROFILE_IDENTIFIER = 77 of 64 characters; exceeds the limit by 13 before any variable is filled`},
			wantDesc: `PayloadUUID (36 characters) appended to the last CN after " "`,
		},
		{
			name: "PayloadUUID in a separate CN",
			d:    identifierDialect(t, IdentifierPayloadUUID, PlacementSeparateCN, 36),
			want: []string{
				`CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID = 40 of 64 characters; leaves 24 characters for $COMPUTERNAME`,
				`added by Jamf: CN "$PROFILE_IDENTIFIER": 0 fixed + 36 for $PROFILE_IDENTIFIER = 36 of 64 characters; 28 characters spare`,
			},
			wantDesc: "PayloadUUID (36 characters) in a separate CN after the Subject",
		},
		{
			name:   "stored PayloadIdentifier in a separate CN counts its real length",
			d:      identifierDialect(t, IdentifierPayloadIdentifier, PlacementSeparateCN, 36),
			stored: long,
			want: []string{
				`CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID = 40 of 64 characters; leaves 24 characters for $COMPUTERNAME`,
				`added by Jamf: CN "$PROFILE_IDENTIFIER": 0 fixed + 68 for $PROFILE_IDENTIFIER = 68 of 64 characters; exceeds the limit by 4 before any variable is filled`,
			},
			wantDesc: "PayloadIdentifier (68 characters) in a separate CN after the Subject",
		},
		{
			name:     "none",
			d:        identifierDialect(t, IdentifierJamfID, PlacementNone, 6),
			want:     []string{`CN "$COMPUTERNAME ma $UDID": 4 fixed + 36 for $UDID = 40 of 64 characters; leaves 24 characters for $COMPUTERNAME`},
			wantDesc: "none: Jamf adds nothing to the Subject",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d.WithStored(tt.stored)
			b := SubjectBudget(mustSubject(t, subject), 0, d)
			var got []string
			for _, v := range b.Values {
				got = append(got, v.Sentence())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("budget (-want +got):\n%s", diff)
			}
			if got := d.ProfileIdentifier.Describe(); got != tt.wantDesc {
				t.Errorf("Describe() = %q, want %q", got, tt.wantDesc)
			}
			// CheckValues agrees: a short Mac name fits unless the model
			// alone is over.
			vs := CheckValues(mustSubject(t, subject), map[string]string{"COMPUTERNAME": "Mac-1", "UDID": strings.Repeat("A", 36)}, 0, d)
			if wantOver := b.Over(); (len(vs) > 0) != wantOver {
				t.Errorf("CheckValues = %v, want violations %v", vs, wantOver)
			}
		})
	}
}
