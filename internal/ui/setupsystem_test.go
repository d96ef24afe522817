package ui

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// fakeHost is a host.System confined to a temporary folder: files outside
// it do not exist, so no real brew or limactl of the test machine is found,
// and PATH and the other variables are its own. It has no /dev/kvm, which
// matters only when goos is "linux".
type fakeHost struct {
	mutex sync.Mutex
	root  string
	bin   string
	home  string
	tools string
	env   map[string]string
	goos  string
}

func newFakeHost(t *testing.T, goos string) *fakeHost {
	t.Helper()
	root := t.TempDir()
	h := &fakeHost{
		root:  root,
		bin:   filepath.Join(root, "bin"),
		home:  filepath.Join(root, "home"),
		tools: filepath.Join(root, "tools"),
		goos:  goos,
	}
	for _, folder := range []string{h.bin, h.home, h.tools} {
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h.env = map[string]string{
		"PATH":  h.bin + string(os.PathListSeparator) + h.tools,
		"HOME":  h.home,
		"SHELL": "/bin/bash",
	}
	return h
}

// linkTools puts the named programs of the test machine into the fake's
// tools folder, which is on its PATH.
func (h *fakeHost) linkTools(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		path, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("%s not found on PATH", name)
		}
		if err := os.Symlink(path, filepath.Join(h.tools, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// writeHostScript writes an executable shell script and returns its path.
func writeHostScript(t *testing.T, folder, name, body string) string {
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

func (h *fakeHost) inside(path string) bool {
	relative, err := filepath.Rel(h.root, path)
	return err == nil && filepath.IsAbs(path) && !strings.HasPrefix(relative, "..")
}

func (h *fakeHost) LookPath(name string) (string, error) {
	for _, folder := range filepath.SplitList(h.Getenv("PATH")) {
		candidate := filepath.Join(folder, name)
		if !h.inside(candidate) {
			continue
		}
		info, err := os.Stat(candidate)
		if err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
}

func (h *fakeHost) Stat(path string) (fs.FileInfo, error) {
	if !h.inside(path) {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
	}
	return os.Stat(path)
}

func (h *fakeHost) Access(path string, mode uint32) error {
	if !h.inside(path) {
		return &fs.PathError{Op: "access", Path: path, Err: fs.ErrNotExist}
	}
	return syscall.Access(path, mode)
}

func (h *fakeHost) Geteuid() int   { return 1000 }
func (h *fakeHost) GOOS() string   { return h.goos }
func (h *fakeHost) GOARCH() string { return "arm64" }

func (h *fakeHost) Getenv(key string) string {
	h.mutex.Lock()
	defer h.mutex.Unlock()
	return h.env[key]
}

func (h *fakeHost) Setenv(key, value string) error {
	if key == "" {
		return errors.New("empty variable name")
	}
	h.mutex.Lock()
	defer h.mutex.Unlock()
	h.env[key] = value
	return nil
}

func (h *fakeHost) Environ() []string {
	h.mutex.Lock()
	defer h.mutex.Unlock()
	environment := make([]string, 0, len(h.env))
	for key, value := range h.env {
		environment = append(environment, key+"="+value)
	}
	sort.Strings(environment)
	return environment
}
