package lima

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
)

// Kinds of FolderError, for errors.Is.
var (
	ErrFolderInvalid      = errors.New("invalid host folder")
	ErrFolderCharacter    = errors.New("host folder contains a character Lima cannot mount")
	ErrFolderMissing      = errors.New("host folder does not exist")
	ErrFolderNotDir       = errors.New("host path is not a folder")
	ErrFolderInaccessible = errors.New("host folder cannot be read")
	ErrFolderReadOnly     = errors.New("host folder is not writable")
	ErrFolderSystem       = errors.New("host folder is a system path")
	ErrFolderHome         = errors.New("host folder is or contains the home folder")
	ErrFolderOverlap      = errors.New("host folder overlaps another mount")
)

// FolderError is a rejected host folder. Its message is a sentence for the
// user; Kind is one of the ErrFolder values above.
type FolderError struct {
	Input string // the folder as the user typed it
	Kind  error
	Err   error // the file system error behind it, if any
	msg   string
}

func (e *FolderError) Error() string { return e.msg }

func (e *FolderError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// SystemMountPoints are the guest paths Lima 2.2.0 rejects as mount points
// (pkg/limayaml/validate.go). Lima compares them as exact strings.
var SystemMountPoints = []string{"/", "/bin", "/dev", "/etc", "/home", "/opt", "/sbin", "/tmp", "/usr", "/var"}

// FileSystem is the part of the host file system that the folder checks
// read. Tests can fake it; OSFileSystem is the real one.
type FileSystem interface {
	Stat(path string) (fs.FileInfo, error)
	EvalSymlinks(path string) (string, error)
}

// AccessChecker is implemented by a FileSystem that can tell whether the
// user running aisand may use a folder. A FileSystem without it skips the
// access checks.
type AccessChecker interface {
	// CanRead reports an error unless the user may list and enter path.
	CanRead(path string) error
	// CanWrite reports an error unless the user may create files in path.
	CanWrite(path string) error
}

type osFileSystem struct{}

func (osFileSystem) Stat(path string) (fs.FileInfo, error)    { return os.Stat(path) }
func (osFileSystem) EvalSymlinks(path string) (string, error) { return filepath.EvalSymlinks(path) }
func (osFileSystem) CanRead(path string) error                { return canRead(path) }
func (osFileSystem) CanWrite(path string) error               { return canWrite(path) }

// OSFileSystem reads the real host file system.
var OSFileSystem FileSystem = osFileSystem{}

// FolderChecker checks a host folder the user wants to mount into a VM,
// both in the New VM wizard and on the Mount screen.
type FolderChecker struct {
	// Home is the user's home folder on the host. Every VM mounts it
	// read-only, so it cannot be added again, but folders inside it can.
	Home string
	// GuestHome is the guest user's home folder (config.user.home), which
	// Lima reserves. Empty skips that check.
	GuestHome string
	// FS reads the host file system. Nil means OSFileSystem.
	FS FileSystem
}

// CheckFolder checks input with the real file system. See
// FolderChecker.Check.
func CheckFolder(input string, home string, existing []Mount) (string, error) {
	return FolderChecker{Home: home}.Check(input, existing)
}

// Check validates input as a new host folder next to existing, the folders
// already chosen or mounted, and returns the folder's absolute path with
// "~" expanded and symbolic links resolved. That path is the one to mount:
// Lima mounts it at the same path in the guest. Errors are *FolderError.
func (c FolderChecker) Check(input string, existing []Mount) (string, error) {
	fsys := c.FS
	if fsys == nil {
		fsys = OSFileSystem
	}
	home := c.resolvedHome(fsys)

	path, err := c.absolutePath(input)
	if err != nil {
		return "", err
	}
	if isSystemMountPoint(path) {
		return "", folderErr(input, ErrFolderSystem, nil,
			"host folder %q is a system path that Lima refuses to mount (%s): %s",
			input, strings.Join(SystemMountPoints, ", "), systemPathAdvice(path))
	}
	resolved, err := existingFolder(fsys, input, path)
	if err != nil {
		return "", err
	}
	if isSystemMountPoint(resolved) {
		return "", folderErr(input, ErrFolderSystem, nil,
			"host folder %q resolves to %q, a system path that Lima refuses to mount: %s",
			input, resolved, systemPathAdvice(resolved))
	}
	if err := checkMountableCharacters(input, resolved); err != nil {
		return "", err
	}
	if err := checkAccess(fsys, input, resolved); err != nil {
		return "", err
	}
	if system := guestSystemFolder(resolved); system != "" && !(home != "" && strings.HasPrefix(resolved, home+"/")) {
		return "", folderErr(input, ErrFolderSystem, nil,
			"host folder %q is inside %s: it would be mounted at %q in the guest too, over the guest's own files there: %s",
			input, system, resolved, systemPathAdvice(system))
	}
	if c.GuestHome != "" && resolved == filepath.Clean(c.GuestHome) {
		return "", folderErr(input, ErrFolderSystem, nil,
			"host folder %q is the guest user's home folder in the VM, which Lima reserves: pick another folder",
			input)
	}
	if err := checkHome(fsys, input, resolved, home); err != nil {
		return "", err
	}
	if err := checkOverlap(fsys, input, resolved, home, c.mountedFolders(fsys, existing)); err != nil {
		return "", err
	}
	return resolved, nil
}

// absolutePath expands "~" and "~/..." and returns the cleaned absolute
// path. Control characters are rejected first because neither the
// --mount-only argument nor the guest's mount table can carry them.
func (c FolderChecker) absolutePath(input string) (string, error) {
	if input == "" {
		return "", folderErr(input, ErrFolderInvalid, nil,
			"host folder is empty: enter an absolute path, or ~/ and a path inside your home folder")
	}
	for _, r := range input {
		if unicode.IsControl(r) {
			return "", folderErr(input, ErrFolderCharacter, nil,
				"host folder %q contains the control character %U, which limactl's mount list cannot carry", input, r)
		}
	}
	path := input
	switch {
	case path == "~" || strings.HasPrefix(path, "~/"):
		if c.Home == "" {
			return "", folderErr(input, ErrFolderInvalid, nil,
				"host folder %q starts with ~, but the home folder is unknown: enter an absolute path", input)
		}
		path = c.Home + strings.TrimPrefix(path, "~")
	case strings.HasPrefix(path, "~"):
		return "", folderErr(input, ErrFolderInvalid, nil,
			"host folder %q is invalid: only ~ and ~/ are expanded, so enter an absolute path", input)
	}
	if !filepath.IsAbs(path) {
		return "", folderErr(input, ErrFolderInvalid, nil,
			"host folder %q is not an absolute path: start it with / or ~/", input)
	}
	return filepath.Clean(path), nil
}

// existingFolder checks that path is a folder and returns it with symbolic
// links resolved, so the overlap checks compare real locations.
func existingFolder(fsys FileSystem, input, path string) (string, error) {
	info, err := fsys.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", folderErr(input, ErrFolderMissing, err,
			"host folder %q does not exist: create it first or pick another", input)
	case err != nil:
		return "", folderErr(input, ErrFolderInaccessible, err,
			"host folder %q cannot be read: %v", input, err)
	case !info.IsDir():
		return "", folderErr(input, ErrFolderNotDir, nil,
			"host path %q is not a folder: pick the folder that contains it", input)
	}
	resolved, err := fsys.EvalSymlinks(path)
	if err != nil {
		return "", folderErr(input, ErrFolderInaccessible, err,
			"host folder %q cannot be resolved: %v", input, err)
	}
	return filepath.Clean(resolved), nil
}

