package ui

import (
	"errors"
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

// errTooLarge marks a number too large for an int, which strconv rejects
// with ErrRange.
var errTooLarge = errors.New("too large")

// parseWholeNumber reads a field that takes a whole number.
func parseWholeNumber(field, text string) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, fmt.Errorf("%s is empty: enter a whole number", field)
	}
	n, err := strconv.Atoi(text)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s %q is %w", field, text, errTooLarge)
	}
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a whole number", field, text)
	}
	return n, nil
}

// outOfRange returns the error of a number outside its bounds. The range
// sentence is the same whether the number is merely out of bounds or too
// large to read, so both tell the user what to enter.
func outOfRange(err error, field, text, bounds string) error {
	if errors.Is(err, errTooLarge) {
		return fmt.Errorf("%s %q is too large: enter a number %s", field, strings.TrimSpace(text), bounds)
	}
	return fmt.Errorf("%s must be %s", field, bounds)
}

// parseCPUs reads the CPU count: 1 to the host's cores.
func parseCPUs(text string, hostCPUs int) (int, error) {
	bounds := fmt.Sprintf("from 1 to %d, the number of this host's cores", hostCPUs)
	n, err := parseWholeNumber("CPUs", text)
	if errors.Is(err, errTooLarge) {
		return 0, outOfRange(err, "CPUs", text, bounds)
	}
	if err != nil {
		return 0, err
	}
	if n < 1 || n > hostCPUs {
		return 0, outOfRange(nil, "CPUs", text, bounds)
	}
	return n, nil
}

// parseMemory reads the memory size in GiB: at least 1, and at most the
// host's memory when it is known (hostGiB > 0).
func parseMemory(text string, hostGiB int) (int, error) {
	bounds := fmt.Sprintf("at least %d GiB", minMemoryGiB)
	if hostGiB > 0 {
		bounds = fmt.Sprintf("from %d to %d GiB, the memory of this host", minMemoryGiB, hostGiB)
	}
	n, err := parseWholeNumber("memory", text)
	if errors.Is(err, errTooLarge) {
		if hostGiB > 0 {
			return 0, outOfRange(err, "memory", text, bounds)
		}
		return 0, fmt.Errorf("memory %q is too large", strings.TrimSpace(text))
	}
	if err != nil {
		return 0, err
	}
	if n < minMemoryGiB || (hostGiB > 0 && n > hostGiB) {
		return 0, outOfRange(nil, "memory", text, bounds)
	}
	return n, nil
}

// parseDisk reads the disk size in GiB.
func parseDisk(text string) (int, error) {
	n, err := parseWholeNumber("disk", text)
	if errors.Is(err, errTooLarge) {
		return 0, fmt.Errorf("disk %q is too large: enter at most %d GiB (16 TiB)", strings.TrimSpace(text), maxDiskGiB)
	}
	if err != nil {
		return 0, err
	}
	if n < minDiskGiB {
		return 0, fmt.Errorf("disk must be at least %d GiB: Ubuntu and an agent's tools need that much", minDiskGiB)
	}
	if n > maxDiskGiB {
		return 0, fmt.Errorf("disk must be at most %d GiB (16 TiB): a larger size is most likely a typing mistake", maxDiskGiB)
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
