package host

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/host/hosttest"
)

// The fake in hosttest stands in for System in these tests.
var _ System = (*hosttest.System)(nil)

// installLinuxPrograms writes fake limactl, QEMU and brew programs into the
// fake's bin folder.
func installLinuxPrograms(t *testing.T, fake *hosttest.System) {
	t.Helper()
	hosttest.WriteProgram(t, fake.Bin, "limactl", `echo "limactl version 2.2.0"`)
	hosttest.WriteProgram(t, fake.Bin, "qemu-system-x86_64", `echo "QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)"; echo "Copyright (c) 2003-2023"`)
	hosttest.WriteProgram(t, fake.Bin, "qemu-img", `echo "qemu-img version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)"`)
	hosttest.WriteProgram(t, fake.Bin, "brew", `echo "Homebrew 4.5.8"; echo "Homebrew/homebrew-core (git revision 1a2b)"`)
}

func mustDependency(t *testing.T, report Report, name string) Dependency {
	t.Helper()
	dependency, ok := report.Dependency(name)
	if !ok {
		t.Fatalf("report has no dependency %q; it has %v", name, dependencyNames(report))
	}
	return dependency
}

func dependencyNames(report Report) []string {
	var names []string
	for _, dependency := range report.Dependencies {
		names = append(names, dependency.Name)
	}
	return names
}

func TestCheckLinuxAllFound(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)

	report := Check(context.Background(), fake)

	if got, want := strings.Join(dependencyNames(report), ","), "limactl,qemu-system-x86_64,qemu-img,brew"; got != want {
		t.Errorf("dependencies = %s, want %s", got, want)
	}
	if !report.Ready() {
		t.Errorf("Ready() = false, missing %v, blocker %v", report.Missing(), report.Blocker)
	}
	if report.CanInstall() {
		t.Error("CanInstall() = true with nothing missing")
	}
	if len(report.Warnings) != 0 {
		t.Errorf("warnings = %v, want none", report.Warnings)
	}
	cases := []struct{ name, version, line string }{
		{"limactl", "2.2.0", "limactl version 2.2.0"},
		{"qemu-system-x86_64", "8.2.2", "QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)"},
		{"qemu-img", "8.2.2", "qemu-img version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)"},
		{"brew", "4.5.8", "Homebrew 4.5.8"},
	}
	for _, c := range cases {
		dependency := mustDependency(t, report, c.name)
		if dependency.State != Found {
			t.Errorf("%s: state = %v (%s), want found", c.name, dependency.State, dependency.Problem)
		}
		if want := filepath.Join(fake.Bin, c.name); dependency.Path != want {
			t.Errorf("%s: path = %q, want %q", c.name, dependency.Path, want)
		}
		if dependency.Version != c.version {
			t.Errorf("%s: version = %q, want %q", c.name, dependency.Version, c.version)
		}
		if dependency.VersionLine != c.line {
			t.Errorf("%s: version line = %q, want %q", c.name, dependency.VersionLine, c.line)
		}
		if dependency.Problem != "" {
			t.Errorf("%s: problem = %q, want none", c.name, dependency.Problem)
		}
	}
	if brew := mustDependency(t, report, "brew"); brew.Required {
		t.Error("brew is required; it should only be needed to install")
	}
}

func TestCheckLinuxArm64QemuName(t *testing.T) {
	fake := hosttest.New(t, "linux", "arm64")
	hosttest.WriteProgram(t, fake.Bin, "qemu-system-aarch64", `echo "QEMU emulator version 9.0.0"`)

	report := Check(context.Background(), fake)

	qemu := mustDependency(t, report, "qemu-system-aarch64")
	if qemu.State != Found {
		t.Errorf("state = %v (%s), want found", qemu.State, qemu.Problem)
	}
	if qemu.Version != "9.0.0" {
		t.Errorf("version = %q, want 9.0.0", qemu.Version)
	}
	if _, ok := report.Dependency("qemu-system-x86_64"); ok {
		t.Error("arm64 host checks for qemu-system-x86_64")
	}
}

