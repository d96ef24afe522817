package limatest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs the fake with its own temporary folders and returns the result.
func run(t *testing.T, f *Fake, stdin string, args ...string) result {
	t.Helper()
	return runFake(t, f, t.TempDir(), stdin, args...)
}

func listOne(t *testing.T, f *Fake, name string) map[string]any {
	t.Helper()
	got := run(t, f, "", "list", "--format", "json", name)
	if got.exit != 0 {
		t.Fatalf("list exit = %d: %s", got.exit, got.stderr)
	}
	values := decodeStream(t, got.stdout)
	if len(values) != 1 {
		t.Fatalf("list printed %d instances, want 1", len(values))
	}
	return values[0]
}

func TestStartThenListShowsRunning(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "vm1", Stopped)
	if got := run(t, f, "", "start", "--tty=false", "vm1"); got.exit != 0 {
		t.Fatalf("start exit = %d: %s", got.exit, got.stderr)
	}
	entry := listOne(t, f, "vm1")
	if entry["status"] != Running {
		t.Errorf("status = %v, want Running", entry["status"])
	}
	if entry["hostAgentPID"] == nil || entry["sshLocalPort"] == nil {
		t.Errorf("running instance lacks hostAgentPID or sshLocalPort: %v", entry)
	}
	again := run(t, f, "", "start", "vm1")
	if again.exit != 0 || !strings.Contains(again.stderr, "is already running") {
		t.Errorf("second start = %d %q, want exit 0 and 'already running'", again.exit, again.stderr)
	}
}

func TestStopKeepsPortDropsPIDs(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "vm1", Running, WithSSHLocalPort(45000), WithPIDs(100, 121))
	if got := run(t, f, "", "stop", "vm1"); got.exit != 0 {
		t.Fatalf("stop exit = %d: %s", got.exit, got.stderr)
	}
	entry := listOne(t, f, "vm1")
	if entry["status"] != Stopped {
		t.Errorf("status = %v, want Stopped", entry["status"])
	}
	if entry["sshLocalPort"] != float64(45000) {
		t.Errorf("sshLocalPort = %v, want 45000 kept after stop", entry["sshLocalPort"])
	}
	if _, ok := entry["hostAgentPID"]; ok {
		t.Errorf("stopped instance still shows hostAgentPID: %v", entry["hostAgentPID"])
	}
}

func TestStopMissingInstance(t *testing.T) {
	f := New(t)
	got := run(t, f, "", "stop", "nosuch")
	if got.exit != 1 {
		t.Errorf("exit = %d, want 1", got.exit)
	}
	if want := "open " + f.LimaHome + "/nosuch/lima.yaml: no such file or directory"; !strings.Contains(got.stderr, want) {
		t.Errorf("stderr = %q, want it to contain %q", got.stderr, want)
	}
}

func TestEditMountOnlyReadsCSV(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "vm1", Stopped)
	spaced := filepath.Join(f.Home, "a,b")
	arg := `"` + spaced + `",~/work:w`
	if got := run(t, f, "", "edit", "--tty=false", "--mount-only", arg, "vm1"); got.exit != 0 {
		t.Fatalf("edit exit = %d: %s", got.exit, got.stderr)
	}
	inst, _ := f.Instance(t, "vm1")
	want := []Mount{
		{Location: spaced, MountPoint: spaced},
		{Location: filepath.Join(f.Home, "work"), MountPoint: filepath.Join(f.Home, "work"), Writable: true},
	}
	gotJSON, _ := json.Marshal(inst.Mounts)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("mounts = %s, want %s", gotJSON, wantJSON)
	}
}

func TestEditRejectedKeepsMounts(t *testing.T) {
	f := New(t)
	before := f.AddInstance(t, "vm1", Stopped)
	got := run(t, f, "", "edit", "--tty=false", "--mount-only", "/etc", "vm1")
	if got.exit != 1 || !strings.Contains(got.stderr, "must not be a system path") {
		t.Errorf("edit = %d %q, want exit 1 and the system path error", got.exit, got.stderr)
	}
	after, _ := f.Instance(t, "vm1")
	if len(after.Mounts) != len(before.Mounts) || after.Mounts[0] != before.Mounts[0] {
		t.Errorf("mounts changed by a rejected edit: %+v", after.Mounts)
	}
}

