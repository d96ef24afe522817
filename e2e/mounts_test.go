package e2e

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/limatest"
)

// chooseItem moves the open menu's cursor down to label and presses Enter.
// It finds the item on screen, so it does not depend on how many items of
// other features come before it.
func (s *session) chooseItem(label string) {
	s.t.Helper()
	selected := regexp.MustCompile(`▶ ` + regexp.QuoteMeta(label) + `\s*│`)
	for range 20 {
		if selected.MatchString(s.screen()) {
			s.keys("Enter")
			return
		}
		s.keys("Down")
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("menu item %q never selected; screen:\n%s", label, s.screen())
}

// mountFolder makes a folder under the fake's HOME and returns its path.
func mountFolder(t *testing.T, fake *limatest.Fake, rel string) string {
	t.Helper()
	home, err := filepath.EvalSymlinks(fake.Home)
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(home, rel)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	return folder
}

// editCalls returns the fake's edit calls.
func editCalls(t *testing.T, fake *limatest.Fake) []limatest.Call {
	t.Helper()
	var edits []limatest.Call
	for _, c := range fake.Calls(t) {
		if len(c.Argv) > 0 && c.Argv[0] == "edit" {
			edits = append(edits, c)
		}
	}
	return edits
}

// checkEditFolders checks that every edit ran in a folder of its own that
// is gone now, so no lima.REJECTED.yaml is left anywhere.
func checkEditFolders(t *testing.T, fake *limatest.Fake) {
	t.Helper()
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range editCalls(t, fake) {
		if c.Dir == cwd || c.Dir == fake.Home {
			t.Errorf("edit ran in %q", c.Dir)
		}
		if _, err := os.Stat(c.Dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("edit folder %q was not removed: %v", c.Dir, err)
		}
	}
	if _, err := os.Stat(filepath.Join(cwd, "lima.REJECTED.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lima.REJECTED.yaml in the working folder: %v", err)
	}
}

func TestMountAddThenRemove(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Running)
	folder := mountFolder(t, fake, "projects/app")
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● fx1")

	// Mount ~/projects/app, completing "proj" with tab.
	s.keys("Enter")
	s.chooseItem("Mount")
	s.waitFor("Mount a host folder in fx1", "Host folder")
	s.keys("~/proj", "Tab")
	s.waitFor("> ~/projects/")
	s.keys("app", "Enter")
	s.waitFor("Mount "+folder+" in fx1?", "restarts")
	s.keys("y")
	s.waitFor("✓ Mounted", "✓ Done in")
	s.keys("Escape")
	screen := s.waitFor("Mounts of fx1", folder)
	if !regexp.MustCompile(`read-write\s+` + regexp.QuoteMeta(folder)).MatchString(screen) {
		t.Errorf("Mounts page does not show %s read-write:\n%s", folder, screen)
	}
	inst, _ := fake.Instance(t, "fx1")
	want := []limatest.Mount{{Location: fake.Home, MountPoint: fake.Home}, {Location: folder, MountPoint: folder, Writable: true}}
	if !slices.Equal(inst.Mounts, want) || inst.Status != limatest.Running {
		t.Errorf("fx1 after the mount: %s with %+v", inst.Status, inst.Mounts)
	}
	if !hasCall(t, fake, "shell --tty=false --workdir / fx1 -- test -d "+folder) {
		t.Errorf("the mount point was not checked inside the VM; calls %q", argvs(t, fake))
	}
	if !hasCall(t, fake, "shell --tty=false --workdir / fx1 -- test -w "+folder) {
		t.Errorf("the mount point was not checked for writing inside the VM; calls %q", argvs(t, fake))
	}

	// Remove it again from the Mounts page.
	s.keys("u")
	s.waitFor("Unmount a folder from fx1", "▶ "+folder)
	s.keys("Enter")
	s.waitFor("Unmount " + folder + " from fx1?")
	s.keys("y")
	s.waitFor("is no longer", "✓ Done in")
	s.keys("Escape")
	s.waitFor("Mounts of fx1", "(home folder)")
	s.waitGone(folder)
	inst, _ = fake.Instance(t, "fx1")
	if !slices.Equal(inst.Mounts, want[:1]) || inst.Status != limatest.Running {
		t.Errorf("fx1 after the removal: %s with %+v", inst.Status, inst.Mounts)
	}
	checkEditFolders(t, fake)
	if len(editCalls(t, fake)) != 2 {
		t.Errorf("calls = %q", argvs(t, fake))
	}
}

