package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/assets"
	"github.com/japacx/aisand/internal/limatest"
)

// fillWizard fills in the New VM wizard: name, 2 CPUs, 2 GiB, 20 GiB and
// the given folders, and stops at the summary.
func fillWizard(s *session, name string, folders ...string) {
	s.t.Helper()
	s.keys("g")
	s.waitFor("New VM", "Stop all")
	s.keys("Enter")
	s.waitFor("step 1 of 6")
	s.keys(name, "Enter")
	s.waitFor("step 2 of 6")
	s.keys("C-u", "2", "Enter")
	s.waitFor("step 3 of 6")
	s.keys("C-u", "2", "Enter")
	s.waitFor("step 4 of 6")
	s.keys("C-u", "20", "Enter")
	s.waitFor("step 5 of 6")
	for _, folder := range folders {
		s.keys(folder, "Enter")
		s.waitFor(strings.Replace(folder, "~", s.fake.Home, 1) + " (read-write)")
	}
	s.keys("Enter")
	s.waitFor("step 6 of 6", "Create and start this VM?")
}

func TestCreateWithTwoFolders(t *testing.T) {
	fake := limatest.New(t)
	for _, dir := range []string{"src/one", "work"} {
		if err := os.MkdirAll(filepath.Join(fake.Home, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := start(t, fake, aisandBin, "FAKE_LIMACTL_LINE_DELAY=20ms")
	s.waitFor("No VMs yet.")

	one := filepath.Join(fake.Home, "src", "one")
	work := filepath.Join(fake.Home, "work")
	fillWizard(s, "dev", "~/src/one", work)
	s.waitFor(fake.Home+" (read-only)", "Ubuntu 25.10 (built in)")
	s.keys("Enter")
	s.waitFor("Create dev", "✓ Done in")
	s.keys("Escape")
	s.waitFor("▶ ● dev", "The VM dev is created and running.")

	// Shallower folders come first, so no mount hides another.
	want := "create --tty=false --name dev --cpus 2 --memory 2 --disk 20 --mount-only " + fake.Home + "," + work + ":w," + one + ":w -"
	if !hasCall(t, fake, want) || !hasCall(t, fake, "start --tty=false dev") {
		t.Errorf("calls = %q\nwant %q", argvs(t, fake), want)
	}
	if got := fake.Template(t, "dev"); got != string(assets.Template) {
		t.Errorf("the fake got another template:\n%s", got)
	}
	inst, ok := fake.Instance(t, "dev")
	if !ok || inst.Status != limatest.Running || len(inst.Mounts) != 3 {
		t.Fatalf("instance = %+v", inst)
	}
	if inst.Mounts[0].Location != fake.Home || inst.Mounts[0].Writable || !inst.Mounts[1].Writable || !inst.Mounts[2].Writable {
		t.Errorf("mounts = %+v", inst.Mounts)
	}
}

func TestCreateFromUserTemplate(t *testing.T) {
	fake := limatest.New(t)
	file := filepath.Join(t.TempDir(), "local.yaml")
	if err := os.WriteFile(file, []byte("images:\n- location: /images/local.qcow2\ncpus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, fake, aisandBin, "AISAND_TEMPLATE="+file)
	s.waitFor("No VMs yet.")
	fillWizard(s, "own")
	s.waitFor(file, "as your template sets them")
	s.keys("Enter")
	s.waitFor("Create own", "✓ Done in")
	if !hasCall(t, fake, "create --tty=false --name own --cpus 2 --memory 2 --disk 20 "+file) {
		t.Errorf("calls = %q", argvs(t, fake))
	}
}

func TestCreateCancelDeletes(t *testing.T) {
	fake := limatest.New(t)
	s := start(t, fake, aisandBin, "FAKE_LIMACTL_LINE_DELAY=400ms")
	s.waitFor("No VMs yet.")
	fillWizard(s, "slow")
	s.keys("Enter")
	s.waitFor("Create slow", "esc cancel")
	s.keys("q", "Enter")
	s.waitFor("Create slow")
	s.keys("Escape")
	s.waitFor("Cancel and delete this VM?")
	s.keys("y")
	s.waitFor("Canceled: the VM slow was deleted.")
	if _, ok := fake.Instance(t, "slow"); ok {
		t.Error("the instance still exists after the cancel")
	}
	if !hasCall(t, fake, "delete --force slow") {
		t.Errorf("calls = %q", argvs(t, fake))
	}
	screen := s.waitFor("No VMs yet.")
	if strings.Contains(screen, "○ slow") || strings.Contains(screen, "● slow") {
		t.Errorf("the list still shows the VM:\n%s", screen)
	}
}

func TestCreateFailedRetryAndDelete(t *testing.T) {
	fake := limatest.New(t)
	fake.SetFault(t, "create:vm1", limatest.Fault{OfflineImage: true})
	fake.SetFault(t, "create:vm2", limatest.Fault{OfflineImage: true})
	s := start(t, fake, aisandBin)
	s.waitFor("No VMs yet.")

	// vm1: retry the start.
	fillWizard(s, "vm1")
	s.keys("Enter")
	s.waitFor("Creating vm1 failed", "failed to download", "was made and is Stopped", "Try starting it", "Delete the VM")
	s.keys("Enter")
	s.waitFor("Start vm1", "✓ Done in")
	s.keys("Escape")
	s.waitFor("▶ ● vm1")
	if !hasCall(t, fake, "start --tty=false vm1") {
		t.Errorf("calls = %q", argvs(t, fake))
	}

	// vm2: delete the half-made VM.
	fillWizard(s, "vm2")
	s.keys("Enter")
	s.waitFor("Creating vm2 failed", "Delete the VM")
	s.keys("Down", "Enter")
	s.waitFor("Deleted the VM vm2.")
	if _, ok := fake.Instance(t, "vm2"); ok {
		t.Error("vm2 still exists")
	}
	if !hasCall(t, fake, "delete --force vm2") {
		t.Errorf("calls = %q", argvs(t, fake))
	}
}

func TestCreateRejectsTakenName(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "Dev", limatest.Stopped)
	s := start(t, fake, aisandBin)
	s.waitFor("Dev")
	s.keys("g")
	s.waitFor("New VM")
	s.keys("Enter")
	s.waitFor("step 1 of 6")
	s.keys("dev", "Enter")
	s.waitFor(`the VM "Dev" already exists`)
	s.keys("Escape")
	s.waitGone("step 1 of 6")
}

func TestStopAllWithOneFailure(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "a1", limatest.Running)
	fake.AddInstance(t, "b2", limatest.Running)
	fake.AddInstance(t, "c3", limatest.Stopped)
	fake.SetFault(t, "stop:b2", limatest.Fault{Exit: 1, Stderr: limatest.FatalLine("failed to shut down b2")})
	s := start(t, fake, aisandBin)
	s.waitFor("a1", "b2", "c3")
	s.keys("g")
	s.waitFor("Stop all")
	s.keys("Down", "Enter")
	s.waitFor("Stop all 2 running VMs?")
	s.keys("y")
	s.waitFor("Stop all VMs", "✓ Stopped 1: a1", "✗ Failed to stop b2: failed to shut down b2", "1 of 2 VMs failed to stop")
	if !hasCall(t, fake, "stop a1") || !hasCall(t, fake, "stop b2") || hasCall(t, fake, "stop c3") {
		t.Errorf("calls = %q", argvs(t, fake))
	}
	if inst, _ := fake.Instance(t, "a1"); inst.Status != limatest.Stopped {
		t.Errorf("a1 is %s", inst.Status)
	}
}