func TestCreateStoresTemplateAndCall(t *testing.T) {
	f := New(t)
	dir := t.TempDir()
	got := runFake(t, f, dir, "memory: 3GiB\n", "create", "--tty=false", "--name", "vm1", "--cpus", "4", "--disk", "20.5", "-")
	if got.exit != 0 {
		t.Fatalf("create exit = %d: %s", got.exit, got.stderr)
	}
	inst, ok := f.Instance(t, "vm1")
	if !ok {
		t.Fatal("create stored no instance")
	}
	if inst.CPUs != 4 || inst.Memory != "3GiB" || inst.Disk != "20.5GiB" || inst.Status != Stopped {
		t.Errorf("instance = %+v, want 4 CPUs, 3GiB, 20.5GiB, Stopped", inst)
	}
	if tmpl := f.Template(t, "vm1"); tmpl != "memory: 3GiB\n" {
		t.Errorf("template = %q", tmpl)
	}
	calls := f.Calls(t)
	if len(calls) != 1 {
		t.Fatalf("calls = %+v, want 1", calls)
	}
	if strings.Join(calls[0].Argv, " ") != "create --tty=false --name vm1 --cpus 4 --disk 20.5 -" {
		t.Errorf("argv = %q", calls[0].Argv)
	}
	if calls[0].Stdin != "memory: 3GiB\n" || calls[0].Dir != dir {
		t.Errorf("call = %+v, want the template as stdin and dir %s", calls[0], dir)
	}
}

func TestFaultKeyedOnceThenNormal(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "vm1", Stopped)
	f.AddInstance(t, "vm2", Stopped)
	f.SetFault(t, "start:vm1", Fault{Exit: 7, Stdout: "out\n", Stderr: FatalLine("boom"), Once: true})
	first := run(t, f, "", "start", "vm1")
	if first.exit != 7 || first.stdout != "out\n" || !strings.Contains(first.stderr, `msg=boom`) {
		t.Errorf("faulted start = %+v", first)
	}
	if inst, _ := f.Instance(t, "vm1"); inst.Status != Stopped {
		t.Errorf("faulted start changed status to %s", inst.Status)
	}
	if other := run(t, f, "", "start", "vm2"); other.exit != 0 {
		t.Errorf("start of another instance hit the fault: %+v", other)
	}
	if second := run(t, f, "", "start", "vm1"); second.exit != 0 {
		t.Errorf("once fault acted twice: %+v", second)
	}
	if calls := f.Calls(t); len(calls) != 3 {
		t.Errorf("logged %d calls, want 3 including the faulted one", len(calls))
	}
}

func TestFaultHangUntilKilled(t *testing.T) {
	f := New(t)
	f.SetFault(t, "list", Fault{Hang: true})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := f.Command(ctx, "list").Run()
	if ctx.Err() == nil {
		t.Errorf("hanging list returned %v before its context ended", err)
	}
}

func TestOfflineImageLeavesInstance(t *testing.T) {
	f := New(t)
	f.SetFault(t, "create:vm1", Fault{OfflineImage: true})
	got := run(t, f, "", "create", "--tty=false", "--name", "vm1", "template:ubuntu-25.10")
	if got.exit != 1 || !strings.Contains(got.stderr, "failed to download") {
		t.Errorf("create = %d %q, want exit 1 and a download error", got.exit, got.stderr)
	}
	if inst, ok := f.Instance(t, "vm1"); !ok || inst.Status != Stopped {
		t.Errorf("half-made instance = %+v (stored %v), want Stopped", inst, ok)
	}
}

