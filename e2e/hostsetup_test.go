package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/limatest"
)

// fakeBrew is a fake Homebrew. `brew install lima` links the fake
// limactl into the folder that the test put first on PATH, and logs each
// call with the NONINTERACTIVE value it received. When FAKE_BREW_FAIL_ONCE
// names a file that does not exist yet, the first install creates it and
// fails as brew does without a network.
const fakeBrew = `
case "$1" in
--version)
	echo "Homebrew 4.6.3"
	;;
install)
	echo "install $2 NONINTERACTIVE=$NONINTERACTIVE" >> "$FAKE_BREW_LOG"
	echo "==> Fetching downloads for: $2"
	if [ -n "$FAKE_BREW_FAIL_ONCE" ] && [ ! -e "$FAKE_BREW_FAIL_ONCE" ]; then
		: > "$FAKE_BREW_FAIL_ONCE"
		echo "curl: (6) Could not resolve host: ghcr.io" >&2
		echo "Error: $2: Failed to download resource" >&2
		exit 1
	fi
	if [ "$2" = lima ]; then
		ln -s "$FAKE_BREW_LIMACTL" "$FAKE_BREW_BIN/limactl" || exit 1
	fi
	echo "==> Pouring $2--2.2.0.bottle.tar.gz"
	echo "/home/linuxbrew/.linuxbrew/Cellar/$2/2.2.0: 42 files, 90MB"
	;;
*)
	echo "Error: Unknown command: $1" >&2
	exit 1
	;;
esac
`