// TestMountRefusedEditKeepsMounts replays limactl's refusal of a mount
// list with a system path, as recorded from limactl 2.2.0.
func TestMountRefusedEditKeepsMounts(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Running)
	mountFolder(t, fake, "app")
	refusal, err := os.ReadFile(filepath.Join("..", "testdata", "limactl-v2.2.0", "edit-mount-stopped.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	fake.SetFault(t, "edit", limatest.Fault{Exit: 1, Stderr: string(refusal)})
	before, _ := fake.Instance(t, "fx1")
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● fx1")

	s.keys("Enter")
	s.chooseItem("Mount")
	s.waitFor("Mount a host folder in fx1")
	s.keys("~/app", "Enter")
	s.waitFor("in fx1?")
	s.keys("y")
	s.waitFor("limactl rejected the new mount list", "must not be", "keeps its old mounts", "✗ Failed")
	s.keys("Escape")
	s.waitFor("Mounts of fx1")

	after, _ := fake.Instance(t, "fx1")
	if !slices.Equal(after.Mounts, before.Mounts) {
		t.Errorf("mounts changed by a refused edit: %+v", after.Mounts)
	}
	if after.Status != limatest.Running {
		t.Errorf("fx1 is %s after a refused edit, want Running", after.Status)
	}
	calls := argvs(t, fake)
	edit := slices.IndexFunc(calls, func(c string) bool { return strings.HasPrefix(c, "edit ") })
	if edit < 0 || !slices.Contains(calls[edit:], "start --tty=false fx1") {
		t.Errorf("no start after the refused edit; calls %q", calls)
	}
	checkEditFolders(t, fake)
}

// TestMountRejectedConfigRemoved lets the fake refuse the edit itself: an
// existing mount at /usr, which Lima rejects as a mount point, makes every
// new list invalid, and limactl writes lima.REJECTED.yaml where it runs.
func TestMountRejectedConfigRemoved(t *testing.T) {
	fake := limatest.New(t)
	old := []limatest.Mount{{Location: fake.Home, MountPoint: fake.Home}, {Location: "/usr", MountPoint: "/usr"}}
	fake.AddInstance(t, "fx1", limatest.Running, limatest.WithMounts(old...))
	mountFolder(t, fake, "app")
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● fx1")

	s.keys("Enter")
	s.chooseItem("Mount")
	s.waitFor("Mount a host folder in fx1")
	s.keys("~/app", "Enter")
	s.waitFor("in fx1?")
	s.keys("y")
	s.waitFor("limactl rejected the new mount list", "✗ Failed")
	// The notes written right after the refusal sit above the boot log.
	s.keys("PPage")
	s.waitFor("lima.REJECTED.yaml that limactl names is discarded", "keeps its old mounts. Starting it again.")

	after, _ := fake.Instance(t, "fx1")
	if !slices.Equal(after.Mounts, old) || after.Status != limatest.Running {
		t.Errorf("fx1 after a refused edit: %s with %+v", after.Status, after.Mounts)
	}
	if len(editCalls(t, fake)) != 1 {
		t.Fatalf("calls = %q", argvs(t, fake))
	}
	checkEditFolders(t, fake)
}

func TestMountFailedStartLeavesStopped(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Running)
	folder := mountFolder(t, fake, "app")
	fake.SetFault(t, "start", limatest.Fault{Exit: 1, Once: true, Stderr: limatest.FatalLine("did not receive an event with the \"running\" status")})
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● fx1")

	s.keys("Enter")
	s.chooseItem("Mount")
	s.waitFor("Mount a host folder in fx1")
	s.keys("~/app", "Enter")
	s.waitFor("in fx1?")
	s.keys("y")
	s.waitFor("did not start with the new mounts", "left stopped", "✗ Failed")
	s.keys("Escape")
	s.waitFor("Stopped")

	after, _ := fake.Instance(t, "fx1")
	if after.Status != limatest.Stopped {
		t.Errorf("fx1 is %s after a failed start, want Stopped", after.Status)
	}
	if !slices.Contains(after.Mounts, limatest.Mount{Location: folder, MountPoint: folder, Writable: true}) {
		t.Errorf("the new mount list was not kept: %+v", after.Mounts)
	}
}
