package plan

import (
	"encoding/json"
	"strings"
	"testing"

	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// withStoredSecrets adds keys holding canary secrets to a stored profile's
// payloads, where a GUI-made or foreign-tool profile might carry them: the
// SCEP content, a nested dictionary, an array, data values.
func withStoredSecrets(t *testing.T, s Stored) Stored {
	t.Helper()
	var root map[string]any
	if _, err := plist.Unmarshal([]byte(s.Profile.General.Payloads), &root); err != nil {
		t.Fatal(err)
	}
	content := root["PayloadContent"].([]any)[0].(map[string]any)["PayloadContent"].(map[string]any)
	content["Secret"] = "CANARY-secret"
	content["AuthToken"] = []byte("CANARY-token")
	content["ChallengeSecret"] = "CANARY-challenge"
	content["Vendor"] = map[string]any{"Nested": []any{map[string]any{"api_key": "CANARY-nested"}}}
	root["Tokens"] = []any{"CANARY-array", uint64(7)}
	text, err := plist.MarshalIndent(root, plist.XMLFormat, "\t")
	if err != nil {
		t.Fatal(err)
	}
	s.Profile.General.Payloads = string(text)
	return s
}

// assertNoCanary fails when any output holds a canary, in clear or as
// base64 (data values).
func assertNoCanary(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range []string{"CANARY", "Q0FOQVJZ"} {
		if strings.Contains(out, c) {
			t.Errorf("%s shows a stored secret:\n%s", what, out)
			return
		}
	}
}

// TestPlanAndApplyMaskStoredSecrets pins item 9 of issue 13 for plan (text
// and JSON) and apply's read-back: secrets stored in a profile are masked
// by the same rule profile pull uses.
func TestPlanAndApplyMaskStoredSecrets(t *testing.T) {
	stored := withStoredSecrets(t, jamfStored(t, baseOptions(), jamf.Scope{ComputerGroups: []jamf.Ref{pilot}}))
	p, err := Compute(desired(t, baseOptions(), ownGroups(pilot)), stored)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Payload) == 0 {
		t.Fatal("the stored extra keys show no change")
	}
	var text strings.Builder
	if err := WriteText(&text, "t", p); err != nil {
		t.Fatal(err)
	}
	assertNoCanary(t, "plan text", text.String())
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	assertNoCanary(t, "plan JSON", string(js))

	// apply's read-back: Jamf answers with a profile holding the secrets.
	create, err := Compute(desired(t, baseOptions(), ownGroups(pilot)), Stored{})
	if err != nil {
		t.Fatal(err)
	}
	got := withStoredSecrets(t, Stored{Profile: &jamf.Profile{General: *create.send.general, Scope: *create.send.scope}})
	changes := Verify(create, got.Profile)
	if len(changes) == 0 {
		t.Fatal("the read-back shows no change")
	}
	var b strings.Builder
	for _, c := range changes {
		b.WriteString(c.Path + " " + c.Old + " " + c.New + "\n")
	}
	assertNoCanary(t, "apply's read-back", b.String())
}