// checkAccess rejects a folder that the user cannot list, enter or write
// to. Both the New VM wizard and the Mount screen mount folders
// read-write, and a writable mount of a folder the user cannot write is
// of no use to the VM.
func checkAccess(fsys FileSystem, input, path string) error {
	access, ok := fsys.(AccessChecker)
	if !ok {
		return nil
	}
	if err := access.CanRead(path); err != nil {
		return folderErr(input, ErrFolderInaccessible, err,
			"host folder %q cannot be opened by your user (%v): pick a folder you own, or change its permissions", input, err)
	}
	if err := access.CanWrite(path); err != nil {
		return folderErr(input, ErrFolderReadOnly, err,
			"host folder %q is not writable by your user (%v), so a read-write mount of it is of no use: pick a folder you can write to", input, err)
	}
	return nil
}

func isSystemMountPoint(path string) bool {
	return slices.Contains(SystemMountPoints, path)
}

// GuestSystemFolders hold the guest's own programs, settings and state.
// A host folder is mounted at its own path in the guest, so a folder
// inside one of these would hide the guest's files at that path.
var GuestSystemFolders = []string{"/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin", "/sys", "/usr", "/var"}

// guestSystemFolder returns the folder of GuestSystemFolders that path is
// or lies inside, or "" when there is none. Folders such as /home, /tmp,
// /opt, /mnt, /media and /srv are not in the list: the guest keeps nothing
// of its own below them that a mount would hide.
func guestSystemFolder(path string) string {
	for _, system := range GuestSystemFolders {
		if path == system || strings.HasPrefix(path, system+"/") {
			return system
		}
	}
	return ""
}