func TestCheckLinuxNothingFound(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")

	report := Check(context.Background(), fake)

	if report.Ready() {
		t.Error("Ready() = true with nothing installed")
	}
	if !report.CanInstall() {
		t.Error("CanInstall() = false although Homebrew can install everything")
	}
	var missing []string
	for _, dependency := range report.Missing() {
		missing = append(missing, dependency.Name)
	}
	if got, want := strings.Join(missing, ","), "limactl,qemu-system-x86_64,qemu-img"; got != want {
		t.Errorf("missing = %s, want %s", got, want)
	}
	for _, dependency := range report.Dependencies {
		if dependency.State != Missing {
			t.Errorf("%s: state = %v, want missing", dependency.Name, dependency.State)
		}
		if dependency.Path != "" {
			t.Errorf("%s: path = %q, want empty", dependency.Name, dependency.Path)
		}
		if !strings.Contains(dependency.Problem, "not found") {
			t.Errorf("%s: problem = %q, want it to say not found", dependency.Name, dependency.Problem)
		}
	}
	if formula := mustDependency(t, report, "qemu-img").Formula; formula != "qemu" {
		t.Errorf("qemu-img formula = %q, want qemu", formula)
	}
	if formula := mustDependency(t, report, "limactl").Formula; formula != "lima" {
		t.Errorf("limactl formula = %q, want lima", formula)
	}
}

func TestCheckDarwinDependencies(t *testing.T) {
	fake := hosttest.New(t, "darwin", "arm64")
	fake.KVM = hosttest.KVMMissing
	hosttest.WriteProgram(t, fake.Bin, "limactl", `echo "limactl version 2.2.0"`)
	hosttest.WriteProgram(t, fake.Bin, "brew", `echo "Homebrew 4.5.8"`)

	report := Check(context.Background(), fake)

	if got, want := strings.Join(dependencyNames(report), ","), "limactl,brew"; got != want {
		t.Errorf("dependencies = %s, want %s", got, want)
	}
	if !report.Ready() {
		t.Errorf("Ready() = false, missing %v", report.Missing())
	}
	if len(report.Warnings) != 0 {
		t.Errorf("warnings = %v, want none: /dev/kvm matters on Linux only", report.Warnings)
	}
}

func TestCheckDarwinLimaMissing(t *testing.T) {
	fake := hosttest.New(t, "darwin", "amd64")

	report := Check(context.Background(), fake)

	if report.Ready() {
		t.Error("Ready() = true without limactl")
	}
	if !report.CanInstall() {
		t.Error("CanInstall() = false although brew can install lima")
	}
	if brew := mustDependency(t, report, "brew"); brew.State != Missing {
		t.Errorf("brew state = %v, want missing", brew.State)
	}
}

func TestCheckKVMStates(t *testing.T) {
	cases := []struct {
		name    string
		state   hosttest.KVMState
		warning string
	}{
		{"usable", hosttest.KVMUsable, ""},
		{"missing", hosttest.KVMMissing, "/dev/kvm does not exist"},
		{"not accessible", hosttest.KVMDenied, "/dev/kvm is not readable and writable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := hosttest.New(t, "linux", "amd64")
			installLinuxPrograms(t, fake)
			fake.KVM = c.state

			report := Check(context.Background(), fake)

			if !report.Ready() {
				t.Errorf("Ready() = false; a /dev/kvm problem must only warn")
			}
			if c.warning == "" {
				if len(report.Warnings) != 0 {
					t.Errorf("warnings = %v, want none", report.Warnings)
				}
				return
			}
			if len(report.Warnings) != 1 {
				t.Fatalf("warnings = %v, want one", report.Warnings)
			}
			warning := report.Warnings[0]
			if !strings.HasPrefix(warning.Message, c.warning) {
				t.Errorf("message = %q, want prefix %q", warning.Message, c.warning)
			}
			if !strings.Contains(warning.Reason, "slower") {
				t.Errorf("reason = %q, want it to say VMs run slower", warning.Reason)
			}
			if warning.Action == "" {
				t.Error("action is empty")
			}
		})
	}
}

func TestCheckRootRefused(t *testing.T) {
	saved := allowRootForTests
	t.Cleanup(func() { allowRootForTests = saved })
	allowRootForTests = ""
	fake := hosttest.New(t, "linux", "amd64")
	marker := filepath.Join(fake.Root, "limactl-ran")
	hosttest.WriteProgram(t, fake.Bin, "limactl", `echo ran > "`+marker+`"; echo "limactl: must not run as the root user" >&2; exit 1`)
	fake.EUID = 0

	report := Check(context.Background(), fake)

	if report.Blocker == nil {
		t.Fatal("no blocker for root")
	}
	if !strings.Contains(report.Blocker.Reason, "limactl: must not run as the root user") {
		t.Errorf("reason = %q, want limactl's message", report.Blocker.Reason)
	}
	if !strings.Contains(report.Blocker.Action, "your own user") {
		t.Errorf("action = %q, want it to say to run as your own user", report.Blocker.Action)
	}
	if report.Ready() {
		t.Error("Ready() = true as root")
	}
	if report.CanInstall() {
		t.Error("CanInstall() = true as root")
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("limactl was run as root")
	}
	if limactl := mustDependency(t, report, "limactl"); limactl.State != Found {
		t.Errorf("limactl state = %v, want found even as root", limactl.State)
	}
}

