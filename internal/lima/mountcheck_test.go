package lima

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// folderFixture is a temporary host with a home folder, resolved so that
// expected paths match on systems where the temporary folder is behind a
// symbolic link (macOS: /var -> /private/var).
type folderFixture struct {
	root string // resolved temporary folder
	home string // root/Users/alice
}

func newFolderFixture(t *testing.T) folderFixture {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := folderFixture{root: root, home: filepath.Join(root, "Users", "alice")}
	f.mkdir(t, f.home)
	return f
}

func (f folderFixture) mkdir(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func (f folderFixture) checker() FolderChecker {
	return FolderChecker{Home: f.home}
}

// wantFolderError checks that err is a *FolderError of kind and that its
// message names the input.
func wantFolderError(t *testing.T, input string, err error, kind error) {
	t.Helper()
	if err == nil {
		t.Errorf("Check(%q) = nil error, want %v", input, kind)
		return
	}
	if !errors.Is(err, kind) {
		t.Errorf("Check(%q) = %q, want kind %v", input, err, kind)
	}
	var folderErr *FolderError
	if !errors.As(err, &folderErr) {
		t.Errorf("Check(%q) returned %T, want *FolderError", input, err)
		return
	}
	if folderErr.Input != input {
		t.Errorf("FolderError.Input = %q, want %q", folderErr.Input, input)
	}
	if input != "" && !strings.Contains(err.Error(), strconv.Quote(input)) {
		t.Errorf("Check(%q) message %q does not name the folder", input, err)
	}
}

func TestCheckFolderAcceptsFolderInsideHome(t *testing.T) {
	f := newFolderFixture(t)
	project := f.mkdir(t, filepath.Join(f.home, "src", "project"))

	got, err := f.checker().Check(project, nil)
	if err != nil {
		t.Fatalf("Check(%q) = %v", project, err)
	}
	if got != project {
		t.Errorf("Check(%q) = %q, want the same path", project, got)
	}
}

func TestCheckFolderExpandsTilde(t *testing.T) {
	f := newFolderFixture(t)
	project := f.mkdir(t, filepath.Join(f.home, "project"))

	got, err := f.checker().Check("~/project", nil)
	if err != nil {
		t.Fatalf("Check(~/project) = %v", err)
	}
	if got != project {
		t.Errorf("Check(~/project) = %q, want %q", got, project)
	}
}

func TestCheckFolderCleansPath(t *testing.T) {
	f := newFolderFixture(t)
	project := f.mkdir(t, filepath.Join(f.home, "project"))

	got, err := f.checker().Check(f.home+"//src/../project/.", nil)
	if err != nil {
		t.Fatalf("Check = %v", err)
	}
	if got != project {
		t.Errorf("Check = %q, want %q", got, project)
	}
}

func TestCheckFolderInvalidInput(t *testing.T) {
	f := newFolderFixture(t)
	for _, input := range []string{"", "project", "./project", "~bob/project", "~bob"} {
		_, err := f.checker().Check(input, nil)
		wantFolderError(t, input, err, ErrFolderInvalid)
	}
}

func TestCheckFolderTildeWithoutHome(t *testing.T) {
	_, err := FolderChecker{}.Check("~/project", nil)
	wantFolderError(t, "~/project", err, ErrFolderInvalid)
}

func TestCheckFolderMissing(t *testing.T) {
	f := newFolderFixture(t)
	input := filepath.Join(f.home, "nosuch")

	_, err := f.checker().Check(input, nil)
	wantFolderError(t, input, err, ErrFolderMissing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Check(%q) = %v, want it to wrap fs.ErrNotExist", input, err)
	}
}

func TestCheckFolderRejectsFile(t *testing.T) {
	f := newFolderFixture(t)
	file := filepath.Join(f.home, "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	_, err := f.checker().Check(file, nil)
	wantFolderError(t, file, err, ErrFolderNotDir)
}

func TestCheckFolderRejectsSystemPaths(t *testing.T) {
	f := newFolderFixture(t)
	inputs := append([]string{"/tmp/", "/tmp/.", "/etc/..", "/usr//"}, SystemMountPoints...)
	for _, input := range inputs {
		_, err := f.checker().Check(input, nil)
		wantFolderError(t, input, err, ErrFolderSystem)
	}
}

func TestCheckFolderAcceptsBelowSystemPath(t *testing.T) {
	f := newFolderFixture(t)
	// The temporary folder itself is below a system path such as /tmp.
	work := f.mkdir(t, filepath.Join(f.root, "work"))
	if _, err := f.checker().Check(work, nil); err != nil {
		t.Errorf("Check(%q) = %v, want nil", work, err)
	}
}

func TestCheckFolderLinkToSystemPath(t *testing.T) {
	f := newFolderFixture(t)
	link := filepath.Join(f.home, "root")
	if err := os.Symlink("/", link); err != nil {
		t.Fatal(err)
	}

	_, err := f.checker().Check(link, nil)
	wantFolderError(t, link, err, ErrFolderSystem)
	if err != nil && !strings.Contains(err.Error(), `resolves to "/"`) {
		t.Errorf("Check(%q) = %q, want it to show the resolved path", link, err)
	}
}

func TestCheckFolderResolvesLink(t *testing.T) {
	f := newFolderFixture(t)
	target := f.mkdir(t, filepath.Join(f.root, "data", "project"))
	link := filepath.Join(f.home, "project")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}

	got, err := f.checker().Check("~/project", nil)
	if err != nil {
		t.Fatalf("Check(~/project) = %v", err)
	}
	if got != target {
		t.Errorf("Check(~/project) = %q, want the link target %q", got, target)
	}
}

func TestCheckFolderRejectsHome(t *testing.T) {
	f := newFolderFixture(t)
	for _, input := range []string{"~", "~/", f.home, f.home + "/."} {
		_, err := f.checker().Check(input, nil)
		wantFolderError(t, input, err, ErrFolderHome)
	}
}

func TestCheckFolderRejectsHomeThroughLink(t *testing.T) {
	f := newFolderFixture(t)
	link := filepath.Join(f.root, "me")
	if err := os.Symlink(f.home, link); err != nil {
		t.Fatal(err)
	}

	_, err := f.checker().Check(link, nil)
	wantFolderError(t, link, err, ErrFolderHome)
}

func TestCheckFolderRejectsFolderAroundHome(t *testing.T) {
	f := newFolderFixture(t)
	users := filepath.Dir(f.home)

	_, err := f.checker().Check(users, nil)
	wantFolderError(t, users, err, ErrFolderHome)
}

func TestCheckFolderRejectsGuestHome(t *testing.T) {
	f := newFolderFixture(t)
	guestHome := f.mkdir(t, filepath.Join(f.root, "home", "alice.guest"))
	checker := FolderChecker{Home: f.home, GuestHome: guestHome}

	_, err := checker.Check(guestHome, nil)
	wantFolderError(t, guestHome, err, ErrFolderSystem)
}

func TestCheckFolderOverlap(t *testing.T) {
	f := newFolderFixture(t)
	data := filepath.Join(f.root, "data")
	work := f.mkdir(t, filepath.Join(data, "work"))
	inside := f.mkdir(t, filepath.Join(work, "a", "b"))
	sibling := f.mkdir(t, filepath.Join(data, "work2"))
	existing := []Mount{{Location: work, Writable: true}}

	for _, input := range []string{work, work + "/", inside, data} {
		_, err := f.checker().Check(input, existing)
		wantFolderError(t, input, err, ErrFolderOverlap)
	}
	if _, err := f.checker().Check(sibling, existing); err != nil {
		t.Errorf("Check(%q) next to %q = %v, want nil", sibling, work, err)
	}
}

func TestCheckFolderOverlapMessages(t *testing.T) {
	f := newFolderFixture(t)
	data := filepath.Join(f.root, "data")
	work := f.mkdir(t, filepath.Join(data, "work"))
	inside := f.mkdir(t, filepath.Join(work, "sub"))
	existing := []Mount{{Location: work}}

	_, err := f.checker().Check(inside, existing)
	if err == nil || !strings.Contains(err.Error(), "is inside "+strconv.Quote(work)) {
		t.Errorf("Check(%q) = %v, want an 'is inside' message", inside, err)
	}
	_, err = f.checker().Check(data, existing)
	if err == nil || !strings.Contains(err.Error(), "contains "+strconv.Quote(work)) {
		t.Errorf("Check(%q) = %v, want a 'contains' message", data, err)
	}
}

func TestCheckFolderHomeMountAllowsInside(t *testing.T) {
	f := newFolderFixture(t)
	project := f.mkdir(t, filepath.Join(f.home, "project"))

	for _, home := range []Mount{{Location: f.home}, {Location: "~"}} {
		got, err := f.checker().Check(project, []Mount{home})
		if err != nil {
			t.Errorf("Check(%q) with home mount %q = %v, want nil", project, home.Location, err)
			continue
		}
		if got != project {
			t.Errorf("Check(%q) = %q", project, got)
		}
	}
}

func TestCheckFolderExistingTildeMount(t *testing.T) {
	f := newFolderFixture(t)
	inside := f.mkdir(t, filepath.Join(f.home, "work", "sub"))
	existing := []Mount{{Location: "~"}, {Location: "~/work", Writable: true}}

	_, err := f.checker().Check(inside, existing)
	wantFolderError(t, inside, err, ErrFolderOverlap)
}

func TestCheckFolderExistingThroughLink(t *testing.T) {
	f := newFolderFixture(t)
	work := f.mkdir(t, filepath.Join(f.root, "work"))
	link := filepath.Join(f.root, "w")
	if err := os.Symlink(work, link); err != nil {
		t.Fatal(err)
	}

	_, err := f.checker().Check(work, []Mount{{Location: link}})
	wantFolderError(t, work, err, ErrFolderOverlap)
}

func TestCheckFolderMountPointTaken(t *testing.T) {
	f := newFolderFixture(t)
	other := f.mkdir(t, filepath.Join(f.root, "other"))
	target := f.mkdir(t, filepath.Join(f.root, "target"))
	existing := []Mount{{Location: other, MountPoint: target}}

	_, err := f.checker().Check(target, existing)
	wantFolderError(t, target, err, ErrFolderOverlap)
}

func TestCheckFolderCharacters(t *testing.T) {
	f := newFolderFixture(t)
	rejected := []string{
		"my project",
		"tab\tname",
		"no\u00a0break",
		"a,b",
		`say"hi"`,
		"it's",
		"back`tick",
		"a$b",
		"semi;colon",
		"a&b",
		"a|b",
		"a<b>",
		"(copy)",
		"star*",
		"what?",
		"x[1]",
		"{{.Home}}",
		"back\\slash",
		"bang!",
		"zero\u200bwidth",
		"trailing:",
		"data:w",
	}
	for _, name := range rejected {
		dir := filepath.Join(f.root, name)
		input := dir
		if !strings.ContainsAny(name, "\t") {
			f.mkdir(t, dir)
		}
		_, err := f.checker().Check(input, nil)
		wantFolderError(t, input, err, ErrFolderCharacter)
	}
}

func TestCheckFolderAcceptedCharacters(t *testing.T) {
	f := newFolderFixture(t)
	accepted := []string{
		"naïve-日本語",
		"Ünïcödé_Ørsted",
		"a:b",
		"v1.2_x+y@z%=~#^",
		"-leading-dash",
		"data:wx",
	}
	for _, name := range accepted {
		dir := f.mkdir(t, filepath.Join(f.root, name))
		got, err := f.checker().Check(dir, nil)
		if err != nil {
			t.Errorf("Check(%q) = %v, want nil", dir, err)
			continue
		}
		if got != dir {
			t.Errorf("Check(%q) = %q", dir, got)
		}
	}
}

func TestCheckFolderControlCharacters(t *testing.T) {
	f := newFolderFixture(t)
	for _, input := range []string{"/a\nb", "/a\rb", "/a\x00b", "/a\x7fb", "/a\u0085b", "~/x\n"} {
		_, err := f.checker().Check(input, nil)
		wantFolderError(t, input, err, ErrFolderCharacter)
	}
}

func TestSameFolderFollowsLinks(t *testing.T) {
	f := newFolderFixture(t)
	link := filepath.Join(f.root, "me")
	if err := os.Symlink(f.home, link); err != nil {
		t.Fatal(err)
	}
	if !sameFolder(OSFileSystem, f.home, link) {
		t.Errorf("sameFolder(%q, %q) = false, want true", f.home, link)
	}
	if sameFolder(OSFileSystem, f.home, f.root) {
		t.Errorf("sameFolder(%q, %q) = true, want false", f.home, f.root)
	}
}

// fakeFS is a FileSystem whose answers a test sets per path.
type fakeFS struct {
	dirs     map[string]bool   // existing folders
	statErr  map[string]error  // Stat errors
	links    map[string]string // EvalSymlinks results
	linkErrs map[string]error  // EvalSymlinks errors
}

type fakeInfo struct {
	name string
	dir  bool
}

func (i fakeInfo) Name() string       { return i.name }
func (i fakeInfo) Size() int64        { return 0 }
func (i fakeInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o755 }
func (i fakeInfo) ModTime() time.Time { return time.Time{} }
func (i fakeInfo) IsDir() bool        { return i.dir }
func (i fakeInfo) Sys() any           { return nil }

func (f fakeFS) Stat(path string) (fs.FileInfo, error) {
	if err, ok := f.statErr[path]; ok {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if dir, ok := f.dirs[path]; ok {
		return fakeInfo{name: filepath.Base(path), dir: dir}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
}

func (f fakeFS) EvalSymlinks(path string) (string, error) {
	if err, ok := f.linkErrs[path]; ok {
		return "", err
	}
	if target, ok := f.links[path]; ok {
		return target, nil
	}
	if _, ok := f.dirs[path]; ok {
		return path, nil
	}
	return "", &fs.PathError{Op: "lstat", Path: path, Err: fs.ErrNotExist}
}

func TestCheckFolderPermissionDenied(t *testing.T) {
	fsys := fakeFS{
		dirs:    map[string]bool{"/Users/alice": true},
		statErr: map[string]error{"/Volumes/secret": fs.ErrPermission},
	}
	checker := FolderChecker{Home: "/Users/alice", FS: fsys}

	_, err := checker.Check("/Volumes/secret", nil)
	wantFolderError(t, "/Volumes/secret", err, ErrFolderInaccessible)
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Check = %v, want it to wrap fs.ErrPermission", err)
	}
}

func TestCheckFolderLinkLoop(t *testing.T) {
	loop := errors.New("too many links")
	fsys := fakeFS{
		dirs:     map[string]bool{"/Users/alice": true, "/Volumes/data": true},
		linkErrs: map[string]error{"/Volumes/data": loop},
	}
	checker := FolderChecker{Home: "/Users/alice", FS: fsys}

	_, err := checker.Check("/Volumes/data", nil)
	wantFolderError(t, "/Volumes/data", err, ErrFolderInaccessible)
	if !errors.Is(err, loop) {
		t.Errorf("Check = %v, want it to wrap the link error", err)
	}
}

func TestCheckFolderFakeFSResolvesThroughLink(t *testing.T) {
	fsys := fakeFS{
		dirs:  map[string]bool{"/Users/alice": true, "/Users/alice/p": true, "/Volumes/data/p": true},
		links: map[string]string{"/Users/alice/p": "/Volumes/data/p"},
	}
	checker := FolderChecker{Home: "/Users/alice", FS: fsys}

	got, err := checker.Check("~/p", []Mount{{Location: "/Users/alice"}})
	if err != nil {
		t.Fatalf("Check(~/p) = %v", err)
	}
	if got != "/Volumes/data/p" {
		t.Errorf("Check(~/p) = %q, want /Volumes/data/p", got)
	}
}

// accessFS is a fakeFS that also answers the access checks.
type accessFS struct {
	fakeFS
	noRead  map[string]bool
	noWrite map[string]bool
}

func (f accessFS) CanRead(path string) error {
	if f.noRead[path] {
		return fs.ErrPermission
	}
	return nil
}

func (f accessFS) CanWrite(path string) error {
	if f.noWrite[path] {
		return fs.ErrPermission
	}
	return nil
}

func TestCheckFolderRejectsWithoutAccess(t *testing.T) {
	fsys := accessFS{
		fakeFS: fakeFS{dirs: map[string]bool{
			"/Users/alice": true, "/etc/ssh": true, "/srv/private": true, "/srv/open": true,
		}},
		noRead:  map[string]bool{"/srv/private": true},
		noWrite: map[string]bool{"/etc/ssh": true, "/srv/private": true},
	}
	checker := FolderChecker{Home: "/Users/alice", FS: fsys}

	_, err := checker.Check("/etc/ssh", nil)
	wantFolderError(t, "/etc/ssh", err, ErrFolderReadOnly)
	if err != nil && !strings.Contains(err.Error(), "not writable by your user") {
		t.Errorf("message = %q, want it to say the folder is not writable", err)
	}
	_, err = checker.Check("/srv/private", nil)
	wantFolderError(t, "/srv/private", err, ErrFolderInaccessible)
	if err != nil && !strings.Contains(err.Error(), "cannot be opened by your user") {
		t.Errorf("message = %q, want it to say the folder cannot be opened", err)
	}
	if got, err := checker.Check("/srv/open", nil); err != nil || got != "/srv/open" {
		t.Errorf("Check(/srv/open) = %q, %v", got, err)
	}
}

func TestCheckFolderRealAccess(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("access(2) grants root every folder on a writable file system")
	}
	f := newFolderFixture(t)
	readOnly := f.mkdir(t, filepath.Join(f.root, "read-only"))
	closed := f.mkdir(t, filepath.Join(f.root, "closed"))
	open := f.mkdir(t, filepath.Join(f.root, "open"))
	if err := os.Chmod(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(closed, 0o000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Chmod(readOnly, 0o755)
		os.Chmod(closed, 0o755)
	})

	_, err := CheckFolder(readOnly, f.home, nil)
	wantFolderError(t, readOnly, err, ErrFolderReadOnly)
	_, err = CheckFolder(closed, f.home, nil)
	wantFolderError(t, closed, err, ErrFolderInaccessible)
	if got, err := CheckFolder(open, f.home, nil); err != nil || got != open {
		t.Errorf("CheckFolder(%q) = %q, %v", open, got, err)
	}
}

func TestCheckFolderRefusesInsideGuestSystemFolders(t *testing.T) {
	refused := map[string]string{
		"/etc/ssl":             "/etc",
		"/usr/local/src":       "/usr",
		"/var/lib/data":        "/var",
		"/run/user/1000/stuff": "/run",
		"/lib64/extra":         "/lib64",
		"/boot/efi":            "/boot",
	}
	dirs := map[string]bool{"/Users/alice": true}
	for path := range refused {
		dirs[path] = true
	}
	checker := FolderChecker{Home: "/Users/alice", FS: fakeFS{dirs: dirs}}
	for path, system := range refused {
		_, err := checker.Check(path, nil)
		wantFolderError(t, path, err, ErrFolderSystem)
		if err == nil {
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "inside "+system) || !strings.Contains(msg, "guest's own files") {
			t.Errorf("Check(%q) = %q, want it to name %s and the hidden guest files", path, msg, system)
		}
		if strings.Contains(msg, "below it") {
			t.Errorf("Check(%q) = %q advises a folder below a refused one", path, msg)
		}
	}
}

func TestCheckFolderAcceptsInsideOtherTopFolders(t *testing.T) {
	allowed := []string{"/home/bob/src", "/tmp/build", "/opt/tools", "/mnt/usb", "/media/disk", "/srv/data", "/data/x", "/var/home/alice/src"}
	dirs := map[string]bool{"/var/home/alice": true}
	for _, path := range allowed {
		dirs[path] = true
	}
	// The home folder itself may lie inside a system folder, as on
	// systems where /home links to /var/home.
	checker := FolderChecker{Home: "/var/home/alice", FS: fakeFS{dirs: dirs}}
	for _, path := range allowed {
		if _, err := checker.Check(path, nil); err != nil {
			t.Errorf("Check(%q) = %v, want nil", path, err)
		}
	}
}

func TestCheckFolderChecksResolvedSystemPath(t *testing.T) {
	// On macOS /var links to /private/var, where temporary folders live.
	fsys := fakeFS{
		dirs: map[string]bool{"/Users/alice": true, "/var/folders/xy/T": true, "/private/var/folders/xy/T": true,
			"/Users/alice/conf": true, "/etc/ssl": true},
		links: map[string]string{"/var/folders/xy/T": "/private/var/folders/xy/T", "/Users/alice/conf": "/etc/ssl"},
	}
	checker := FolderChecker{Home: "/Users/alice", FS: fsys}
	got, err := checker.Check("/var/folders/xy/T", nil)
	if err != nil || got != "/private/var/folders/xy/T" {
		t.Errorf("Check(/var/folders/xy/T) = %q, %v; want the resolved path accepted", got, err)
	}
	_, err = checker.Check("~/conf", nil)
	wantFolderError(t, "~/conf", err, ErrFolderSystem)
}

func TestCheckFolderSystemPathAdvice(t *testing.T) {
	f := newFolderFixture(t)
	for input, below := range map[string]bool{"/etc": false, "/usr": false, "/var": false, "/opt": true, "/home": true} {
		_, err := f.checker().Check(input, nil)
		if err == nil {
			t.Errorf("Check(%q) = nil error", input)
			continue
		}
		if got := strings.Contains(err.Error(), "pick a folder below it"); got != below {
			t.Errorf("Check(%q) = %q; advises a folder below it: %v, want %v", input, err, got, below)
		}
	}
}

func TestCheckFolderNamesQuoteReadably(t *testing.T) {
	f := newFolderFixture(t)
	dir := f.mkdir(t, filepath.Join(f.root, `say"hi`))
	_, err := f.checker().Check(dir, nil)
	if err == nil || !strings.Contains(err.Error(), `a double quote (")`) {
		t.Errorf("Check(%q) = %v, want it to name the double quote", dir, err)
	}
}

func TestHidesGuestSystem(t *testing.T) {
	for path, want := range map[string]bool{"/etc": true, "/etc/ssl/": true, "/usr/lib": true, "/etc2": false, "/srv/etc": false, "/home/bob": false} {
		if got := HidesGuestSystem(path); got != want {
			t.Errorf("HidesGuestSystem(%q) = %v, want %v", path, got, want)
		}
	}
}
