package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/charmbracelet/huh"

	"github.com/jamf-scep/jamf-scep/pkg/atomicfile"
	"github.com/jamf-scep/jamf-scep/pkg/config"
)

// The draft keeps the answers of an init that was left before saving, so
// the next init can offer them again. It is the config being built as
// config.Marshal writes it: references only, never a typed secret (those
// live in the wizard's memory), mode 0600, in the user's config directory
// (os.UserConfigDir: $XDG_CONFIG_HOME or ~/.config on Linux,
// ~/Library/Application Support on macOS).
const draftName = "init-draft.yaml"

// defaultDraftPath is <user config dir>/jamf-scep/init-draft.yaml.
func defaultDraftPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "jamf-scep", draftName), nil
}

// draftPath is where this run keeps its draft; "" when there is no user
// config directory (no draft is kept then).
func (w *wizard) draftPath() string {
	if w.opts.DraftPath != "" {
		return w.opts.DraftPath
	}
	p, err := defaultDraftPath()
	if err != nil {
		return ""
	}
	return p
}

// saveDraft writes the answers so far. A failure is reported, never fatal:
// the draft is a convenience.
func (w *wizard) saveDraft() {
	path := w.draftPath()
	if path == "" || !w.answered {
		return
	}
	data, err := w.config().Marshal()
	if err == nil {
		if err = os.MkdirAll(filepath.Dir(path), 0o700); err == nil {
			err = atomicfile.WriteFile(path, data, 0o600, true)
		}
	}
	if err != nil {
		w.errorf("could not keep a draft of the answers: %v", err)
		return
	}
	w.infof("Your answers so far (no secrets) are kept in %s; the next jamf-scep init offers to resume them.", path)
}

// removeDraft deletes the draft once the config is saved.
func (w *wizard) removeDraft() {
	if path := w.draftPath(); path != "" {
		_ = os.Remove(path)
	}
}

// offerDraft asks whether to resume a draft left by an earlier init and
// returns it, or nil when there is none or the admin starts over (which
// removes it).
func offerDraft(ctx context.Context, w *wizard) (*config.Config, error) {
	path := w.draftPath()
	if path == "" {
		return nil, nil
	}
	c, err := config.Load(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		w.errorf("ignoring the draft %s: %v", path, err)
		return nil, nil
	}
	resume := true
	if err := w.ask(ctx, huh.NewConfirm().
		Title("Resume the answers of the init you left?").
		Description(fmt.Sprintf("Kept in %s (no secrets). No starts over and removes it.", path)).
		Value(&resume)); err != nil {
		return nil, err
	}
	if !resume {
		_ = os.Remove(path)
		return nil, nil
	}
	return c, nil
}
