package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/limatest"
	"github.com/japacx/aisand/internal/tools"
)

// toolGuestHandler is the fake guest of the tool picker tests. It runs the
// real probe with bash and the guest's home/ in place of the guest home.
// Its PATH is the guest's bin/ and sys/, which contains only the programs
// the probe needs, so only the stand-ins placed in bin/ count. The opencode install script downloads, so the handler
// replaces it: the first run fails, and later runs put an opencode
// executable in bin/ unless one is there and link home/'s config and
// credentials to the host home. Marker files in the guest folder change
// the runs: probe-slow delays the probe once, probe-fails fails it once,
// install-works skips the first failure, and install-hangs makes the
// install wait until it is stopped.
const toolGuestHandler = `#!/bin/bash
set -euo pipefail
guest=$(cd "$(dirname "$0")" && pwd)
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script"
# The command is: bash -s GUEST_HOME HOST_HOME
host_home=$4

if cmp -s "$script" "$guest/probe.sh"; then
	if [[ -e $guest/probe-fails ]]; then
		rm "$guest/probe-fails"
		echo "bash: /dev/stdin: Permission denied" >&2
		exit 126
	fi
	if [[ -e $guest/probe-slow ]]; then
		rm "$guest/probe-slow"
		sleep 2
	fi
	program=$(command -v "$1")
	PATH="$guest/bin:$guest/sys" "$program" -s "$guest/home" "$host_home" <"$script"
	exit
fi

if cmp -s "$script" "$guest/opencode.sh"; then
	echo "aisand: downloading opencode"
	if [[ -e $guest/install-hangs ]]; then
		exec sleep 60
	fi
	if [[ ! -e $guest/failed-once && ! -e $guest/install-works ]]; then
		touch "$guest/failed-once"
		echo "curl: (6) Could not resolve host: opencode.ai" >&2
		exit 6
	fi
	if [[ ! -e $guest/bin/opencode ]]; then
		printf '#!/bin/sh\necho 1.0.0\n' >"$guest/bin/opencode"
		chmod +x "$guest/bin/opencode"
	fi
	mkdir -p "$guest/home/.config" "$guest/home/.local/share/opencode"
	ln -sfn "$host_home/.config/opencode" "$guest/home/.config/opencode"
	ln -sfn "$host_home/.local/share/opencode/auth.json" "$guest/home/.local/share/opencode/auth.json"
	echo "aisand: opencode is ready"
	exit 0
fi

echo "handler: unexpected script on stdin" >&2
exit 97
`

// toolGuest sets up the fake guest of instance name: brew present on its
// PATH with its login line, opencode missing, and the scripts the handler
// compares stdin with.
func toolGuest(t *testing.T, fake *limatest.Fake, name string) string {
	t.Helper()
	guest := fake.GuestDir(name)
	opencode, ok := tools.Lookup("opencode")
	if !ok {
		t.Fatal("opencode is not in the catalog")
	}
	brew := filepath.Join(guest, "bin", "brew")
	files := map[string][]byte{
		"probe.sh":      tools.ProbeScript(),
		"opencode.sh":   opencode.InstallScript(),
		"bin/brew":      []byte("#!/bin/sh\necho 'Homebrew 4.0.0'\n"),
		"home/.profile": []byte(`eval "$(` + brew + ` shellenv)"` + "\n"),
	}
	for file, data := range files {
		path := filepath.Join(guest, file)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, program := range []string{"grep", "readlink"} {
		found, err := exec.LookPath(program)
		if err != nil {
			t.Fatalf("the probe needs %s: %v", program, err)
		}
		link := filepath.Join(guest, "sys", program)
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(found, link); err != nil {
			t.Fatal(err)
		}
	}
	fake.SetGuestHandler(t, name, toolGuestHandler)
	return guest
}

// touch creates an empty marker file.
func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// chooseMenuItem moves the open menu's cursor down to label and chooses it.
func (s *session) chooseMenuItem(label string) {
	s.t.Helper()
	for range 12 {
		if strings.Contains(s.screen(), "▶ "+label) {
			s.keys("Enter")
			return
		}
		s.keys("Down")
	}
	s.t.Fatalf("menu has no item %q:\n%s", label, s.screen())
}

// toolRow returns the screen line that shows the tool, selected or not.
func toolRow(t *testing.T, screen, tool string) string {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "│ ▶ "+tool+" ") || strings.Contains(line, "│   "+tool+" ") {
			return line
		}
	}
	t.Fatalf("no row for %s:\n%s", tool, screen)
	return ""
}

