package ui

import (
	"context"
	"errors"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// mountChange is one change to an instance's mount list: a host folder
// added read-write, or an existing mount removed.
type mountChange struct {
	instance string
	folder   string // host path, absolute and cleaned
	add      bool
}

func (c mountChange) title() string {
	if c.add {
		return "Mount " + c.folder + " in " + c.instance
	}
	return "Unmount " + c.folder + " from " + c.instance
}

// changeMounts starts the operation that applies change and opens its log.
func (a *App) changeMounts(change mountChange) tea.Cmd {
	edit := &mountEdit{client: a.cfg.Limactl, change: change, home: hostHome()}
	return a.runOperation(ops.Spec{Title: change.title(), Instance: change.instance, Run: edit.run})
}

// hostHome returns the user's home folder, or "" when it is unknown, which
// turns off the checks that need it.
func hostHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return home
}

// mountEdit is the work of one mount change. Lima 2.2.0 edits the mount
// list of stopped instances only, so a running instance is stopped, edited
// and started again, and a stopped one is edited and stays stopped. The
// result is read back to confirm it.
type mountEdit struct {
	client Limactl
	change mountChange
	home   string
	emit   func(lima.Line)
}

// mountStepError is a failed step, stated with what it left behind. It
// does not unwrap, so the log view shows the whole sentence rather than
// limactl's message alone.
type mountStepError struct {
	outcome string
	cause   error
}

func (e *mountStepError) Error() string {
	if e.cause == nil {
		return e.outcome
	}
	return e.outcome + ": " + limactlMessage(e.cause)
}

// rejectedConfig is the file a refused `limactl edit` writes into its
// working folder.
const rejectedConfig = "lima.REJECTED.yaml"

// run applies the change and, when it fails, writes the error into the
// log as well, so the log file holds the whole story.
func (e *mountEdit) run(ctx context.Context, emit func(lima.Line)) error {
	e.emit = emit
	err := e.apply(ctx)
	if err != nil && ctx.Err() == nil {
		e.say("✗ %s", err)
	}
	return err
}

func (e *mountEdit) apply(ctx context.Context) error {
	emit := e.emit
	name := e.change.instance
	inst, err := e.readInstance(ctx)
	if err != nil {
		return err
	}
	if reason := mountableState(inst); reason != "" {
		return fmt.Errorf("%s is %s: its mounts can be changed only while it is Running or Stopped", name, statusWord(inst.Status))
	}
	mounts, err := e.change.apply(inst, e.home)
	if err != nil {
		return err
	}
	arg, err := lima.MountOnlyArg(mounts)
	if err != nil {
		return fmt.Errorf("nothing was changed, because the new mount list cannot be passed to limactl: %w", err)
	}

	// limactl writes lima.REJECTED.yaml into its working folder when it
	// refuses an edit, so it runs in a folder of its own that is removed.
	dir, err := os.MkdirTemp("", "aisand-edit-")
	if err != nil {
		return fmt.Errorf("nothing was changed, because the working folder for limactl edit could not be created: %w", err)
	}
	defer os.RemoveAll(dir)

	if inst.Status == lima.StatusStopped {
		return e.editStopped(ctx, dir, arg)
	}
	e.say("Stopping %s, because Lima changes mounts only while the VM is stopped.", name)
	if err := e.client.Stop(ctx, name, false, emit); err != nil {
		return e.recoverFromStop(ctx, err)
	}
	e.say("Writing the new mount list of %s.", name)
	if err := e.client.Edit(ctx, name, dir, []string{"--mount-only", arg}, emit); err != nil {
		return e.recoverFromRejectedEdit(ctx, dir, err)
	}
	e.say("Starting %s with the new mounts.", name)
	if err := e.client.Start(ctx, name, emit); err != nil {
		return e.leaveStopped(ctx, err)
	}
	return e.verify(ctx)
}