// HidesGuestSystem reports whether a mount of the resolved host folder
// path would hide guest system files, so that completion can leave out
// folders the check refuses along with everything inside them.
func HidesGuestSystem(path string) bool {
	return guestSystemFolder(filepath.Clean(path)) != ""
}

// systemPathAdvice is the advice that ends a refusal of path.
func systemPathAdvice(path string) string {
	if guestSystemFolder(path) != "" || path == "/" {
		return "pick a folder inside your home folder, or inside /tmp, /opt, /mnt or /srv"
	}
	return "pick a folder below it"
}

// checkHome rejects the home folder itself and any folder that contains
// it, because mounting either would expose the home folder a second time,
// possibly writable.
func checkHome(fsys FileSystem, input, path, home string) error {
	if home == "" {
		return nil
	}
	if sameFolder(fsys, path, home) {
		return folderErr(input, ErrFolderHome, nil,
			"host folder %q is your home folder, which every VM already mounts read-only: pick a folder inside it", input)
	}
	if isInside(fsys, home, path) {
		return folderErr(input, ErrFolderHome, nil,
			"host folder %q contains your home folder %q, which every VM mounts read-only: pick a folder inside your home folder or elsewhere",
			input, home)
	}
	return nil
}

// mountedFolder is an existing mount with its host path resolved.
type mountedFolder struct {
	location   string // resolved host path
	mountPoint string // guest path
}

// checkOverlap rejects a folder that is already in existing, or inside or
// around one of them: nested mounts hide each other in the guest. The
// read-only home mount is the exception, because folders inside it are
// the normal case.
func checkOverlap(fsys FileSystem, input, path, home string, existing []mountedFolder) error {
	for _, m := range existing {
		if home != "" && sameFolder(fsys, m.location, home) {
			continue
		}
		switch {
		case sameFolder(fsys, path, m.location):
			return folderErr(input, ErrFolderOverlap, nil,
				"host folder %q is already in the mount list", input)
		case path == m.mountPoint:
			return folderErr(input, ErrFolderOverlap, nil,
				"host folder %q would be mounted at %q, where %q is already mounted in the guest",
				input, path, m.location)
		case isInside(fsys, path, m.location):
			return folderErr(input, ErrFolderOverlap, nil,
				"host folder %q is inside %q, which is already in the mount list: a folder can be mounted only once",
				input, m.location)
		case isInside(fsys, m.location, path):
			return folderErr(input, ErrFolderOverlap, nil,
				"host folder %q contains %q, which is already in the mount list: remove that mount first or pick a folder that does not overlap it",
				input, m.location)
		}
	}
	return nil
}

// mountedFolders expands and resolves the host paths of existing mounts.
// A mount whose folder no longer exists keeps its cleaned path.
func (c FolderChecker) mountedFolders(fsys FileSystem, existing []Mount) []mountedFolder {
	folders := make([]mountedFolder, 0, len(existing))
	for _, m := range existing {
		location := m.Location
		if c.Home != "" && (location == "~" || strings.HasPrefix(location, "~/")) {
			location = c.Home + strings.TrimPrefix(location, "~")
		}
		if location == "" || !filepath.IsAbs(location) {
			continue
		}
		location = filepath.Clean(location)
		mountPoint := location
		if m.MountPoint != "" {
			mountPoint = filepath.Clean(m.MountPoint)
		}
		if resolved, err := fsys.EvalSymlinks(location); err == nil {
			location = filepath.Clean(resolved)
		}
		folders = append(folders, mountedFolder{location: location, mountPoint: mountPoint})
	}
	return folders
}

