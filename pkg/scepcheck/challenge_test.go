package scepcheck_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

func TestChallengeRedacted(t *testing.T) {
	const secret = "s3cr3t-Challenge-Value-0123456789"
	c := scepcheck.NewChallenge(secret)
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("got", "challenge", c)
	js, err := json.Marshal(struct{ C scepcheck.Challenge }{c})
	if err != nil {
		t.Fatal(err)
	}
	txt, err := c.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v":         fmt.Sprintf("%v", c),
		"%+v":        fmt.Sprintf("%+v", c),
		"%#v":        fmt.Sprintf("%#v", c),
		"%s":         fmt.Sprintf("%s", c),
		"%q":         fmt.Sprintf("%q", c),
		"%x":         fmt.Sprintf("%x", c),
		"struct %+v": fmt.Sprintf("%+v", struct{ C scepcheck.Challenge }{c}),
		"String":     c.String(),
		"slog":       logged.String(),
		"JSON":       string(js),
		"text":       string(txt),
	}
	for name, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(out, fmt.Sprintf("%x", secret)) {
			t.Errorf("%s output reveals the challenge", name)
		}
		if !strings.Contains(out, "33 characters") {
			t.Errorf("%s output = %q, want the length", name, out)
		}
	}
	if c.Reveal() != secret || c.Len() != len(secret) || c.IsZero() {
		t.Errorf("Reveal/Len/IsZero do not round-trip")
	}
}
