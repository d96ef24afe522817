package host

import (
	"context"
	"fmt"
	"sync"
)

// allowRootForTests is set only by the linker, with
//
//	-ldflags "-X github.com/japacx/aisand/internal/host.allowRootForTests=yes"
//
// in the end-to-end tests, which run as root in CI. With "yes", Check treats
// root as an ordinary user. Nothing else bypasses the root check.
var allowRootForTests = ""

// requirement describes one program to look for.
type requirement struct {
	name     string
	purpose  string
	required bool
	formula  string
	// override is an environment variable that names the program to use
	// instead of the one on PATH.
	override string
	// overrideHasArguments means the override value may carry arguments
	// after the program, as Lima allows for QEMU_SYSTEM_<ARCH>.
	overrideHasArguments bool
}

// Check looks for the programs aisand needs on this operating system, runs
// each one's version call with a timeout, and returns what it found. When
// the report has a Blocker, such as root, no program is run. Check changes
// nothing on the host.
func Check(ctx context.Context, sys System) Report {
	report := Report{GOOS: sys.GOOS(), GOARCH: sys.GOARCH()}
	requirements, blocker := requirementsFor(report.GOOS, report.GOARCH)
	if blocker != nil {
		report.Blocker = blocker
		return report
	}
	report.Blocker = checkRoot(sys)

	brew, brewOnPath := FindBrew(sys)
	var extraFolders []string
	if brew != "" && !brewOnPath {
		report.BrewFolder = folderOf(brew)
		extraFolders = []string{report.BrewFolder}
		report.Warnings = append(report.Warnings, brewOffPathNotice(sys, brew))
	}

	// The version calls run concurrently because brew alone may take a
	// second or more, and the user waits for the report before anything
	// else appears.
	report.Dependencies = make([]Dependency, len(requirements))
	var wait sync.WaitGroup
	for i, req := range requirements {
		wait.Add(1)
		go func() {
			defer wait.Done()
			var dependency Dependency
			if req.name == "brew" {
				dependency = brewDependency(req, brew, brewOnPath)
			} else {
				dependency = locate(sys, req, extraFolders)
			}
			if dependency.State == Found && report.Blocker == nil {
				readVersion(ctx, sys, &dependency)
			}
			if dependency.State == Broken {
				suggestFix(&dependency)
			}
			report.Dependencies[i] = dependency
		}()
	}
	wait.Wait()

	if report.GOOS == "linux" {
		if notice := checkKVM(sys); notice != nil {
			report.Warnings = append(report.Warnings, *notice)
		}
	}
	return report
}

// requirementsFor lists the programs needed on goos, or returns a blocker
// for an operating system that Lima does not support.
func requirementsFor(goos, goarch string) ([]requirement, *Notice) {
	limactl := requirement{
		name:     "limactl",
		purpose:  "creates and runs the VMs (Lima)",
		required: true,
		formula:  "lima",
		override: "AISAND_LIMACTL",
	}
	brew := requirement{
		name:    "brew",
		purpose: "installs Lima and what it needs (Homebrew)",
	}
	switch goos {
	case "darwin":
		return []requirement{limactl, brew}, nil
	case "linux":
		qemuArch := qemuArchitecture(goarch)
		qemuSystem := requirement{
			name:                 "qemu-system-" + qemuArch,
			purpose:              "runs the VMs for Lima on Linux (QEMU)",
			required:             true,
			formula:              "qemu",
			override:             qemuOverrideVariable(qemuArch),
			overrideHasArguments: true,
		}
		qemuImg := requirement{
			name:     "qemu-img",
			purpose:  "creates the VM disks for Lima on Linux (QEMU)",
			required: true,
			formula:  "qemu",
		}
		return []requirement{limactl, qemuSystem, qemuImg, brew}, nil
	default:
		return nil, &Notice{
			Message: fmt.Sprintf("aisand does not support %s", goos),
			Reason:  "aisand runs its VMs with Lima, which aisand supports on macOS and Linux only.",
			Action:  "Run aisand on a macOS or Linux host.",
		}
	}
}

// qemuArchitecture maps a Go architecture to the suffix of the QEMU
// system emulator that Lima 2.2 starts for it (qemu-system-x86_64 for
// amd64, qemu-system-aarch64 for arm64).
func qemuArchitecture(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "ppc64le":
		return "ppc64"
	default:
		// arm, riscv64 and s390x have the same name in Go and QEMU.
		return goarch
	}
}

// qemuOverrideVariable returns the environment variable through which Lima
// 2.2 takes another QEMU system emulator, such as QEMU_SYSTEM_X86_64.
func qemuOverrideVariable(qemuArch string) string {
	upper := []byte(qemuArch)
	for i, c := range upper {
		if 'a' <= c && c <= 'z' {
			upper[i] = c - 'a' + 'A'
		}
	}
	return "QEMU_SYSTEM_" + string(upper)
}

// checkRoot refuses root because limactl exits at once when its effective
// user ID is 0.
func checkRoot(sys System) *Notice {
	if sys.Geteuid() != 0 || allowRootForTests == "yes" {
		return nil
	}
	return &Notice{
		Message: "aisand is running as root",
		Reason:  `limactl does not run as root: it prints "limactl: must not run as the root user" and exits.`,
		Action:  "Run aisand as your own user, without sudo.",
	}
}
