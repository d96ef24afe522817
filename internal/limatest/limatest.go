// Package limatest runs tests against a fake limactl: a program built from
// ./fakelimactl that keeps its instances in a temporary state folder and
// prints what limactl 2.2.0 prints.
package limatest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

// Instance, Mount and Fault are the fake's stored shapes; see fakestate.
type (
	Instance = fakestate.Instance
	Mount    = fakestate.Mount
	Fault    = fakestate.Fault
	Call     = fakestate.Call
)

// Instance statuses for AddInstance.
const (
	Stopped = fakestate.StatusStopped
	Running = fakestate.StatusRunning
	Broken  = fakestate.StatusBroken
)

// buildTimeout bounds `go build` of the fake.
const buildTimeout = 5 * time.Minute

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Build compiles the fake limactl once per test process and returns the
// path of the binary. The binary lives in a temporary folder that is not
// removed, because later tests of the same process reuse it.
func Build(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildPath, buildErr = build()
	})
	readFakeSources(t)
	if buildErr != nil {
		t.Fatalf("build the fake limactl: %v", buildErr)
	}
	return buildPath
}

// readFakeSources reads the fake's source files from inside the calling
// test. go test caches a result by the files a test opens, and the fake is
// built by a separate go build, so without this a changed fake could leave
// a stale cached pass.
func readFakeSources(t testing.TB) {
	_, thisFile, _, _ := runtime.Caller(0)
	for _, dir := range []string{"fakelimactl", "fakestate"} {
		files, err := filepath.Glob(filepath.Join(filepath.Dir(thisFile), dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if _, err := os.ReadFile(f); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func build() (string, error) {
	_, thisFile, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the limatest package source")
	}
	dir, err := os.MkdirTemp("", "fakelimactl-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "limactl")
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-o", bin, "./fakelimactl")
	// No VCS stamp: git may reject a checkout owned by another user.
	cmd.Dir = filepath.Dir(thisFile)
	cmd.Stdin = nil
	output, err := cmd.CombinedOutput()
	if err != nil {
		return "", errors.New(err.Error() + ": " + string(output))
	}
	return bin, nil
}

// Fake is one fake limactl setup: the binary, its state folder, and the
// LIMA_HOME and HOME it is run with. LimaHome and Home may be set to plain
// strings that do not exist, because the fake never writes there.
type Fake struct {
	Bin      string
	State    string
	LimaHome string
	Home     string
}

// New builds the fake and gives it fresh temporary folders, removed when
// the test ends.
func New(t testing.TB) *Fake {
	t.Helper()
	root := t.TempDir()
	f := &Fake{
		Bin:      Build(t),
		State:    filepath.Join(root, "state"),
		LimaHome: filepath.Join(root, "home", ".lima"),
		Home:     filepath.Join(root, "home"),
	}
	if err := os.MkdirAll(f.State, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(f.Home, 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// Env returns the variables the fake needs. Callers append them to their
// own environment; FAKE_LIMACTL_ALLOW_ROOT is set because CI runs as root.
func (f *Fake) Env() []string {
	return []string{
		fakestate.EnvState + "=" + f.State,
		fakestate.EnvAllowRoot + "=1",
		"LIMA_HOME=" + f.LimaHome,
		"HOME=" + f.Home,
	}
}

// Command returns a command that runs the fake with args, the caller's
// environment plus Env, and no stdin.
func (f *Fake) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, f.Bin, args...)
	cmd.Env = append(os.Environ(), f.Env()...)
	cmd.Stdin = nil
	return cmd
}

// InstanceOption changes an instance before AddInstance stores it.
type InstanceOption func(*Instance)

// WithCPUs sets the number of CPUs.
func WithCPUs(cpus int) InstanceOption { return func(i *Instance) { i.CPUs = cpus } }

// WithMemory sets the memory size as lima.yaml writes it, such as "2GiB".
func WithMemory(size string) InstanceOption { return func(i *Instance) { i.Memory = size } }

// WithDisk sets the disk size as lima.yaml writes it, such as "12GiB".
func WithDisk(size string) InstanceOption { return func(i *Instance) { i.Disk = size } }

// WithMounts replaces the mounts; the default is the fake's HOME read-only.
func WithMounts(mounts ...Mount) InstanceOption {
	return func(i *Instance) { i.Mounts = append([]Mount{}, mounts...) }
}

// WithSSHLocalPort sets the SSH port, which limactl keeps showing after a stop.
func WithSSHLocalPort(port int) InstanceOption { return func(i *Instance) { i.SSHLocalPort = port } }

// WithPIDs sets the host agent and driver process ids shown while Running.
func WithPIDs(hostAgent, driver int) InstanceOption {
	return func(i *Instance) { i.HostAgentPID, i.DriverPID = hostAgent, driver }
}

// WithUser sets the guest user name and uid; the home becomes /home/NAME.guest.
func WithUser(name string, uid int) InstanceOption {
	return func(i *Instance) { i.User = fakestate.User{Name: name, Home: "/home/" + name + ".guest", UID: uid} }
}

// WithArch sets the guest architecture, such as "x86_64" or "aarch64".
func WithArch(arch string) InstanceOption {
	return func(i *Instance) {
		i.Arch = arch
		i.Images = fakestate.LocalImages(arch)
	}
}

// AddInstance stores an instance with the fake's defaults for a local
// template (2 CPUs, 4GiB, 100GiB, HOME mounted read-only) changed by opts.
// status is Stopped, Running or Broken; a Running instance gets an SSH
// port and process ids unless opts set them.
func (f *Fake) AddInstance(t testing.TB, name, status string, opts ...InstanceOption) Instance {
	t.Helper()
	inst := fakestate.NewInstance(name, f.Home)
	inst.Status = status
	if status == Running {
		inst.SSHLocalPort, inst.HostAgentPID, inst.DriverPID = 60022, 4242, 4263
	}
	for _, opt := range opts {
		opt(&inst)
	}
	if err := fakestate.SaveInstance(f.State, inst); err != nil {
		t.Fatal(err)
	}
	return inst
}

// Instance returns the stored state of an instance and whether it exists.
func (f *Fake) Instance(t testing.TB, name string) (Instance, bool) {
	t.Helper()
	inst, err := fakestate.LoadInstance(f.State, name)
	if errors.Is(err, os.ErrNotExist) {
		return inst, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return inst, true
}

// Template returns the template text create received for an instance, or
// "" when there is none. For a `template:NAME` locator it is the locator.
func (f *Fake) Template(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(fakestate.TemplatePath(f.State, name))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Calls returns the logged calls in order.
func (f *Fake) Calls(t testing.TB) []Call {
	t.Helper()
	calls, err := fakestate.ReadCalls(f.State)
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

// SetFault makes calls matching key behave as fault describes. key is a command
// name ("start") or "command:instance" ("start:fx1"), which wins.
func (f *Fake) SetFault(t testing.TB, key string, fault Fault) {
	t.Helper()
	faults, err := fakestate.LoadFaults(f.State)
	if err != nil {
		t.Fatal(err)
	}
	faults[key] = fault
	if err := fakestate.SaveFaults(f.State, faults); err != nil {
		t.Fatal(err)
	}
}

// GuestDir returns the folder that simulates an instance's guest for
// `limactl shell`: home/ is the guest HOME, bin/ is first on PATH, and an
// executable file named handler, if present, runs every command instead.
func (f *Fake) GuestDir(name string) string {
	return fakestate.GuestDir(f.State, name)
}

// SetGuestHandler writes an executable handler script for an instance's guest.
func (f *Fake) SetGuestHandler(t testing.TB, name, script string) {
	t.Helper()
	dir := f.GuestDir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "handler"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// FatalLine returns a logfmt fatal line as limactl prints it, for a fault's
// Stderr. The time is fixed, because callers should not depend on it.
func FatalLine(msg string) string {
	return `time="2026-01-01T00:00:00Z" level=fatal msg=` + logfmtValue(msg) + "\n"
}

// logfmtValue quotes a value as logrus does: bare when it holds only
// letters, digits and -._/@^+ (or is empty), else as a Go string literal.
func logfmtValue(s string) string {
	for _, r := range s {
		bare := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("-._/@^+", r)
		if !bare {
			return strconv.Quote(s)
		}
	}
	return s
}