// guestCalls returns the fake's shell calls of the form `shell ... -- bash -s ARGS`.
func guestCalls(t *testing.T, fake *limatest.Fake) []limatest.Call {
	t.Helper()
	var calls []limatest.Call
	for _, c := range fake.Calls(t) {
		if len(c.Argv) > 0 && c.Argv[0] == "shell" {
			calls = append(calls, c)
		}
	}
	return calls
}

func TestToolPickerInstallsMissingTool(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "dev", limatest.Running, limatest.WithUser("alice", 1000))
	guest := toolGuest(t, fake, "dev")
	touch(t, filepath.Join(guest, "probe-slow"))
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● dev")

	// The picker probes with a spinner, then shows brew installed and
	// opencode not.
	s.keys("Enter")
	s.waitFor("Install tool")
	s.chooseMenuItem("Install tool")
	s.waitFor("Install a tool in dev", "Checking which tools are installed in dev", "checking…")
	screen := s.waitFor("not installed", "Enter installs opencode")
	if row := toolRow(t, screen, "brew"); !strings.Contains(row, "installed") || strings.Contains(row, "not installed") {
		t.Errorf("brew row: %q", row)
	}
	if row := toolRow(t, screen, "opencode"); !strings.Contains(row, "not installed") || !strings.Contains(row, "▶") {
		t.Errorf("opencode row is not missing and selected: %q", row)
	}
	probeArgv := "shell --tty=false --workdir / dev -- bash -s /home/alice.guest " + fake.Home
	if !hasCall(t, fake, probeArgv) {
		t.Fatalf("no probe call %q in %q", probeArgv, argvs(t, fake))
	}

	// brew is grayed: choosing it installs nothing, and enter leaves the
	// footer.
	s.keys("Up")
	s.waitGone("enter install")
	s.keys("Enter")
	// The footer wraps at spaces, so the long temporary path starts a line
	// of its own.
	s.waitFor("brew is already installed in dev at", guest[:20])

	// The first install fails with the script's last lines and exit status.
	s.keys("Down", "Enter")
	s.waitFor("Install opencode in dev", "aisand: downloading opencode", "Could not resolve host: opencode.ai",
		"failed (exit status 6)", "✗ Failed")
	s.keys("Escape")
	screen = s.waitFor("Install a tool in dev", "not installed", "The last install of opencode failed: exit status 6")
	if row := toolRow(t, screen, "opencode"); !strings.Contains(row, "not installed") {
		t.Errorf("opencode row after a failed install: %q", row)
	}

	// Running it again works, and the probe after it finds both tools.
	s.keys("Enter")
	s.waitFor("Install opencode in dev", "aisand: opencode is ready", "✓ Done in")
	s.keys("Escape")
	screen = s.waitFor("Install a tool in dev", "Every tool is installed.")
	if strings.Contains(screen, "not installed") || strings.Contains(screen, "The last install") {
		t.Errorf("a tool still shows not installed:\n%s", screen)
	}
	for _, tool := range []string{"brew", "opencode"} {
		if row := toolRow(t, screen, tool); !strings.Contains(row, "installed") {
			t.Errorf("%s row: %q", tool, row)
		}
	}

	// The fake received probe, install, probe, install, probe, each with
	// its script on stdin.
	installArgv := probeArgv
	opencode, _ := tools.Lookup("opencode")
	want := []struct{ argv, stdin string }{
		{probeArgv, string(tools.ProbeScript())},
		{installArgv, string(opencode.InstallScript())},
		{probeArgv, string(tools.ProbeScript())},
		{installArgv, string(opencode.InstallScript())},
		{probeArgv, string(tools.ProbeScript())},
	}
	calls := guestCalls(t, fake)
	if len(calls) != len(want) {
		t.Fatalf("shell calls = %q, want %d", argvs(t, fake), len(want))
	}
	for i, c := range calls {
		if got := strings.Join(c.Argv, " "); got != want[i].argv {
			t.Errorf("shell call %d = %q, want %q", i, got, want[i].argv)
		}
		if c.Stdin != want[i].stdin {
			t.Errorf("shell call %d got another script on stdin (%d bytes)", i, len(c.Stdin))
		}
	}

	s.keys("Escape")
	s.waitGone("Install a tool in dev")
	s.keys("q")
	s.waitExit()
}

