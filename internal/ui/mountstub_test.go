package ui

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/japacx/aisand/internal/lima"
)

// mountStub is a limactl stand-in with state for the mount tests: stop and
// start change the status, and edit applies --mount-only as limactl 2.2.0
// parses it. Each step can be made to fail.
type mountStub struct {
	mu    sync.Mutex
	inst  lima.Instance
	home  string
	calls []string
	// editDirs holds the working folder of each edit call.
	editDirs []string

	stopErr  error
	editErr  error
	startErr error
	runErr   error
	// runErrs, when set, gives the error of a guest command by its
	// arguments joined with spaces, such as "test -w /path".
	runErrs map[string]error
	// startStatus is the status a failed start leaves; empty keeps Stopped.
	startStatus lima.Status
	// listMounts, when set, replaces the mounts list shows after an edit.
	listMounts func([]lima.Mount) []lima.Mount
}

func (s *mountStub) record(call string) {
	s.calls = append(s.calls, call)
}

func (s *mountStub) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func (s *mountStub) instance() lima.Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := s.inst
	inst.Mounts = append([]lima.Mount(nil), s.inst.Mounts...)
	return inst
}

func (s *mountStub) Version(context.Context) (lima.Version, error) {
	return lima.Version{Major: 2, Minor: 2, Raw: "2.2.0"}, nil
}

func (s *mountStub) List(context.Context) lima.ListResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("list")
	inst := s.inst
	inst.Mounts = append([]lima.Mount(nil), s.inst.Mounts...)
	return lima.ListResult{Instances: []lima.Instance{inst}}
}

func (s *mountStub) Start(_ context.Context, name string, onLine func(lima.Line)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("start " + name)
	if s.startErr != nil {
		if s.startStatus != "" {
			s.inst.Status = s.startStatus
		}
		return s.startErr
	}
	if s.inst.Status != lima.StatusStopped {
		return &lima.Error{Op: "start", Instance: name, ExitCode: 1, Message: "instance is already running"}
	}
	s.inst.Status = lima.StatusRunning
	onLine(lima.Line{Text: `time="t" level=info msg="READY."`, Stderr: true})
	return nil
}

func (s *mountStub) Stop(_ context.Context, name string, force bool, _ func(lima.Line)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if force {
		s.record("stop --force " + name)
	} else {
		s.record("stop " + name)
	}
	if s.stopErr != nil {
		return s.stopErr
	}
	s.inst.Status = lima.StatusStopped
	return nil
}

func (s *mountStub) Delete(context.Context, string, bool, func(lima.Line)) error {
	panic("Delete is not part of a mount change")
}

func (s *mountStub) Create(context.Context, lima.CreateOptions, func(lima.Line)) error {
	panic("Create is not part of a mount change")
}

// Edit applies --mount-only when the instance is stopped. A refused edit
// writes lima.REJECTED.yaml into dir, as limactl does.
func (s *mountStub) Edit(_ context.Context, name, dir string, flags []string, _ func(lima.Line)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("edit " + strings.Join(flags, " ") + " " + name)
	s.editDirs = append(s.editDirs, dir)
	if s.inst.Status != lima.StatusStopped {
		return &lima.Error{Op: "edit", Instance: name, ExitCode: 1, Message: "cannot edit a running instance"}
	}
	if s.editErr != nil {
		_ = os.WriteFile(filepath.Join(dir, rejectedConfig), []byte("mounts: []\n"), 0o644)
		return s.editErr
	}
	if len(flags) != 2 || flags[0] != "--mount-only" {
		return &lima.Error{Op: "edit", Instance: name, ExitCode: 1, Message: "unexpected flags " + strings.Join(flags, " ")}
	}
	mounts, err := lima.ParseMountArg(flags[1], s.home)
	if err != nil {
		return &lima.Error{Op: "edit", Instance: name, ExitCode: 1, Message: err.Error()}
	}
	if s.listMounts != nil {
		mounts = s.listMounts(mounts)
	}
	s.inst.Mounts = mounts
	return nil
}

func (s *mountStub) Run(_ context.Context, name string, _ io.Reader, _ func(lima.Line), command ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record("shell " + name + " -- " + strings.Join(command, " "))
	if err, ok := s.runErrs[strings.Join(command, " ")]; ok {
		return err
	}
	return s.runErr
}

func (s *mountStub) ShellCommand(name string) *exec.Cmd {
	return exec.Command("true")
}