// apply returns inst's mount list with c applied. A folder to add is
// checked again against the mounts inst has now, which may differ from
// those the user saw.
func (c mountChange) apply(inst lima.Instance, home string) ([]lima.Mount, error) {
	if c.add {
		checker := lima.FolderChecker{Home: home, GuestHome: inst.GuestHome}
		folder, err := checker.Check(c.folder, inst.Mounts)
		if err != nil {
			return nil, fmt.Errorf("nothing was changed: %w", err)
		}
		mounts := append([]lima.Mount(nil), inst.Mounts...)
		return append(mounts, lima.Mount{Location: folder, MountPoint: folder, Writable: true}), nil
	}
	var kept []lima.Mount
	found := false
	for _, m := range inst.Mounts {
		if !sameMount(m, c.folder, home) {
			kept = append(kept, m)
			continue
		}
		if isHomeMount(m, home) {
			return nil, fmt.Errorf("%s is your home folder, which every VM keeps mounted read-only; it cannot be removed", c.folder)
		}
		found = true
	}
	if !found {
		return nil, fmt.Errorf("%s is not mounted in %s, so there is nothing to remove", c.folder, inst.Name)
	}
	return kept, nil
}

// recoverFromStop starts the instance again when a failed stop left it
// stopped, so a failure before the edit leaves it as it was.
func (e *mountEdit) recoverFromStop(ctx context.Context, stopErr error) error {
	name := e.change.instance
	inst, err := e.readInstance(ctx)
	if err != nil || inst.Status != lima.StatusStopped {
		return &mountStepError{outcome: fmt.Sprintf("the stop of %s failed, so its mounts were not changed", name), cause: stopErr}
	}
	e.say("The stop reported an error, but %s is stopped; starting it again with its old mounts.", name)
	if err := e.client.Start(ctx, name, e.emit); err != nil {
		return &mountStepError{outcome: fmt.Sprintf("the stop of %s failed and the start after it too; its mounts were not changed and it is %s", name, e.statusNow(ctx)), cause: errors.Join(stopErr, err)}
	}
	return &mountStepError{outcome: fmt.Sprintf("the stop of %s reported an error, so its mounts were not changed; it is running again", name), cause: stopErr}
}

// recoverFromRejectedEdit starts the instance again after a failed edit.
// limactl leaves lima.yaml untouched when it rejects an edit, so the old
// mounts are still in place.
func (e *mountEdit) recoverFromRejectedEdit(ctx context.Context, dir string, editErr error) error {
	name := e.change.instance
	var limaErr *lima.Error
	if !errors.As(editErr, &limaErr) || limaErr.ExitCode <= 0 {
		// Killed or timed out: limactl never said whether it wrote lima.yaml.
		e.say("limactl edit did not finish: %s. Starting %s again; check its mounts afterwards.", limactlMessage(editErr), name)
		if err := e.client.Start(ctx, name, e.emit); err != nil {
			return &mountStepError{outcome: fmt.Sprintf("limactl edit did not finish (%s), and %s then failed to start", limactlMessage(editErr), name), cause: err}
		}
		return &mountStepError{outcome: fmt.Sprintf("limactl edit did not finish, so the change may not have been applied; %s is running again", name), cause: editErr}
	}

	e.sayRejected(dir, editErr)
	e.say("%s keeps its old mounts. Starting it again.", name)
	if err := e.client.Start(ctx, name, e.emit); err != nil {
		e.say("%s did not start again. It is stopped with its old mounts.", name)
		return &mountStepError{outcome: fmt.Sprintf("limactl rejected the new mount list (%s), and %s then failed to start; it keeps its old mounts", limactlMessage(editErr), name), cause: err}
	}
	return &mountStepError{outcome: fmt.Sprintf("limactl rejected the new mount list; %s keeps its old mounts and is running again", name), cause: editErr}
}

// leaveStopped handles a failed start after a successful edit: the new
// mount list is saved, and the instance is brought to Stopped so its state
// is known. A start that failed half-way may leave it in another status.
func (e *mountEdit) leaveStopped(ctx context.Context, startErr error) error {
	name := e.change.instance
	e.say("%s did not start with the new mounts. The new mount list is saved.", name)
	inst, err := e.readInstance(ctx)
	switch {
	case err != nil:
		e.say("Its status could not be read back: %s", limactlMessage(err))
	case inst.Status != lima.StatusStopped:
		e.say("%s is %s after the failed start; stopping it by force.", name, statusWord(inst.Status))
		if err := e.client.Stop(ctx, name, true, e.emit); err != nil {
			e.say("The forced stop failed too: %s", limactlMessage(err))
			return &mountStepError{outcome: fmt.Sprintf("the new mount list is saved, but %s failed to start and could not be stopped; check it with limactl list", name), cause: startErr}
		}
	}
	return &mountStepError{outcome: fmt.Sprintf("the new mount list is saved, but %s failed to start and is left stopped; fix the cause, then start it", name), cause: startErr}
}

