package host

import (
	"fmt"
	"io/fs"
	"os/user"
	"strconv"
)

// kvmDevice is the device through which QEMU uses the CPU's
// virtualization on Linux.
const kvmDevice = "/dev/kvm"

// groupName returns the name of the group with the given ID. Tests replace
// it, because the groups of the test machine are not theirs to choose.
var groupName = func(gid uint32) (string, error) {
	group, err := user.LookupGroupId(strconv.FormatUint(uint64(gid), 10))
	if err != nil {
		return "", err
	}
	return group.Name, nil
}

// checkKVM warns when QEMU cannot use KVM, because QEMU then emulates the
// CPU in software.
func checkKVM(sys System) *Notice {
	const reason = "Without KVM, QEMU emulates the CPU in software and VMs run many times slower."
	info, err := sys.Stat(kvmDevice)
	if err != nil {
		if isNotExist(err) {
			return &Notice{
				Message: kvmDevice + " does not exist",
				Reason:  reason,
				Action: "Enable virtualization (Intel VT-x or AMD-V) in the firmware settings and load the " +
					"kvm_intel or kvm_amd module. Inside a VM, enable nested virtualization on its host.",
			}
		}
		return &Notice{
			Message: fmt.Sprintf("%s cannot be checked: %v", kvmDevice, err),
			Reason:  reason,
			Action:  "Check that " + kvmDevice + " exists and that your user may read and write it.",
		}
	}
	if err := sys.Access(kvmDevice, AccessRead|AccessWrite); err != nil {
		notice := kvmAccessAdvice(info)
		notice.Message = kvmDevice + " is not readable and writable by your user"
		notice.Reason = reason
		return &notice
	}
	return nil
}

// kvmAccessAdvice says how the user gets access to the device, by the
// group that owns it. Joining root's group is no answer, so then the host
// itself must grant access.
func kvmAccessAdvice(info fs.FileInfo) Notice {
	gid, ok := fileGroupID(info)
	if !ok {
		return Notice{Action: "Ask for access to " + kvmDevice + " on this host, usually by joining the group that owns it (see ls -l " + kvmDevice + "), then log in again."}
	}
	if gid == 0 {
		return Notice{Action: kvmDevice + " belongs to the root group, so joining a group does not help: the host must give your user access, " +
			"for example by installing the distribution's kvm package, which adds a kvm group, or with a udev rule for " + kvmDevice + "."}
	}
	name, err := groupName(gid)
	if err != nil {
		return Notice{Action: fmt.Sprintf("%s belongs to group ID %d, which has no name on this host: the host must give your user access, "+
			"for example with a udev rule for %s.", kvmDevice, gid, kvmDevice)}
	}
	return Notice{
		Action:  fmt.Sprintf("Add your user to the group %q, which owns %s, then log out and in again:", name, kvmDevice),
		Command: "sudo usermod -aG " + shellQuote(name) + " $USER",
	}
}