// TestStartStreamsLines reads the first stderr line of a slow start and
// checks the instance is not Running yet, which shows lines arrive while
// the command still works rather than all at the end.
func TestStartStreamsLines(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "vm1", Stopped)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := f.Command(ctx, "start", "--tty=false", "vm1")
	cmd.Env = append(cmd.Env, "FAKE_LIMACTL_LINE_DELAY=100ms")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	if !lines.Scan() {
		t.Fatal("no stderr line")
	}
	if !strings.Contains(lines.Text(), "Using the existing instance") {
		t.Errorf("first line = %q", lines.Text())
	}
	if inst, _ := f.Instance(t, "vm1"); inst.Status != Stopped {
		t.Errorf("status after the first line = %s, want Stopped until the boot log ends", inst.Status)
	}
	count := 1
	for lines.Scan() {
		count++
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if count < 20 {
		t.Errorf("start printed %d lines, want the whole boot log", count)
	}
}

func TestShellHandlerGetsArgsAndStdin(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "vm1", Running)
	f.SetGuestHandler(t, "vm1", "#!/bin/sh\necho \"args=$*\"\necho \"home=$GUEST_HOME\"\ncat\nexit 5\n")
	got := run(t, f, "script-body\n", "shell", "--tty=false", "vm1", "--", "bash", "-s")
	if got.exit != 5 {
		t.Errorf("exit = %d, want the handler's 5", got.exit)
	}
	want := "args=bash -s\nhome=" + filepath.Join(f.GuestDir("vm1"), "home") + "\nscript-body\n"
	if got.stdout != want {
		t.Errorf("stdout = %q, want %q", got.stdout, want)
	}
	calls := f.Calls(t)
	if len(calls) != 1 || calls[0].Stdin != "script-body\n" {
		t.Errorf("calls = %+v, want the script logged as stdin", calls)
	}
}

func TestShellUsesGuestBinFirst(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "vm1", Running)
	bin := filepath.Join(f.GuestDir("vm1"), "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "tool"), []byte("#!/bin/sh\necho guest-tool \"$HOME\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := run(t, f, "", "shell", "vm1", "tool")
	want := "guest-tool " + filepath.Join(f.GuestDir("vm1"), "home") + "\n"
	if got.exit != 0 || got.stdout != want {
		t.Errorf("shell = %d %q, want 0 %q", got.exit, got.stdout, want)
	}
}

func TestDeleteBrokenKeepsItAndFails(t *testing.T) {
	f := New(t)
	f.AddInstance(t, "bad", Broken)
	got := run(t, f, "", "delete", "bad")
	if got.exit != 1 || !strings.Contains(got.stderr, "it was NOT deleted") {
		t.Errorf("delete = %d %q", got.exit, got.stderr)
	}
	if _, ok := f.Instance(t, "bad"); !ok {
		t.Error("broken instance was removed")
	}
}

func TestUnknownCommandFails(t *testing.T) {
	f := New(t)
	got := run(t, f, "", "frobnicate")
	if got.exit != 1 || !strings.Contains(got.stderr, `unknown command \"frobnicate\" for \"limactl\"`) {
		t.Errorf("unknown command = %d %q", got.exit, got.stderr)
	}
}

func TestVersionOverride(t *testing.T) {
	f := New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := f.Command(ctx, "--version")
	cmd.Env = append(cmd.Env, "FAKE_LIMACTL_VERSION=1.2.1")
	out, err := cmd.Output()
	if err != nil || string(out) != "limactl version 1.2.1\n" {
		t.Errorf("version = %q, %v", out, err)
	}
}

func TestMissingStateFolderExits2(t *testing.T) {
	f := New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, f.Bin, "list")
	cmd.Env = append(os.Environ(), "FAKE_LIMACTL_STATE=", "FAKE_LIMACTL_ALLOW_ROOT=1")
	err := cmd.Run()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 2 {
		t.Errorf("run without state = %v, want exit status 2", err)
	}
}

func TestRootRejectedWithoutAllowRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the root check needs root")
	}
	f := New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, f.Bin, "list")
	cmd.Env = append(os.Environ(), "FAKE_LIMACTL_STATE="+f.State, "FAKE_LIMACTL_ALLOW_ROOT=")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 1 {
		t.Errorf("run as root = %v, want exit status 1", err)
	}
	if stderr.String() != "limactl: must not run as the root user\n" {
		t.Errorf("stderr = %q", stderr.String())
	}
}