func TestCheckRootAllowedForTests(t *testing.T) {
	saved := allowRootForTests
	t.Cleanup(func() { allowRootForTests = saved })
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	fake.EUID = 0

	allowRootForTests = "yes"
	report := Check(context.Background(), fake)
	if report.Blocker != nil {
		t.Errorf("blocker = %v with allowRootForTests=yes", report.Blocker)
	}
	if !report.Ready() {
		t.Errorf("Ready() = false, missing %v", report.Missing())
	}

	allowRootForTests = "true"
	if report := Check(context.Background(), fake); report.Blocker == nil {
		t.Error("a value other than yes bypassed the root check")
	}
}

func TestCheckAisandLimactl(t *testing.T) {
	cases := []struct {
		name       string
		value      func(fake *hosttest.System) string
		state      State
		problem    string
		canInstall bool
	}{
		{
			name: "file outside PATH",
			value: func(fake *hosttest.System) string {
				return hosttest.WriteProgram(t, filepath.Join(fake.Root, "other"), "limactl", `echo "limactl version 1.2.1"`)
			},
			state: Found,
		},
		{
			name: "name on PATH",
			value: func(fake *hosttest.System) string {
				hosttest.WriteProgram(t, fake.Bin, "limactl-nightly", `echo "limactl version 1.2.1"`)
				return "limactl-nightly"
			},
			state: Found,
		},
		{
			name:    "file does not exist",
			value:   func(fake *hosttest.System) string { return filepath.Join(fake.Root, "nowhere", "limactl") },
			state:   Missing,
			problem: "does not exist",
		},
		{
			name: "file not executable",
			value: func(fake *hosttest.System) string {
				path := filepath.Join(fake.Root, "limactl.txt")
				if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return path
			},
			state:   Missing,
			problem: "not executable",
		},
		{
			name:    "folder",
			value:   func(fake *hosttest.System) string { return fake.Home },
			state:   Missing,
			problem: "folder",
		},
		{
			name:    "name not on PATH",
			value:   func(fake *hosttest.System) string { return "limactl-nowhere" },
			state:   Missing,
			problem: "not found on PATH",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := hosttest.New(t, "linux", "amd64")
			installLinuxPrograms(t, fake)
			value := c.value(fake)
			fake.Setenv("AISAND_LIMACTL", value)

			report := Check(context.Background(), fake)

			limactl := mustDependency(t, report, "limactl")
			if limactl.State != c.state {
				t.Fatalf("state = %v (%s), want %v", limactl.State, limactl.Problem, c.state)
			}
			if limactl.Override != "AISAND_LIMACTL" {
				t.Errorf("override = %q, want AISAND_LIMACTL", limactl.Override)
			}
			if c.state == Found {
				if limactl.Path == filepath.Join(fake.Bin, "limactl") {
					t.Error("used the limactl on PATH instead of AISAND_LIMACTL")
				}
				if limactl.Version != "1.2.1" {
					t.Errorf("version = %q, want 1.2.1 from the named program", limactl.Version)
				}
				return
			}
			if !strings.Contains(limactl.Problem, c.problem) {
				t.Errorf("problem = %q, want it to contain %q", limactl.Problem, c.problem)
			}
			if !strings.Contains(limactl.Problem, "AISAND_LIMACTL") {
				t.Errorf("problem = %q, want it to name AISAND_LIMACTL", limactl.Problem)
			}
			if limactl.Formula != "" {
				t.Errorf("formula = %q, want none: installing lima does not fix AISAND_LIMACTL", limactl.Formula)
			}
			if report.CanInstall() {
				t.Error("CanInstall() = true although only AISAND_LIMACTL is wrong")
			}
		})
	}
}

func TestCheckQemuOverride(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	other := hosttest.WriteProgram(t, filepath.Join(fake.Root, "qemu"), "qemu-system-x86_64", `echo "QEMU emulator version 10.1.0"`)
	fake.Setenv("QEMU_SYSTEM_X86_64", other+" -some-debug-flag")

	report := Check(context.Background(), fake)

	qemu := mustDependency(t, report, "qemu-system-x86_64")
	if qemu.Path != other {
		t.Errorf("path = %q, want %q", qemu.Path, other)
	}
	if qemu.Version != "10.1.0" {
		t.Errorf("version = %q, want 10.1.0", qemu.Version)
	}
	if qemu.Override != "QEMU_SYSTEM_X86_64" {
		t.Errorf("override = %q, want QEMU_SYSTEM_X86_64", qemu.Override)
	}
}

