package lima

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// Instance name rules of Lima 2.2.0 (pkg/identifiers and
// pkg/limatype/dirnames): letters and digits, with single ".", "_" or "-"
// between them, at most 76 characters.
const (
	MaxNameLength = 76
	nameRule      = `use letters and digits, separated by single ".", "_" or "-"`
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$`)

// longestSocketName is the longest file name limactl creates in an
// instance folder: OpenSSH appends 16 random characters to the control
// socket name "ssh.sock" when it creates it.
const longestSocketName = "ssh.sock.1234567890123456"

// UnixPathMax returns the size of sun_path for goos, as Lima 2.2.0 counts
// it (pkg/osutil): 108 bytes on Linux and Windows, 104 elsewhere (macOS
// and the BSDs). A socket path must be shorter than this.
func UnixPathMax(goos string) int {
	switch goos {
	case "linux", "windows":
		return 108
	default:
		return 104
	}
}

// ValidateName checks an instance name the way limactl 2.2.0 does before
// it creates anything, so the user sees the problem in the form.
//
// limaHome is the folder that holds the instances (LIMA_HOME, or ~/.lima).
// When it exists its symbolic links are resolved first, as limactl does,
// because the socket path limit counts the resolved path. goos selects the
// socket path limit (see UnixPathMax).
func ValidateName(name string, limaHome string, goos string) error {
	if name == "" {
		return errors.New("name is empty: " + nameRule)
	}
	if problem := nameShapeProblem(name); problem != "" {
		return fmt.Errorf("name %q %s: %s", name, problem, nameRule)
	}
	if len(name) > MaxNameLength {
		return fmt.Errorf("name %q is too long: it has %d characters, and at most %d are allowed",
			name, len(name), MaxNameLength)
	}
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") {
		return fmt.Errorf("name %q ends with %q: limactl reads such names as template files, so choose another ending",
			name, filepath.Ext(name))
	}
	return checkSocketPath(name, resolveExisting(limaHome), goos)
}

// checkSocketPath rejects a name whose longest socket path in limaHome
// would reach the UNIX socket path limit. The count is in bytes of the
// joined path, exactly as limactl 2.2.0 counts it.
func checkSocketPath(name, limaHome, goos string) error {
	limit := UnixPathMax(goos)
	socket := filepath.Join(limaHome, name, longestSocketName)
	if len(socket) < limit {
		return nil
	}
	// The joined path without the name is one byte longer than the
	// separator-only form, so this is the path length for a one-letter name.
	base := len(filepath.Join(limaHome, "x", longestSocketName)) - 1
	maxLen := limit - 1 - base
	if maxLen < 1 {
		return fmt.Errorf("the Lima folder %q is too long for any instance name: socket paths in it would reach the %d-byte limit, so set LIMA_HOME to a shorter path",
			limaHome, limit)
	}
	return fmt.Errorf("name %q is too long for the Lima folder %q: the socket path %q would be %d bytes and must be shorter than %d, so use at most %d characters",
		name, limaHome, socket, len(socket), limit, maxLen)
}

// nameShapeProblem describes the first way name breaks namePattern, as a
// phrase that follows the quoted name, or returns "" when name matches.
func nameShapeProblem(name string) string {
	if namePattern.MatchString(name) {
		return ""
	}
	for _, r := range name {
		if !isNameLetter(r) && !isNameSeparator(r) {
			return fmt.Sprintf("contains %q", string(r))
		}
	}
	first, last := name[:1], name[len(name)-1:]
	switch {
	case isNameSeparator(rune(first[0])):
		return fmt.Sprintf("starts with %q", first)
	case isNameSeparator(rune(last[0])):
		return fmt.Sprintf("ends with %q", last)
	}
	for i := 1; i < len(name); i++ {
		if isNameSeparator(rune(name[i-1])) && isNameSeparator(rune(name[i])) {
			return fmt.Sprintf("has two separators in a row (%q)", name[i-1:i+1])
		}
	}
	return "is invalid"
}

func isNameLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func isNameSeparator(r rune) bool {
	return r == '.' || r == '_' || r == '-'
}

// resolveExisting resolves the symbolic links in path when path exists and
// returns path unchanged otherwise, as Lima does with its home folder.
func resolveExisting(path string) string {
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return path
	}
	return resolved
}

// GuestHostname returns the host name Lima gives the guest of the instance
// called name: "lima-" followed by the name with "." and "_" turned into
// "-" (Lima 2.2.0, pkg/instance/hostname).
func GuestHostname(name string) string {
	return "lima-" + strings.NewReplacer(".", "-", "_", "-").Replace(name)
}

// NameTaken returns the existing instance whose name equals name, ignoring
// case. Case is ignored because macOS file systems usually ignore it, so
// "Dev" and "dev" would share one instance folder there.
func NameTaken(name string, existing []Instance) (Instance, bool) {
	for _, inst := range existing {
		if strings.EqualFold(inst.Name, name) {
			return inst, true
		}
	}
	return Instance{}, false
}

// HostnameClash returns an existing instance with a different name whose
// guest gets the same host name as an instance called name would, such as
// "my.vm" and "my_vm". Both can exist, so this is for a warning only.
// Host names are compared without case, as DNS does.
func HostnameClash(name string, existing []Instance) (Instance, bool) {
	hostname := GuestHostname(name)
	for _, inst := range existing {
		if strings.EqualFold(inst.Name, name) {
			continue
		}
		if strings.EqualFold(GuestHostname(inst.Name), hostname) {
			return inst, true
		}
	}
	return Instance{}, false
}