func (c FolderChecker) resolvedHome(fsys FileSystem) string {
	if c.Home == "" {
		return ""
	}
	home := filepath.Clean(c.Home)
	if resolved, err := fsys.EvalSymlinks(home); err == nil {
		return filepath.Clean(resolved)
	}
	return home
}

// sameFolder reports whether a and b name the same folder: the same path,
// or the same file according to the file system, which also covers
// case-insensitive file systems such as the macOS default.
func sameFolder(fsys FileSystem, a, b string) bool {
	if a == b {
		return true
	}
	infoA, errA := fsys.Stat(a)
	infoB, errB := fsys.Stat(b)
	return errA == nil && errB == nil && os.SameFile(infoA, infoB)
}

// isInside reports whether path lies strictly below folder.
func isInside(fsys FileSystem, path, folder string) bool {
	if path == filepath.Dir(path) {
		return false
	}
	for parent := filepath.Dir(path); ; parent = filepath.Dir(parent) {
		if sameFolder(fsys, parent, folder) {
			return true
		}
		if parent == filepath.Dir(parent) {
			return false
		}
	}
}

func folderErr(input string, kind, cause error, format string, args ...any) *FolderError {
	return &FolderError{Input: input, Kind: kind, Err: cause, msg: fmt.Sprintf(format, args...)}
}

// checkMountableCharacters rejects characters that Lima 2.2.0 cannot carry
// from the host path to a working mount in the guest. Lima uses the host
// path as the guest mount point and writes it, unquoted and unescaped, into
// cloud-init's mount list (a YAML flow sequence that becomes /etc/fstab),
// into QEMU's -virtfs option and, for reverse-sshfs mounts, into a command
// line for the guest's shell. Letters and digits of any script, and
// "/ . _ - + @ % = : ~ # ^", pass through all of these unchanged.
func checkMountableCharacters(input, path string) error {
	if strings.HasSuffix(path, ":w") {
		return folderErr(input, ErrFolderCharacter, nil,
			"host folder %q ends with \":w\", which limactl reads as the writable flag: rename the folder or pick another", input)
	}
	if strings.HasSuffix(path, ":") {
		return folderErr(input, ErrFolderCharacter, nil,
			"host folder %q ends with \":\", which turns the path into a YAML key in the guest's mount list: rename the folder or pick another", input)
	}
	for _, r := range path {
		if reason := unmountableReason(r); reason != "" {
			return folderErr(input, ErrFolderCharacter, nil,
				"host folder %q contains %s, which Lima 2.2.0 cannot mount because %s: rename the folder or pick another",
				input, characterName(r), reason)
		}
	}
	return nil
}

// characterName names r for a message: a quoted character can be hard to
// read when it is itself a quote, a backslash or a space.
func characterName(r rune) string {
	names := map[rune]string{
		'"': "a double quote", '\'': "a single quote", '`': "a backquote",
		'\\': "a backslash", ' ': "a space", '\t': "a tab",
	}
	if name, ok := names[r]; ok {
		return fmt.Sprintf("%s (%c)", name, r)
	}
	if unicode.IsSpace(r) || !unicode.IsPrint(r) {
		return fmt.Sprintf("the character %U", r)
	}
	return fmt.Sprintf("the character %c", r)
}

// unmountableReason returns why r cannot appear in a mounted path, or ""
// when it can.
func unmountableReason(r rune) string {
	switch {
	case unicode.IsSpace(r):
		return "cloud-init writes the path into the guest's /etc/fstab without escaping, where a space ends the field"
	case r == ',':
		return "QEMU reads a comma in the folder path as the start of its next option, and the guest's mount list splits at it"
	case r == '\\':
		return "the guest's /etc/fstab reads a backslash as the start of an escape sequence"
	case r == '{' || r == '}':
		return "Lima expands \"{{\" in mount paths as a template, and YAML reads braces as a mapping in the guest's mount list"
	case r == '[' || r == ']' || r == '?':
		return "the guest's mount list is a YAML flow sequence, which ends the path at this character"
	case strings.ContainsRune("\"'`$;&|<>()*!", r):
		return "Lima passes the path unquoted through the guest's shell for reverse-sshfs mounts"
	case !unicode.IsPrint(r):
		return "it is a control, invisible or other non-printing character, which Lima writes as an escape sequence when it edits the YAML"
	}
	return ""
}