// writeScript writes an executable shell script into folder.
func writeScript(t *testing.T, folder, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(folder, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// writeFakeQEMU writes stand-ins for the QEMU programs that Lima needs on
// Linux, under the names the host check looks for on common machines.
func writeFakeQEMU(t *testing.T, folder string) {
	t.Helper()
	names := []string{"qemu-img", "qemu-system-x86_64", "qemu-system-aarch64", "qemu-system-" + runtime.GOARCH}
	for _, name := range names {
		writeScript(t, folder, name, `echo "QEMU emulator version 10.1.0"`)
	}
}

// pathWithFakeQEMU returns the test's PATH behind a folder of fake QEMU
// programs. Without them, the host check on a Linux machine without QEMU
// keeps every test on the Host Setup screen.
func pathWithFakeQEMU(t *testing.T) string {
	t.Helper()
	folder := t.TempDir()
	writeFakeQEMU(t, folder)
	return folder + string(os.PathListSeparator) + os.Getenv("PATH")
}

// hostWithoutLima is a host whose PATH has only a fake brew, fake QEMU and
// the ln that the fake brew uses, so that no real limactl is found.
type hostWithoutLima struct {
	bin     string
	brewLog string
	env     []string
}

func newHostWithoutLima(t *testing.T, fake *limatest.Fake, failFirstInstall bool) *hostWithoutLima {
	t.Helper()
	root := t.TempDir()
	h := &hostWithoutLima{bin: filepath.Join(root, "bin"), brewLog: filepath.Join(root, "brew.log")}
	tools := filepath.Join(root, "tools")
	for _, folder := range []string{h.bin, tools} {
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeScript(t, h.bin, "brew", fakeBrew)
	writeFakeQEMU(t, h.bin)
	ln, err := exec.LookPath("ln")
	if err != nil {
		t.Skip("ln not found on PATH")
	}
	if err := os.Symlink(ln, filepath.Join(tools, "ln")); err != nil {
		t.Fatal(err)
	}

	h.env = append(fake.Env(),
		"PATH="+h.bin+string(os.PathListSeparator)+tools,
		"SHELL=/bin/bash",
		"FAKE_BREW_LOG="+h.brewLog,
		"FAKE_BREW_BIN="+h.bin,
		"FAKE_BREW_LIMACTL="+fake.Bin,
	)
	if failFirstInstall {
		h.env = append(h.env, "FAKE_BREW_FAIL_ONCE="+filepath.Join(root, "failed-once"))
	}
	return h
}

func (h *hostWithoutLima) brewCalls(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(h.brewLog)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Fields(strings.ReplaceAll(string(data), " ", "_"))
}

func TestHostSetupInstallsLima(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Stopped)
	h := newHostWithoutLima(t, fake, false)
	s := start(t, nil, aisandBin, h.env...)

	screen := s.waitFor("Host Setup", "✗ limactl", "missing", "▶ Install the missing programs with Homebrew")
	if !strings.Contains(screen, "Continue to the VM list  (needs limactl)") {
		t.Errorf("the way to the main screen is not grayed while limactl is missing:\n%s", screen)
	}
	if !strings.Contains(screen, "✓ brew") {
		t.Errorf("the fake brew is not listed as found:\n%s", screen)
	}

	s.keys("Enter")
	s.waitFor("Host setup: install what aisand needs", "brew install lima", "Pouring lima", "✓ Done in")
	s.keys("Escape")
	screen = s.waitFor("✓ limactl", "2.2.0", "Everything aisand needs is present", "▶ Continue to the VM list")
	if !strings.Contains(screen, "Install the missing programs with Homebrew  (every required program is present)") {
		t.Errorf("the install item is not grayed once all is present:\n%s", screen)
	}

	s.keys("Enter")
	s.waitFor("▶ ○ fx1", "○ Stopped")
	if got := h.brewCalls(t); len(got) != 1 || got[0] != "install_lima_NONINTERACTIVE=1" {
		t.Errorf("brew calls = %q, want one non-interactive install of lima", got)
	}
	listed := false
	for _, argv := range argvs(t, fake) {
		listed = listed || strings.HasPrefix(argv, "list ")
	}
	if !listed {
		t.Errorf("the main screen did not list the VMs with the installed limactl: %q", argvs(t, fake))
	}
	s.keys("q")
	s.waitExit()
}

func TestHostSetupRetryAfterFailedInstall(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Running)
	h := newHostWithoutLima(t, fake, true)
	s := start(t, nil, aisandBin, h.env...)

	s.waitFor("Host Setup", "▶ Install the missing programs with Homebrew")
	s.keys("Enter")
	s.waitFor("✗ Failed", "Could not resolve host: ghcr.io", "Failed with exit status 1")
	s.keys("Escape")
	screen := s.waitFor("The install failed at: Install Lima with Homebrew", "Failed with exit status 1",
		"Last output:", "Failed to download resource", "▶ Try the install again")
	if !strings.Contains(screen, "✗ limactl") {
		t.Errorf("limactl is not shown missing after the failure:\n%s", screen)
	}

	s.keys("Enter")
	s.waitFor("Pouring lima", "✓ Done in")
	s.keys("Escape")
	screen = s.waitFor("Everything aisand needs is present", "▶ Continue to the VM list")
	if strings.Contains(screen, "The install failed") {
		t.Errorf("the old failure is still shown after a successful retry:\n%s", screen)
	}
	s.keys("Enter")
	s.waitFor("▶ ● fx1")
	if got := h.brewCalls(t); len(got) != 2 {
		t.Errorf("brew calls = %q, want the failed install and the retry", got)
	}
}

func TestHostSetupFromGlobalMenu(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "fx1", limatest.Stopped)
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ○ fx1")
	s.keys("g")
	s.waitFor("Host setup")
	// Other global actions may come first in the menu.
	for i := 0; i < 10 && !strings.Contains(s.screen(), "▶ Host setup"); i++ {
		s.keys("Down")
		time.Sleep(100 * time.Millisecond)
	}
	s.keys("Enter")
	screen := s.waitFor("Host Setup", "✓ limactl", "Everything aisand needs is present", "▶ Back to the VM list")
	if !strings.Contains(screen, "esc back") {
		t.Errorf("the screen opened from the menu does not offer esc:\n%s", screen)
	}
	s.keys("Escape")
	s.waitFor("▶ ○ fx1")
}