func TestCheckBrokenVersionCall(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	hosttest.WriteProgram(t, fake.Bin, "limactl", `echo "starting"; echo "error while loading shared libraries: libfoo.so" >&2; exit 127`)

	report := Check(context.Background(), fake)

	limactl := mustDependency(t, report, "limactl")
	if limactl.State != Broken {
		t.Fatalf("state = %v, want broken", limactl.State)
	}
	if !strings.Contains(limactl.Problem, "exit status 127") {
		t.Errorf("problem = %q, want the exit status", limactl.Problem)
	}
	if !strings.Contains(limactl.Problem, "libfoo.so") {
		t.Errorf("problem = %q, want the last stderr line", limactl.Problem)
	}
	if report.Ready() {
		t.Error("Ready() = true with a broken limactl")
	}
	if report.CanInstall() {
		t.Error("CanInstall() = true for a broken, not missing, limactl")
	}
}

func TestCheckVersionCallTimesOut(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	hosttest.WriteProgram(t, fake.Bin, "qemu-img", `exec /bin/sleep 60`)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()

	report := Check(ctx, fake)

	qemuImg := mustDependency(t, report, "qemu-img")
	if qemuImg.State != Broken {
		t.Fatalf("state = %v, want broken", qemuImg.State)
	}
	if !strings.Contains(qemuImg.Problem, "timed out") {
		t.Errorf("problem = %q, want it to say timed out", qemuImg.Problem)
	}
}

func TestCheckVersionOnStderr(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	hosttest.WriteProgram(t, fake.Bin, "qemu-img", `echo "qemu-img version 7.0.0" >&2`)

	report := Check(context.Background(), fake)

	if version := mustDependency(t, report, "qemu-img").Version; version != "7.0.0" {
		t.Errorf("version = %q, want 7.0.0 from stderr", version)
	}
}

func TestCheckUnsupportedSystem(t *testing.T) {
	fake := hosttest.New(t, "windows", "amd64")

	report := Check(context.Background(), fake)

	if report.Blocker == nil {
		t.Fatal("no blocker on windows")
	}
	if !strings.Contains(report.Blocker.Message, "windows") {
		t.Errorf("message = %q, want it to name the system", report.Blocker.Message)
	}
	if len(report.Dependencies) != 0 {
		t.Errorf("dependencies = %v, want none", dependencyNames(report))
	}
	if report.Ready() || report.CanInstall() {
		t.Error("an unsupported system is reported ready or installable")
	}
}

func TestOSMatchesProcess(t *testing.T) {
	system := OS()
	if system.GOOS() != runtime.GOOS {
		t.Errorf("GOOS() = %q, want %q", system.GOOS(), runtime.GOOS)
	}
	if system.GOARCH() != runtime.GOARCH {
		t.Errorf("GOARCH() = %q, want %q", system.GOARCH(), runtime.GOARCH)
	}
	if system.Geteuid() != os.Geteuid() {
		t.Errorf("Geteuid() = %d, want %d", system.Geteuid(), os.Geteuid())
	}
	program := hosttest.WriteProgram(t, t.TempDir(), "tool", "exit 0")
	if err := system.Access(program, AccessExecute); err != nil {
		t.Errorf("Access(executable, execute) = %v, want nil", err)
	}
	if err := system.Access(filepath.Join(t.TempDir(), "absent"), AccessRead); err == nil {
		t.Error("Access(absent file) = nil, want an error")
	}
}

func TestCheckBrokenSuggestsFix(t *testing.T) {
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	hosttest.WriteProgram(t, fake.Bin, "qemu-img", `echo "qemu-img: missing libfoo" >&2; exit 1`)
	override := hosttest.WriteProgram(t, fake.Root, "my-limactl", `exit 3`)
	fake.Setenv("AISAND_LIMACTL", override)

	report := Check(context.Background(), fake)

	qemuImg := mustDependency(t, report, "qemu-img")
	if qemuImg.State != Broken || qemuImg.FixCommand != "brew reinstall qemu" || !strings.Contains(qemuImg.Fix, "Reinstall") {
		t.Errorf("qemu-img = %v, fix %q, command %q; want broken with brew reinstall qemu", qemuImg.State, qemuImg.Fix, qemuImg.FixCommand)
	}
	limactl := mustDependency(t, report, "limactl")
	if limactl.State != Broken || !strings.Contains(limactl.Fix, "unset it") || !strings.Contains(limactl.Fix, "AISAND_LIMACTL") {
		t.Errorf("limactl = %v, fix %q; want the variable to fix or unset", limactl.State, limactl.Fix)
	}
	if len(report.Broken()) != 2 {
		t.Errorf("Broken() = %v, want limactl and qemu-img", report.Broken())
	}
	if mustDependency(t, report, "qemu-system-x86_64").Fix != "" {
		t.Error("a working program has a fix")
	}
}
