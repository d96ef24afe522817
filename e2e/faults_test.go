package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/limatest"
)

func TestLimactlMissing(t *testing.T) {
	s := start(t, nil, aisandBin, "AISAND_LIMACTL="+filepath.Join(t.TempDir(), "nowhere", "limactl"))
	s.waitFor("Host Setup", "✗ limactl", "AISAND_LIMACTL")
	s.keys("q")
	s.waitExit()
}

func TestListGarbageKeepsUIWorking(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Stopped)
	fake.SetFault(t, "list", limatest.Fault{Exit: 0, Stdout: "{\"name\":\"good\",\"status\":\"Running\"}\nnot json at all\n", Once: true})
	s := start(t, fake, aisandBin)
	s.waitFor("good", "limactl list output line 2")
	s.keys("r")
	s.waitFor("fx1")
	s.waitGone("good")
}

func TestListFailureShowsMessage(t *testing.T) {
	fake := limatest.New(t)
	fake.SetFault(t, "list", limatest.Fault{Exit: 1, Stderr: limatest.FatalLine("something went wrong in limactl")})
	s := start(t, fake, aisandBin)
	s.waitFor("limactl list: something went wrong in limactl")
	s.keys("q")
	s.waitExit()
}

func TestListHangTimesOut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the list timeout")
	}
	fake := limatest.New(t)
	fake.SetFault(t, "list", limatest.Fault{Hang: true})
	s := start(t, fake, aisandBin, "AISAND_QUERY_TIMEOUT=1s")
	s.waitFor("timed out after 1s")
	s.keys("q")
	s.waitExit()
}

// TestRootRefused runs a build without the test switch, so it only means
// something where the tests run as root, as CI does.
func TestRootRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	bin := filepath.Join(t.TempDir(), "aisand")
	if err := buildAisand(bin, false); err != nil {
		t.Fatal(err)
	}
	s := start(t, limatest.New(t), bin)
	s.waitFor("running as root", "your own user")
	s.keys("q")
	s.waitExit()
}

func TestQuitEndsHangingList(t *testing.T) {
	fake := limatest.New(t)
	fake.SetFault(t, "list", limatest.Fault{Hang: true})
	s := startInShell(t, fake, aisandBin)
	s.waitFor("loading")
	waitForProcess(t, fake.State, true)
	s.keys("q")
	s.waitFor("aisand exited with status 0", "terminal mode: cooked")
	waitForProcess(t, fake.State, false)
}

func TestProblemScreenExitsWithError(t *testing.T) {
	fake := limatest.New(t)
	s := startInShell(t, fake, aisandBin, "AISAND_QUERY_TIMEOUT=bad")
	s.waitFor("AISAND_QUERY_TIMEOUT")
	s.keys("q")
	s.waitFor("aisand exited with status 1")
}

// waitForProcess waits until a process whose environment names the fake's
// state folder is running (want true) or none is (want false).
func waitForProcess(t *testing.T, state string, want bool) {
	t.Helper()
	deadline := time.Now().Add(screenTimeout)
	for time.Now().Before(deadline) {
		if hasFakeProcess(state) == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("fake limactl running = %v, want %v", !want, want)
}

func hasFakeProcess(state string) bool {
	entries, _ := os.ReadDir("/proc")
	needle := []byte("FAKE_LIMACTL_STATE=" + state + "\x00")
	for _, e := range entries {
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if bytes.Contains(env, needle) && bytes.Contains(cmdline, []byte("list")) {
			return true
		}
	}
	return false
}
