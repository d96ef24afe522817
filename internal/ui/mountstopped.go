package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/japacx/aisand/internal/lima"
)

// editStopped writes arg as the mount list of the stopped instance and
// reads it back. The instance is not started: the user may have stopped
// it on purpose, or it may fail to start with its current mounts, which
// is what a change on a stopped instance can repair.
func (e *mountEdit) editStopped(ctx context.Context, dir, arg string) error {
	name := e.change.instance
	e.say("%s is stopped, so its mount list is edited and it stays stopped.", name)
	if err := e.client.Edit(ctx, name, dir, []string{"--mount-only", arg}, e.emit); err != nil {
		var limaErr *lima.Error
		if !errors.As(err, &limaErr) || limaErr.ExitCode <= 0 {
			return &mountStepError{outcome: fmt.Sprintf("limactl edit did not finish, so the change may not have been applied; %s is stopped, check its mounts", name), cause: err}
		}
		e.sayRejected(dir, err)
		return &mountStepError{outcome: fmt.Sprintf("limactl rejected the new mount list; %s keeps its old mounts and stays stopped", name), cause: err}
	}

	inst, err := e.readInstance(ctx)
	if err != nil {
		return &mountStepError{outcome: fmt.Sprintf("the mount list of %s was written, but the change could not be confirmed", name), cause: err}
	}
	if inst.Status != lima.StatusStopped {
		return fmt.Errorf("the mount list of %s was written, but limactl list now shows it %s", name, statusWord(inst.Status))
	}
	mount, err := e.checkListed(inst, "was edited")
	if err != nil {
		return err
	}
	if !e.change.add {
		e.say("✓ %s is no longer in the mount list of %s. It is stopped; the change takes effect when it starts.", e.change.folder, name)
		return nil
	}
	e.say("✓ Added %s read-write at %s to the mount list of %s. It is stopped; the folder is mounted when it starts.", e.change.folder, guestPath(mount), name)
	return nil
}

// sayRejected writes limactl's reason for rejecting an edit, and what
// became of the rejected file that limactl names in its message: it was
// written into the temporary working folder, which is removed.
func (e *mountEdit) sayRejected(dir string, editErr error) {
	message := limactlMessage(editErr)
	e.say("limactl rejected the new mount list: %s", message)
	_, statErr := os.Stat(filepath.Join(dir, rejectedConfig))
	if statErr == nil || strings.Contains(message, rejectedConfig) {
		e.say("The %s that limactl names is discarded with aisand's temporary folder.", rejectedConfig)
	}
}
