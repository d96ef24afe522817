package host

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

// kvmState is the /dev/kvm that a fakeSystem pretends to have.
type kvmState int

const (
	kvmUsable kvmState = iota
	kvmMissing
	kvmDenied
)

// fakeSystem is a System confined to a temporary folder: files outside it
// do not exist, so a real brew or limactl on the test machine is never
// found. /dev/kvm is simulated.
type fakeSystem struct {
	mutex  sync.Mutex
	root   string
	bin    string
	home   string
	env    map[string]string
	euid   int
	goos   string
	goarch string
	kvm    kvmState
	// kvmInfo, when set, is what Stat returns for /dev/kvm, so that a test
	// chooses the group that owns it.
	kvmInfo fs.FileInfo
}

func newFakeSystem(t *testing.T, goos, goarch string) *fakeSystem {
	t.Helper()
	root := t.TempDir()
	fake := &fakeSystem{
		root:   root,
		bin:    filepath.Join(root, "bin"),
		home:   filepath.Join(root, "home"),
		euid:   1000,
		goos:   goos,
		goarch: goarch,
	}
	for _, folder := range []string{fake.bin, fake.home} {
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	fake.env = map[string]string{
		"PATH":  fake.bin,
		"HOME":  fake.home,
		"SHELL": "/bin/bash",
	}
	return fake
}

// writeProgram writes a shell script named name into folder and returns
// its path.
func writeProgram(t *testing.T, folder, name, body string) string {
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

func (f *fakeSystem) inside(path string) bool {
	relative, err := filepath.Rel(f.root, path)
	return err == nil && filepath.IsAbs(path) && !strings.HasPrefix(relative, "..")
}

func (f *fakeSystem) LookPath(name string) (string, error) {
	if strings.ContainsRune(name, '/') {
		return "", errors.New("fake LookPath takes names only")
	}
	for _, folder := range filepath.SplitList(f.Getenv("PATH")) {
		candidate := filepath.Join(folder, name)
		if !f.inside(candidate) {
			continue
		}
		info, err := os.Stat(candidate)
		if err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
}

func (f *fakeSystem) Stat(path string) (fs.FileInfo, error) {
	if path == "/dev/kvm" {
		if f.kvm == kvmMissing {
			return nil, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
		}
		if f.kvmInfo != nil {
			return f.kvmInfo, nil
		}
		return os.Stat(f.root)
	}
	if !f.inside(path) {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
	}
	return os.Stat(path)
}

func (f *fakeSystem) Access(path string, mode uint32) error {
	if path == "/dev/kvm" {
		switch f.kvm {
		case kvmMissing:
			return &fs.PathError{Op: "access", Path: path, Err: fs.ErrNotExist}
		case kvmDenied:
			return &fs.PathError{Op: "access", Path: path, Err: fs.ErrPermission}
		default:
			return nil
		}
	}
	if !f.inside(path) {
		return &fs.PathError{Op: "access", Path: path, Err: fs.ErrNotExist}
	}
	return access(path, mode)
}

func (f *fakeSystem) Geteuid() int   { return f.euid }
func (f *fakeSystem) GOOS() string   { return f.goos }
func (f *fakeSystem) GOARCH() string { return f.goarch }

func (f *fakeSystem) Getenv(key string) string {
	f.mutex.Lock()
	defer f.mutex.Unlock()
	return f.env[key]
}

func (f *fakeSystem) Setenv(key, value string) error {
	f.mutex.Lock()
	defer f.mutex.Unlock()
	f.env[key] = value
	return nil
}

func (f *fakeSystem) Environ() []string {
	f.mutex.Lock()
	defer f.mutex.Unlock()
	environment := make([]string, 0, len(f.env))
	for key, value := range f.env {
		environment = append(environment, key+"="+value)
	}
	sort.Strings(environment)
	return environment
}
