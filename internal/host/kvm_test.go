//go:build linux || darwin

package host

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/japacx/aisand/internal/host/hosttest"
)

// ownedInfo is a file owned by the group gid.
type ownedInfo struct {
	fs.FileInfo
	gid uint32
}

func (o ownedInfo) Sys() any { return &syscall.Stat_t{Gid: o.gid} }

// deniedKVM returns a Linux host whose /dev/kvm the user may not use and
// which is owned by gid. Group names come from names, not the test machine.
func deniedKVM(t *testing.T, gid uint32, names map[uint32]string) *hosttest.System {
	t.Helper()
	fake := hosttest.New(t, "linux", "amd64")
	installLinuxPrograms(t, fake)
	fake.KVM = hosttest.KVMDenied
	info, err := os.Stat(fake.Root)
	if err != nil {
		t.Fatal(err)
	}
	fake.KVMInfo = ownedInfo{FileInfo: info, gid: gid}
	saved := groupName
	t.Cleanup(func() { groupName = saved })
	groupName = func(gid uint32) (string, error) {
		if name, ok := names[gid]; ok {
			return name, nil
		}
		return "", errors.New("unknown group")
	}
	return fake
}

func kvmWarning(t *testing.T, fake *hosttest.System) Notice {
	t.Helper()
	report := Check(context.Background(), fake)
	if len(report.Warnings) != 1 {
		t.Fatalf("warnings = %v, want one about /dev/kvm", report.Warnings)
	}
	return report.Warnings[0]
}

func TestKVMAdviceNamesOwningGroup(t *testing.T) {
	fake := deniedKVM(t, 108, map[uint32]string{108: "libvirt-kvm"})

	warning := kvmWarning(t, fake)

	if !strings.Contains(warning.Action, `"libvirt-kvm"`) {
		t.Errorf("action = %q, want the owning group's name", warning.Action)
	}
	if strings.Contains(warning.Action, "usually") {
		t.Errorf("action = %q still guesses the group", warning.Action)
	}
	if warning.Command != "sudo usermod -aG libvirt-kvm $USER" {
		t.Errorf("command = %q, want usermod with libvirt-kvm", warning.Command)
	}
}

func TestKVMAdviceForRootGroup(t *testing.T) {
	fake := deniedKVM(t, 0, map[uint32]string{0: "root"})

	warning := kvmWarning(t, fake)

	if warning.Command != "" {
		t.Errorf("command = %q; joining root's group is no advice", warning.Command)
	}
	for _, want := range []string{"root group", "the host must give your user access", "udev rule"} {
		if !strings.Contains(warning.Action, want) {
			t.Errorf("action = %q, want %q", warning.Action, want)
		}
	}
}

func TestKVMAdviceForUnnamedGroup(t *testing.T) {
	fake := deniedKVM(t, 4242, nil)

	warning := kvmWarning(t, fake)

	if warning.Command != "" || !strings.Contains(warning.Action, "group ID 4242") {
		t.Errorf("action = %q, command = %q; want the group ID and no command", warning.Action, warning.Command)
	}
}
