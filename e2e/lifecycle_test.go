package e2e

import (
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/limatest"
)

func TestLifecycleStartStopDelete(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Stopped)
	fake.AddInstance(t, "fx2", limatest.Running)
	s := start(t, fake, aisandBin, "FAKE_LIMACTL_LINE_DELAY=150ms")

	screen := s.waitFor("fx1", "fx2", "Stopped")
	if !strings.Contains(screen, "▶ ○ fx1") {
		t.Fatalf("fx1 is not selected and marked stopped:\n%s", screen)
	}

	// Start fx1: its boot log streams, then the list shows it running.
	s.keys("Enter")
	s.waitFor("Start", "needs Running")
	s.keys("Enter")
	screen = s.waitFor("Start fx1", "Waiting for the essential requirement 1 of 3")
	if strings.Contains(screen, "READY") {
		t.Fatalf("the whole log arrived at once instead of line by line:\n%s", screen)
	}
	s.keys("Escape", "q")
	screen = s.waitFor("✓ Done in", "READY. Run `limactl shell fx1` to open the shell.")
	s.keys("Escape")
	s.waitFor("▶ ● fx1", "● Running")
	if !hasCall(t, fake, "start --tty=false fx1") {
		t.Errorf("calls = %q", argvs(t, fake))
	}

	// Stop it again.
	s.keys("Enter", "Down", "Down", "Enter")
	s.waitFor("Stop fx1", "✓ Done in", "The instance fx1 has shut down")
	s.keys("Escape")
	s.waitFor("▶ ○ fx1", "○ Stopped")
	if !hasCall(t, fake, "stop fx1") {
		t.Errorf("calls = %q", argvs(t, fake))
	}

	// Delete it after y. The menu opens on Start, two rows above Delete.
	s.keys("Enter", "Down", "Down", "Enter")
	screen = s.waitFor("Delete fx1?", "y yes")
	if strings.Contains(screen, "by force") {
		t.Errorf("a stopped VM's question mentions force:\n%s", screen)
	}
	s.keys("y")
	s.waitFor("Delete fx1", "✓ Done in")
	s.keys("Escape")
	screen = s.waitGone("fx1")
	if !strings.Contains(screen, "▶ ● fx2") {
		t.Errorf("fx2 not selected after fx1 was deleted:\n%s", screen)
	}
	if _, ok := fake.Instance(t, "fx1"); ok {
		t.Error("fx1 still exists in the fake")
	}
	if !hasCall(t, fake, "delete fx1") {
		t.Errorf("calls = %q", argvs(t, fake))
	}
	s.keys("q")
	s.waitExit()
}

func TestDeleteRunningForces(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "busy", limatest.Running)
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● busy")
	s.keys("Enter", "Down", "Down", "Down", "Enter")
	s.waitFor("Delete busy?", "stopped by force")
	s.keys("n")
	s.waitGone("Delete busy?")
	s.keys("Enter", "Down", "Down", "Down", "Enter", "y")
	s.waitFor("Delete busy", "✓ Done in")
	if !hasCall(t, fake, "delete --force busy") {
		t.Errorf("calls = %q", argvs(t, fake))
	}
}

func TestStopFailureShowsLimactlMessage(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Running)
	fake.SetFault(t, "stop", limatest.Fault{Exit: 1, Stderr: limatest.FatalLine("expected status `Running`, got `Stopped` (maybe use `limactl stop -f`?)")})
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● fx1")
	s.keys("Enter", "Down", "Down", "Enter")
	s.waitFor("✗ Failed: expected status `Running`, got `Stopped`")
	s.keys("Escape")
	s.waitFor("▶ ● fx1")
	s.keys("r")
	s.waitFor("fx1")
}
