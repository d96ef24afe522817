// Package hosttest provides a fake host.System for tests of package host
// and of the packages that call it.
//
// It does not import package host, so that the tests inside package host
// can use it without an import cycle. Those tests check that *System
// implements host.System.
package hosttest

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// KVMState is the /dev/kvm that a System pretends to have.
type KVMState int

const (
	// KVMUsable is a /dev/kvm that the user may read and write.
	KVMUsable KVMState = iota
	// KVMMissing is a host without /dev/kvm.
	KVMMissing
	// KVMDenied is a /dev/kvm that the user may not read or write.
	KVMDenied
)

// System is a host.System confined to a temporary folder: files outside it
// do not exist, so a real brew or limactl on the test machine is never
// found, and PATH and the other variables are its own. The KVM field sets
// the simulated /dev/kvm. Set the exported fields before the code under
// test runs, and change the environment with Setenv.
type System struct {
	// Root is the temporary folder that contains everything the fake has.
	Root string
	// Bin is the first folder on PATH.
	Bin string
	// Tools is the second folder on PATH, where LinkPrograms puts programs
	// of the test machine.
	Tools string
	// Home is HOME.
	Home string
	// EUID is the effective user ID for Geteuid, 1000 unless a test
	// changes it.
	EUID int
	// KVM is the state of /dev/kvm, KVMUsable unless a test changes it.
	KVM KVMState
	// KVMInfo, when set, is what Stat returns for /dev/kvm, so that a test
	// chooses the group that owns it. Otherwise Stat returns Root's.
	KVMInfo fs.FileInfo

	goos   string
	goarch string
	mutex  sync.Mutex
	env    map[string]string
}

// New returns a System for the given GOOS and GOARCH values, with PATH,
// HOME and SHELL=/bin/bash set, and empty Bin, Tools and Home folders.
func New(t testing.TB, goos, goarch string) *System {
	t.Helper()
	root := t.TempDir()
	s := &System{
		Root:   root,
		Bin:    filepath.Join(root, "bin"),
		Tools:  filepath.Join(root, "tools"),
		Home:   filepath.Join(root, "home"),
		EUID:   1000,
		goos:   goos,
		goarch: goarch,
	}
	for _, folder := range []string{s.Bin, s.Tools, s.Home} {
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.env = map[string]string{
		"PATH":  s.Bin + string(os.PathListSeparator) + s.Tools,
		"HOME":  s.Home,
		"SHELL": "/bin/bash",
	}
	return s
}

// LinkPrograms links the named programs of the test machine into Tools,
// so that the fake finds them on its PATH. It skips the test when one of
// them is not on the test machine's PATH.
func (s *System) LinkPrograms(t testing.TB, names ...string) {
	t.Helper()
	for _, name := range names {
		path, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("%s not found on PATH", name)
		}
		if err := os.Symlink(path, filepath.Join(s.Tools, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// WriteProgram writes an executable /bin/sh script with the given body
// into folder, creating the folder, and returns the script's path.
func WriteProgram(t testing.TB, folder, name, body string) string {
	t.Helper()
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(folder, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func (s *System) inside(path string) bool {
	relative, err := filepath.Rel(s.Root, path)
	return err == nil && filepath.IsAbs(path) && !strings.HasPrefix(relative, "..")
}

// LookPath searches the folders on the fake's PATH that lie inside Root.
func (s *System) LookPath(name string) (string, error) {
	if strings.ContainsRune(name, '/') {
		return "", errors.New("fake LookPath takes names only")
	}
	for _, folder := range filepath.SplitList(s.Getenv("PATH")) {
		candidate := filepath.Join(folder, name)
		if !s.inside(candidate) {
			continue
		}
		info, err := os.Stat(candidate)
		if err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
}

func (s *System) Stat(path string) (fs.FileInfo, error) {
	if path == "/dev/kvm" {
		if s.KVM == KVMMissing {
			return nil, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
		}
		if s.KVMInfo != nil {
			return s.KVMInfo, nil
		}
		return os.Stat(s.Root)
	}
	if !s.inside(path) {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
	}
	return os.Stat(path)
}

func (s *System) Access(path string, mode uint32) error {
	if path == "/dev/kvm" {
		switch s.KVM {
		case KVMMissing:
			return &fs.PathError{Op: "access", Path: path, Err: fs.ErrNotExist}
		case KVMDenied:
			return &fs.PathError{Op: "access", Path: path, Err: fs.ErrPermission}
		default:
			return nil
		}
	}
	if !s.inside(path) {
		return &fs.PathError{Op: "access", Path: path, Err: fs.ErrNotExist}
	}
	return access(path, mode)
}

func (s *System) Geteuid() int   { return s.EUID }
func (s *System) GOOS() string   { return s.goos }
func (s *System) GOARCH() string { return s.goarch }

func (s *System) Getenv(key string) string {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	return s.env[key]
}

// Setenv sets a variable of the fake's environment. Like os.Setenv, it
// rejects an empty name.
func (s *System) Setenv(key, value string) error {
	if key == "" {
		return errors.New("empty variable name")
	}
	s.mutex.Lock()
	defer s.mutex.Unlock()
	s.env[key] = value
	return nil
}

// Environ returns the fake's environment, sorted by name.
func (s *System) Environ() []string {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	environment := make([]string, 0, len(s.env))
	for key, value := range s.env {
		environment = append(environment, key+"="+value)
	}
	sort.Strings(environment)
	return environment
}
