package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/limatest"
	"github.com/japacx/aisand/internal/tools"
)

// toolGuestHandler is the fake guest of the tool picker tests. It runs the
// real probe with bash and the guest's bin/ as the whole PATH, so only the
// stand-ins placed there count as installed. The opencode install script
// downloads, so the handler replaces it: the first run fails and later runs
// put an opencode executable in bin/. Marker files in the guest
// folder change the probe: probe-slow delays it once, probe-fails fails it
// once.
const toolGuestHandler = `#!/bin/bash
set -euo pipefail
guest=$(cd "$(dirname "$0")" && pwd)
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script"

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
	shift
	PATH="$guest/bin" "$program" "$@" <"$script"
	exit
fi

if cmp -s "$script" "$guest/opencode.sh"; then
	echo "aisand: downloading opencode"
	if [[ ! -e $guest/failed-once ]]; then
		touch "$guest/failed-once"
		echo "curl: (6) Could not resolve host: opencode.ai" >&2
		exit 6
	fi
	printf '#!/bin/sh\necho 1.0.0\n' >"$guest/bin/opencode"
	chmod +x "$guest/bin/opencode"
	echo "aisand: opencode is ready"
	exit 0
fi

echo "handler: unexpected script on stdin" >&2
exit 97
`

// toolGuest sets up the fake guest of instance name: brew present on its
// PATH, opencode missing, and the scripts the handler compares stdin with.
func toolGuest(t *testing.T, fake *limatest.Fake, name string) string {
	t.Helper()
	guest := fake.GuestDir(name)
	opencode, ok := tools.Lookup("opencode")
	if !ok {
		t.Fatal("opencode is not in the catalog")
	}
	files := map[string][]byte{
		"probe.sh":    tools.ProbeScript(),
		"opencode.sh": opencode.InstallScript(),
		"bin/brew":    []byte("#!/bin/sh\necho 'Homebrew 4.0.0'\n"),
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

// toolRow returns the screen line that shows the tool.
func toolRow(t *testing.T, screen, tool string) string {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, " "+tool+" ") {
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
	probeArgv := "shell --tty=false --workdir / dev -- bash -s /home/alice.guest"
	if !hasCall(t, fake, probeArgv) {
		t.Fatalf("no probe call %q in %q", probeArgv, argvs(t, fake))
	}

	// brew is grayed: choosing it installs nothing.
	s.keys("Up", "Enter")
	// The temporary guest path is too long for the footer, so only its
	// start is checked.
	s.waitFor("brew is already installed in dev at " + guest[:20])

	// The first install fails with the script's last lines and exit status.
	s.keys("Down", "Enter")
	s.waitFor("Install opencode in dev", "aisand: downloading opencode", "Could not resolve host: opencode.ai",
		"failed (exit status 6)", "✗ Failed")
	s.keys("Escape")
	screen = s.waitFor("Install a tool in dev", "not installed")
	if row := toolRow(t, screen, "opencode"); !strings.Contains(row, "not installed") {
		t.Errorf("opencode row after a failed install: %q", row)
	}

	// Running it again works, and the probe after it finds both tools.
	s.keys("Enter")
	s.waitFor("Install opencode in dev", "aisand: opencode is ready", "✓ Done in")
	s.keys("Escape")
	screen = s.waitFor("Install a tool in dev", "Every tool is installed.")
	if strings.Contains(screen, "not installed") {
		t.Errorf("a tool still shows not installed:\n%s", screen)
	}
	for _, tool := range []string{"brew", "opencode"} {
		if row := toolRow(t, screen, tool); !strings.Contains(row, "installed") {
			t.Errorf("%s row: %q", tool, row)
		}
	}

	// The fake received probe, install, probe, install, probe, each with
	// its script on stdin.
	installArgv := probeArgv + " " + fake.Home
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