// verify reads the started instance back and confirms the change: the
// mount is listed with the right mode (or gone), and an added folder is
// writable inside the VM.
func (e *mountEdit) verify(ctx context.Context) error {
	name, folder := e.change.instance, e.change.folder
	inst, err := e.readInstance(ctx)
	if err != nil {
		return &mountStepError{outcome: fmt.Sprintf("%s started, but the change could not be confirmed", name), cause: err}
	}
	if inst.Status != lima.StatusRunning {
		return fmt.Errorf("%s started, but limactl list now shows it %s", name, statusWord(inst.Status))
	}
	mount, err := e.checkListed(inst, "started")
	if err != nil {
		return err
	}
	if !e.change.add {
		e.say("✓ %s is no longer mounted in %s.", folder, name)
		return nil
	}
	guestPath := guestPath(mount)
	if err := e.checkGuestFolder(ctx, guestPath); err != nil {
		return err
	}
	e.say("✓ Mounted %s read-write at %s in %s.", folder, guestPath, name)
	return nil
}

// checkGuestFolder checks inside the VM that guestPath is a folder the
// guest user can write to. A folder inside the read-only home mount exists
// even when the read-write mount over it did not take effect, so only the
// write check tells the two apart. Each path is an argument of its own,
// never part of a shell line.
func (e *mountEdit) checkGuestFolder(ctx context.Context, guestPath string) error {
	name, folder := e.change.instance, e.change.folder
	checks := []struct {
		flag    string
		outcome string
	}{
		{"-d", fmt.Sprintf("%s is listed as mounted, but the folder %s was not found inside %s", folder, guestPath, name)},
		{"-w", fmt.Sprintf("%s is listed as mounted read-write, but %s is not writable inside %s, so the mount did not take effect", folder, guestPath, name)},
	}
	for _, check := range checks {
		err := e.client.Run(ctx, name, nil, e.emit, "test", check.flag, guestPath)
		if err == nil {
			continue
		}
		var limaErr *lima.Error
		if errors.As(err, &limaErr) && limaErr.ExitCode == 1 {
			// test's own "no": limactl itself worked.
			return errors.New(check.outcome)
		}
		return &mountStepError{outcome: check.outcome + ", because the check inside the VM failed", cause: err}
	}
	return nil
}

// checkListed confirms the change in inst's mount list and returns the
// added mount. after names the step the list was read after.
func (e *mountEdit) checkListed(inst lima.Instance, after string) (lima.Mount, error) {
	name, folder := e.change.instance, e.change.folder
	mount, found := findMount(inst.Mounts, folder, e.home)
	switch {
	case !e.change.add && found:
		return mount, fmt.Errorf("%s %s, but limactl list still shows %s among its mounts", name, after, folder)
	case !e.change.add:
		return mount, nil
	case !found:
		return mount, fmt.Errorf("%s %s, but limactl list does not show %s among its mounts", name, after, folder)
	case !mount.Writable:
		return mount, fmt.Errorf("%s %s, but limactl list shows %s read-only instead of read-write", name, after, folder)
	}
	return mount, nil
}

// readInstance returns the instance from a fresh `limactl list`.
func (e *mountEdit) readInstance(ctx context.Context) (lima.Instance, error) {
	name := e.change.instance
	res := e.client.List(ctx)
	for _, inst := range res.Instances {
		if inst.Name == name {
			return inst, nil
		}
	}
	if res.Err != nil {
		return lima.Instance{}, &mountStepError{outcome: "limactl list failed", cause: res.Err}
	}
	return lima.Instance{}, fmt.Errorf("%s is not in limactl list", name)
}

// statusNow returns the instance's status for a message, or "in an
// unknown state" when it cannot be read.
func (e *mountEdit) statusNow(ctx context.Context) string {
	inst, err := e.readInstance(ctx)
	if err != nil {
		return "in an unknown state"
	}
	return statusWord(inst.Status)
}

// say writes one message of aisand's own into the log as one line. The
// log view cuts it at the screen's edge, and the log file keeps it whole.
func (e *mountEdit) say(format string, args ...any) {
	e.emit(lima.Line{Text: fmt.Sprintf(format, args...)})
}

func statusWord(s lima.Status) string {
	if s == lima.StatusUnknown {
		return "in an unknown state"
	}
	return string(s)
}