func TestToolPickerProbeFailureThenRetry(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "dev", limatest.Running, limatest.WithUser("alice", 1000))
	guest := toolGuest(t, fake, "dev")
	touch(t, filepath.Join(guest, "probe-fails"))
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ● dev")

	s.keys("Enter")
	s.waitFor("Install tool")
	s.chooseMenuItem("Install tool")
	s.waitFor("Could not check which tools are installed: exit status 126: bash: /dev/stdin: Permission denied",
		"Press r to check again", "unknown")
	s.keys("r")
	screen := s.waitFor("not installed")
	if row := toolRow(t, screen, "brew"); strings.Contains(row, "not installed") {
		t.Errorf("brew row after the retry: %q", row)
	}
	if strings.Contains(screen, "Could not check") {
		t.Errorf("the old error is still shown:\n%s", screen)
	}
}

func TestInstallToolGrayedWhenStopped(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "off", limatest.Stopped)
	s := start(t, fake, aisandBin)
	s.waitFor("▶ ○ off")
	s.keys("Enter")
	s.waitFor("Install tool  (needs Running)")
	s.chooseMenuItem("Install tool")
	s.waitFor("Install tool: needs Running")
	if strings.Contains(s.screen(), "Install a tool in") {
		t.Error("the picker opened for a stopped VM")
	}
	if calls := guestCalls(t, fake); len(calls) != 0 {
		t.Errorf("shell calls on a stopped VM: %q", argvs(t, fake))
	}
}

// openToolPicker opens the picker of the selected instance dev.
func (s *session) openToolPicker() {
	s.t.Helper()
	s.waitFor("▶ ● dev")
	s.keys("Enter")
	s.waitFor("Install tool")
	s.chooseMenuItem("Install tool")
}

func TestToolPickerSetsUpPresentOpencode(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "dev", limatest.Running, limatest.WithUser("alice", 1000))
	guest := toolGuest(t, fake, "dev")
	// OpenCode installed some other way, such as with npm, without links.
	if err := os.WriteFile(filepath.Join(guest, "bin", "opencode"), []byte("#!/bin/sh\necho 0.9.0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	touch(t, filepath.Join(guest, "install-works"))
	s := start(t, fake, aisandBin)

	s.openToolPicker()
	screen := s.waitFor("needs setup", "keeps the installed opencode", "enter set up")
	if row := toolRow(t, screen, "opencode"); !strings.Contains(row, "needs setup") || !strings.Contains(row, "▶") {
		t.Errorf("opencode row is not selected and needing setup: %q", row)
	}

	s.keys("Enter")
	s.waitFor("Install opencode in dev", "aisand: opencode is ready", "✓ Done in")
	s.keys("Escape")
	s.waitFor("Every tool is installed.")
	data, err := os.ReadFile(filepath.Join(guest, "bin", "opencode"))
	if err != nil || !strings.Contains(string(data), "0.9.0") {
		t.Errorf("the present opencode was replaced: %q, %v", data, err)
	}
	link, err := os.Readlink(filepath.Join(guest, "home", ".local/share/opencode/auth.json"))
	if want := filepath.Join(fake.Home, ".local/share/opencode/auth.json"); err != nil || link != want {
		t.Errorf("auth.json links to %q (%v), want %q", link, err, want)
	}
}

func TestToolPickerStopsInstall(t *testing.T) {
	fake := limatest.New(t)
	fake.AddInstance(t, "dev", limatest.Running, limatest.WithUser("alice", 1000))
	guest := toolGuest(t, fake, "dev")
	touch(t, filepath.Join(guest, "install-hangs"))
	s := start(t, fake, aisandBin)

	s.openToolPicker()
	s.waitFor("Enter installs opencode")
	s.keys("Enter")
	s.waitFor("Install opencode in dev", "aisand: downloading opencode", "esc cancel")
	s.keys("Escape")
	s.waitFor("Stop installing opencode?", "Running it again later is safe.")
	s.keys("y")
	s.waitFor("Canceled after", "aisand: stopped installing opencode")
	s.keys("Escape")
	s.waitFor("Install a tool in dev", "The last install of opencode was stopped before it finished.")
	if _, err := os.Stat(filepath.Join(guest, "bin", "opencode")); err == nil {
		t.Error("the stopped install went on to put opencode in place")
	}
}
