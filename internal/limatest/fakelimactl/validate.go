package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/japacx/aisand/internal/limatest/fakestate"
)

// namePattern is Lima's identifier rule for instance names.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$`)

// validateName repeats Lima's dirnames.ValidateInstName.
func validateName(name string) error {
	var err error
	switch {
	case name == "":
		err = errors.New("identifier must not be empty")
	case len(name) > 76:
		err = fmt.Errorf("identifier %#q greater than maximum length (%d characters)", name, 76)
	case !namePattern.MatchString(name):
		err = fmt.Errorf("identifier %#q must match %v", name, namePattern)
	}
	if err != nil {
		return fmt.Errorf("instance name %#q is not a valid identifier: %w", name, err)
	}
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml") {
		return fmt.Errorf("instance name %#q must not end with .yml or .yaml suffix", name)
	}
	return nil
}

// unixPathMax is the socket path limit limactl checks against: 108 bytes on
// Linux, 104 on macOS and the BSDs.
func unixPathMax() int {
	if runtime.GOOS == "linux" || runtime.GOOS == "windows" {
		return 108
	}
	return 104
}

// checkSocketPath rejects a name whose longest ssh control socket path
// would exceed the UNIX socket path limit, as limactl's create and clone do.
func (a *app) checkSocketPath(name string) error {
	longest := filepath.Join(a.instanceDir(name), "ssh.sock.1234567890123456")
	if len(longest) >= unixPathMax() {
		return fmt.Errorf("instance name %#q too long: %#q must be less than UNIX_PATH_MAX=%d characters, but is %d",
			name, longest, unixPathMax(), len(longest))
	}
	return nil
}

// expandPath repeats Lima's localpathutil.Expand: "~" and "~/..." use the
// host home, then the path is made absolute against the working folder.
func (a *app) expandPath(orig string) (string, error) {
	s := orig
	if s == "" {
		return "", errors.New("empty path")
	}
	if strings.HasPrefix(s, "~") {
		if s != "~" && !strings.HasPrefix(s, "~/") {
			return "", fmt.Errorf("unexpandable path %#q", orig)
		}
		s = strings.Replace(s, "~", a.home, 1)
	}
	if !filepath.IsAbs(s) {
		s = filepath.Join(a.cwd, s)
	}
	return filepath.Clean(s), nil
}

// parseMountList turns --mount or --mount-only entries ("PATH" or
// "PATH:w") into mounts at the same path in the guest.
func (a *app) parseMountList(entries []string) ([]fakestate.Mount, error) {
	mounts := []fakestate.Mount{}
	for _, entry := range entries {
		writable := strings.HasSuffix(entry, ":w")
		location, err := a.expandPath(strings.TrimSuffix(entry, ":w"))
		if err != nil {
			return nil, err
		}
		mounts = append(mounts, fakestate.Mount{Location: location, MountPoint: location, Writable: writable})
	}
	return mounts, nil
}

// systemMountPoints are the guest paths Lima refuses as mount points.
var systemMountPoints = []string{"/", "/bin", "/dev", "/etc", "/home", "/opt", "/sbin", "/tmp", "/usr", "/var"}

// validateConfig repeats the checks of Lima's limayaml.Validate that the
// fake's state can fail: sizes, CPUs and the mount rules. It returns the
// errors joined as errors.Join does, or nil.
//
// NOTE: limactl also warns about mount locations that do not exist on the
// host; the fake does not, so its output does not depend on this machine.
func validateConfig(inst fakestate.Instance) error {
	var errs []error
	if inst.CPUs == 0 {
		errs = append(errs, errors.New("field `cpus` must be set"))
	}
	if _, err := sizeInBytes(inst.Memory); err != nil {
		errs = append(errs, fmt.Errorf("field `memory` has an invalid value: %w", err))
	}
	if _, err := sizeInBytes(inst.Disk); err != nil {
		errs = append(errs, fmt.Errorf("field `disk` has an invalid value: %w", err))
	}
	for i, m := range inst.Mounts {
		errs = append(errs, validateMount(i, m, inst.User.Home)...)
	}
	return errors.Join(errs...)
}

func validateMount(i int, m fakestate.Mount, guestHome string) []error {
	var errs []error
	if !filepath.IsAbs(m.Location) && !strings.HasPrefix(m.Location, "~") {
		errs = append(errs, fmt.Errorf("field `mounts[%d].location` must be an absolute path, got %#q", i, m.Location))
	}
	if info, err := os.Stat(m.Location); err == nil && !info.IsDir() {
		// limactl wraps a nil error here, which prints as %!w(<nil>).
		errs = append(errs, fmt.Errorf("field `mounts[%d].location` refers to a non-directory path: %#q: %%!w(<nil>)", i, m.Location))
	}
	for _, system := range systemMountPoints {
		if m.MountPoint == system {
			errs = append(errs, fmt.Errorf("field `mounts[%d].mountPoint` must not be a system path such as /etc or /usr", i))
		}
	}
	if m.MountPoint == guestHome {
		errs = append(errs, fmt.Errorf("field `mounts[%d].mountPoint` is the reserved internal home directory %#q", i, guestHome))
	}
	if strings.HasPrefix(m.MountPoint, "~") {
		errs = append(errs, fmt.Errorf("field `mounts[%d].mountPoint` must not start with `~`", i))
	}
	return errs
}

// argsError formats cobra's argument count errors as limactl wraps them.
func argsError(command, use, short, problem string) string {
	return fmt.Sprintf("`limactl %s` %s.\nSee `limactl %s --help`.\n\nUsage:  limactl %s\n\n%s",
		command, problem, command, use, short)
}
