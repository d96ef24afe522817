package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/limatest"
)

// TestMountOnStoppedVM mounts a folder in a stopped VM, as after a start
// that failed with the new mounts, and removes it again: the VM stays
// stopped throughout.
func TestMountOnStoppedVM(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Stopped)
	folder := mountFolder(t, fake, "app")
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ○ fx1")

	s.keys("Enter")
	s.chooseItem("Mounts")
	s.waitFor("Mounts of fx1", "it stays stopped", "m mount a folder")
	s.keys("m")
	s.waitFor("Mount a host folder in fx1")
	s.keys("~/app", "Enter")
	s.waitFor("in fx1?", "stays stopped")
	s.keys("y")
	s.waitFor("✓ Added", "✓ Done in")
	inst, _ := fake.Instance(t, "fx1")
	if inst.Status != limatest.Stopped || !slices.Contains(inst.Mounts, limatest.Mount{Location: folder, MountPoint: folder, Writable: true}) {
		t.Errorf("fx1 after the mount: %s with %+v", inst.Status, inst.Mounts)
	}

	s.keys("Escape")
	s.waitFor("Mounts of fx1", folder)
	s.keys("u")
	s.waitFor("Unmount a folder from fx1", "▶ "+folder)
	s.keys("Enter")
	s.waitFor("from fx1?", "stays stopped")
	s.keys("y")
	s.waitFor("no longer in the mount list", "✓ Done in")
	inst, _ = fake.Instance(t, "fx1")
	if inst.Status != limatest.Stopped || len(inst.Mounts) != 1 {
		t.Errorf("fx1 after the removal: %s with %+v", inst.Status, inst.Mounts)
	}
	for _, argv := range argvs(t, fake) {
		if strings.HasPrefix(argv, "start") || strings.HasPrefix(argv, "stop") || strings.HasPrefix(argv, "shell") {
			t.Errorf("a stopped VM got %q", argv)
		}
	}
	checkEditFolders(t, fake)
}
