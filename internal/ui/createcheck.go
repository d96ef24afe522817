package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/japacx/aisand/internal/lima"
)

// Limits of the New VM wizard's sizes, in GiB.
const (
	minMemoryGiB = 1
	// minDiskGiB leaves room for the Ubuntu image (about 3.5 GiB) and the
	// packages an agent installs.
	minDiskGiB = 10
	// maxDiskGiB (16 TiB) only keeps typing mistakes out: the disk image
	// is sparse, so any size up to it is accepted.
	maxDiskGiB = 16384
)

// checkNewName checks a new instance's name as limactl would, and that no
// instance in existing has it already, ignoring case.
func checkNewName(name, limaHome, goos string, existing []lima.Instance) error {
	if err := lima.ValidateName(name, limaHome, goos); err != nil {
		return err
	}
	if inst, taken := lima.NameTaken(name, existing); taken {
		if inst.Name == name {
			return fmt.Errorf("a VM named %q already exists: choose another name", name)
		}
		return fmt.Errorf("the VM %q already exists, and names are compared without case: choose another name", inst.Name)
	}
	return nil
}

// nameWarning returns a warning about a valid name, or "" when there is
// none: two VMs whose guests get the same host name can both run, but
// may be confused on the network.
func nameWarning(name string, existing []lima.Instance) string {
	if name == "" {
		return ""
	}
	other, clash := lima.HostnameClash(name, existing)
	if !clash {
		return ""
	}
	return fmt.Sprintf("the guest host name %s is already used by the VM %q", lima.GuestHostname(name), other.Name)
}

// parseWholeNumber reads a field that takes a whole number.
func parseWholeNumber(field, text string) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, fmt.Errorf("%s is empty: enter a whole number", field)
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a whole number", field, text)
	}
	return n, nil
}

// parseCPUs reads the CPU count: 1 to the host's cores.
func parseCPUs(text string, hostCPUs int) (int, error) {
	n, err := parseWholeNumber("CPUs", text)
	if err != nil {
		return 0, err
	}
	if n < 1 || n > hostCPUs {
		return 0, fmt.Errorf("CPUs must be from 1 to %d, the number of this host's cores", hostCPUs)
	}
	return n, nil
}

// parseMemory reads the memory size in GiB: at least 1, and at most the
// host's memory when it is known (hostGiB > 0).
func parseMemory(text string, hostGiB int) (int, error) {
	n, err := parseWholeNumber("memory", text)
	if err != nil {
		return 0, err
	}
	if hostGiB > 0 && (n < minMemoryGiB || n > hostGiB) {
		return 0, fmt.Errorf("memory must be from %d to %d GiB, the memory of this host", minMemoryGiB, hostGiB)
	}
	if n < minMemoryGiB {
		return 0, fmt.Errorf("memory must be at least %d GiB", minMemoryGiB)
	}
	return n, nil
}

// parseDisk reads the disk size in GiB.
func parseDisk(text string) (int, error) {
	n, err := parseWholeNumber("disk", text)
	if err != nil {
		return 0, err
	}
	if n < minDiskGiB || n > maxDiskGiB {
		return 0, fmt.Errorf("disk must be from %d to %d GiB: Ubuntu and an agent's tools need at least %d GiB", minDiskGiB, maxDiskGiB, minDiskGiB)
	}
	return n, nil
}

// checkNewFolder checks a folder to mount read-write next to the folders
// already chosen, and returns its resolved path.
func checkNewFolder(checker lima.FolderChecker, input string, chosen []string) (string, error) {
	existing := make([]lima.Mount, len(chosen))
	for i, folder := range chosen {
		existing[i] = lima.Mount{Location: folder, MountPoint: folder, Writable: true}
	}
	return checker.Check(strings.TrimSpace(input), existing)
}

// mountFlags returns the create flags that mount home read-only and
// folders read-write, or nil when no folder is chosen, which keeps the
// template's own mounts.
//
// They use --mount-only, which replaces the template's mounts, because
// limactl 2.2.0 puts --mount entries before the template's: the home mount
// would then come after a folder inside it in the guest's /etc/fstab and
// hide that folder.
func mountFlags(home string, folders []string) ([]string, error) {
	if len(folders) == 0 {
		return nil, nil
	}
	mounts := []lima.Mount{{Location: home, MountPoint: home}}
	for _, folder := range folders {
		mounts = append(mounts, lima.Mount{Location: folder, MountPoint: folder, Writable: true})
	}
	value, err := lima.MountOnlyArg(mounts)
	if err != nil {
		return nil, err
	}
	return []string{"--mount-only", value}, nil
}
