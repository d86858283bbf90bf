package profile

import (
	"errors"
	"strings"
	"testing"

	"howett.net/plist"

	"github.com/jamf-scep/jamf-scep/internal/safedecode"
	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

func TestUnmarshalPlistOfARealProfileInBothForms(t *testing.T) {
	p, _, err := Build(Options{SCEPURL: "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1", ChallengeType: ChallengeStatic, Challenge: secret.New("s3cret")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	xmlData, err := p.MarshalFile(RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var root any
	if err := UnmarshalPlist(xmlData, &root); err != nil {
		t.Fatalf("a real profile in XML form is refused: %v", err)
	}
	bin, err := plist.Marshal(root, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := UnmarshalPlist(bin, &back); err != nil {
		t.Errorf("a real profile in binary form is refused: %v", err)
	}
}

// deepXML is an XML plist of n nested arrays.
func deepXML(n int) []byte {
	return []byte("<plist>" + strings.Repeat("<array>", n) + strings.Repeat("</array>", n) + "</plist>")
}

// TestParsersRefuseDeepPlists pins item 5 of issue 13: every parser of an
// untrusted plist refuses one nested past the limit with the limit error
// before the recursive decoder sees it.
func TestParsersRefuseDeepPlists(t *testing.T) {
	deep := deepXML(200_000)
	var v any
	if err := UnmarshalPlist(deep, &v); !errors.Is(err, safedecode.ErrTooLarge) {
		t.Errorf("UnmarshalPlist: err = %v, want ErrTooLarge", err)
	}
	if _, err := Decode(deep, nil); !errors.Is(err, safedecode.ErrTooLarge) {
		t.Errorf("Decode: err = %v, want ErrTooLarge", err)
	}
	fs := Lint(deep, LintOptions{})
	if len(fs) == 0 || !strings.Contains(fs[0].Message, "levels of nesting") {
		t.Errorf("Lint findings = %v, want the nesting limit", fs)
	}
}
