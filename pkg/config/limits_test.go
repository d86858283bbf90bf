package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/config"
)

// TestConfigSizeCap pins the cap of issue 13's Consistency list: a 50 MB
// config was parsed whole. A config over config.MaxFileSize is refused as a
// usage problem naming the limit and the fix, without being read whole.
func TestConfigSizeCap(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	// A valid YAML document (one long comment) of 50 MiB.
	if err := os.WriteFile(big, []byte("version: 1\n#"+strings.Repeat("x", 50<<20)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(big)
	var ps config.Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("Load = %v, want one Problem", err)
	}
	want := config.Problem{
		Source: big, Message: "the file is larger than 1 MiB, the most jamf-scep reads as a config",
		Fix: "check that --config (or JAMF_SCEP_CONFIG) points at the config file; a config is a few KiB",
	}
	if diff := cmp.Diff(want, ps[0]); diff != "" {
		t.Errorf("problem (-want +got):\n%s", diff)
	}

	atLimit := "version: 1\n#" + strings.Repeat("x", config.MaxFileSize-len("version: 1\n#\n")) + "\n"
	if _, err := config.Parse([]byte(atLimit), "limit.yaml"); err != nil {
		t.Errorf("a config of exactly MaxFileSize bytes: %v", err)
	}
}

func TestDialectSizeCap(t *testing.T) {
	big := filepath.Join(t.TempDir(), "dialect.yaml")
	if err := os.WriteFile(big, []byte("#"+strings.Repeat("x", config.MaxFileSize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.LoadDialect(big)
	if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("LoadDialect = %v, want the size refused", err)
	}
}
