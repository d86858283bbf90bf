package cmdutil

import (
	"context"
	"errors"
	"fmt"

	"github.com/charmbracelet/huh"

	"github.com/jamf-scep/jamf-scep/internal/crash"
	"github.com/jamf-scep/jamf-scep/pkg/iostreams"
)

// Prompter asks the user questions, the same way for every command: huh on
// a terminal (its accessible, line-by-line mode when
// JAMF_SCEP_ACCESSIBLE=1), drawn on stderr so stdout stays data.
type Prompter struct {
	ios *iostreams.IOStreams
}

// Prompter returns the run's Prompter.
func (f *Factory) Prompter() *Prompter { return &Prompter{ios: f.IOStreams} }

// Confirm asks a yes/no question (default no). Esc, Ctrl-C, the end of
// input or a canceled ctx is ErrCancel. Call it only when
// IOStreams.CanPrompt holds (see Require).
func (p *Prompter) Confirm(ctx context.Context, question string) (bool, error) {
	ok := false
	field := huh.NewConfirm().Title(question).Value(&ok)
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer crash.Recover(&err) // reported as a crash by pkg/app
		if p.ios.Accessible() {
			err = field.RunAccessible(p.ios.ErrOut, p.ios.In)
			return
		}
		err = huh.NewForm(huh.NewGroup(field)).WithInput(p.ios.In).WithOutput(p.ios.ErrOut).RunWithContext(ctx)
	}()
	select {
	case err := <-done:
		switch {
		case errors.Is(err, huh.ErrUserAborted), errors.Is(err, huh.ErrTimeout), ctx.Err() != nil:
			return false, ErrCancel
		case err != nil:
			return false, fmt.Errorf("prompt: %w", err)
		}
		return ok, nil
	case <-ctx.Done():
		// An accessible prompt blocks in a plain read that Ctrl-C
		// (caught as a signal, canceling ctx) cannot interrupt.
		return false, ErrCancel
	}
}

// Require is the one rule for a consent before a side effect: yes (the
// command's --yes) consents; without a terminal and without --yes it is a
// usage error naming --yes ("--yes required <why>"); on a terminal
// question is asked, and anything but yes is ErrCancel.
func (p *Prompter) Require(ctx context.Context, yes bool, why, question string) error {
	if yes {
		return nil
	}
	if !p.ios.CanPrompt() {
		return RequiredFlags(why, "yes")
	}
	ok, err := p.Confirm(ctx, question)
	if err != nil {
		return err
	}
	if !ok {
		return ErrCancel
	}
	return nil
}
