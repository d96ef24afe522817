package ui

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/host"
	"github.com/japacx/aisand/internal/host/hosttest"
	"github.com/japacx/aisand/internal/lima"
)

// setupBrew is a fake Homebrew: `brew install lima` links the limactl
// from $SETUP_STORE next to brew itself. When $SETUP_FAIL_ONCE names a
// file that does not exist yet, the first install creates it and fails.
const setupBrew = `
case "$1" in
--version)
	echo "Homebrew 4.6.3"
	;;
install)
	echo "==> Fetching downloads for: $2"
	if [ -n "$SETUP_FAIL_ONCE" ] && [ ! -e "$SETUP_FAIL_ONCE" ]; then
		: > "$SETUP_FAIL_ONCE"
		echo "curl: (6) Could not resolve host: ghcr.io" >&2
		echo "Error: $2: Failed to download resource" >&2
		exit 1
	fi
	ln -s "$SETUP_STORE/limactl" "${0%/*}/limactl" || exit 1
	echo "==> Pouring $2"
	;;
*)
	exit 1
	;;
esac`

// newSetupHost returns a macOS host with brew and no limactl; a limactl
// waits in the store for the fake brew to link.
func newSetupHost(t *testing.T) *hosttest.System {
	t.Helper()
	h := newFakeHost(t, "darwin")
	h.LinkPrograms(t, "ln")
	store := filepath.Join(h.Root, "store")
	hosttest.WriteProgram(t, store, "limactl", `echo "limactl version 2.2.0"`)
	hosttest.WriteProgram(t, h.Bin, "brew", setupBrew)
	h.Setenv("SETUP_STORE", store)
	return h
}

// newSetupApp starts the app as aisand does when the start-up check finds
// something missing: no limactl client, and Host Setup with the report.
func newSetupApp(t *testing.T, sys host.System, stub *stubLimactl) *App {
	t.Helper()
	report := host.Check(context.Background(), sys)
	a := New(Config{
		RefreshEvery: time.Millisecond,
		Host: &HostSetup{
			System:  sys,
			Report:  &report,
			Connect: func() (Limactl, error) { return stub, nil },
		},
	})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	return a
}

// settle runs cmd and every command that the resulting messages return,
// feeding each message to a, until none is left. Timer messages are
// dropped, because they only start the same timers again.
func settle(t *testing.T, a *App, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			t.Fatal("commands did not settle")
		}
		next := queue[0]
		queue = queue[1:]
		if next == nil {
			continue
		}
		switch msg := next().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil, spinner.TickMsg, refreshTickMsg, tea.QuitMsg:
		default:
			_, more := a.Update(msg)
			queue = append(queue, more)
		}
	}
}

func setupOf(t *testing.T, a *App) *setupPage {
	t.Helper()
	p, ok := a.page.(*setupPage)
	if !ok {
		t.Fatalf("Host Setup is not open; page = %T\n%s", a.page, screen(a))
	}
	return p
}

func TestSetupOpensWhenLimactlMissing(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newSetupApp(t, newSetupHost(t), stub)
	setupOf(t, a)
	if a.Init() == nil {
		t.Error("Init starts nothing, not even the spinner")
	}
	s := screen(a)
	for _, want := range []string{"Host Setup", "✗ limactl", "missing", "brew install lima", "✓ brew", "4.6.3",
		"▶ Install the missing programs with Homebrew", "Continue to the VM list  (needs limactl)"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if len(stub.Calls()) != 0 {
		t.Errorf("limactl was called before it was installed: %q", stub.Calls())
	}
}

func TestSetupContinueGrayedUntilReady(t *testing.T) {
	stub := &stubLimactl{}
	a := newSetupApp(t, newSetupHost(t), stub)
	press(a, "down", "enter")
	setupOf(t, a)
	if !strings.Contains(screen(a), "Continue to the VM list: needs limactl") {
		t.Errorf("choosing the grayed item gives no reason:\n%s", screen(a))
	}
	if press(a, "esc"); a.page == nil {
		t.Error("esc left Host Setup although limactl is missing")
	}
	if a.refresh() != nil {
		t.Error("a refresh would call limactl before it exists")
	}
}

func TestSetupQuits(t *testing.T) {
	a := newSetupApp(t, newSetupHost(t), &stubLimactl{})
	if !isQuit(press(a, "q")) {
		t.Error("q does not quit Host Setup")
	}
}

func TestSetupInstallThenMainScreen(t *testing.T) {
	sys := newSetupHost(t)
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newSetupApp(t, sys, stub)

	settle(t, a, press(a, "enter"))
	if a.logView == nil || !a.logView.done {
		t.Fatalf("the install did not run in the log view:\n%s", screen(a))
	}
	log := screen(a)
	for _, want := range []string{"Host setup: install what aisand needs", "Step 1 of 1: Install Lima with Homebrew", "brew install lima", "Pouring lima", "✓ Done in"} {
		if !strings.Contains(log, want) {
			t.Errorf("log view lacks %q:\n%s", want, log)
		}
	}

	press(a, "esc")
	p := setupOf(t, a)
	s := screen(a)
	for _, want := range []string{"✓ limactl", "2.2.0", "Everything aisand needs is present", "▶ Continue to the VM list",
		"Install the missing programs with Homebrew  (every required program is present)"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen after the install lacks %q:\n%s", want, s)
		}
	}
	if p.client != stub {
		t.Errorf("the check after the install made no client: %v", p.connectErr)
	}

	settle(t, a, press(a, "enter"))
	if a.page != nil {
		t.Fatalf("Continue did not close Host Setup:\n%s", screen(a))
	}
	if !strings.Contains(screen(a), "agent-01") {
		t.Errorf("the main screen does not list the VMs:\n%s", screen(a))
	}
	calls := strings.Join(stub.Calls(), ",")
	if !strings.Contains(calls, "list") || !strings.Contains(calls, "--version") {
		t.Errorf("the main screen did not start with list and --version: %q", calls)
	}
}

func TestSetupFailedInstallOffersRetry(t *testing.T) {
	sys := newSetupHost(t)
	sys.Setenv("SETUP_FAIL_ONCE", filepath.Join(sys.Root, "failed-once"))
	a := newSetupApp(t, sys, &stubLimactl{})

	settle(t, a, press(a, "enter"))
	log := screen(a)
	for _, want := range []string{"Could not resolve host: ghcr.io", "Failed with exit status 1", "✗ Failed"} {
		if !strings.Contains(log, want) {
			t.Errorf("log view of the failure lacks %q:\n%s", want, log)
		}
	}

	press(a, "esc")
	s := screen(a)
	for _, want := range []string{"The install failed at: Install Lima with Homebrew", "Failed with exit status 1. The command was:", "Last output:",
		"Failed to download resource", "▶ Try the install again", "✗ limactl"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen after the failure lacks %q:\n%s", want, s)
		}
	}

	settle(t, a, press(a, "enter"))
	press(a, "esc")
	s = screen(a)
	if !strings.Contains(s, "Everything aisand needs is present") {
		t.Errorf("the retry did not install limactl:\n%s", s)
	}
	if strings.Contains(s, "The install failed") {
		t.Errorf("the old failure is still shown:\n%s", s)
	}
}

// TestSetupFreshHomebrewOnPath installs Homebrew through stand-ins for
// curl and Homebrew's installer. The installer puts brew in
// ~/.linuxbrew/bin, one of Homebrew's folders that is not on PATH, as a
// fresh install does.
func TestSetupFreshHomebrewOnPath(t *testing.T) {
	sys := newFakeHost(t, "darwin")
	sys.LinkPrograms(t, "ln", "mkdir", "cp", "bash")
	store := filepath.Join(sys.Root, "store")
	hosttest.WriteProgram(t, store, "limactl", `echo "limactl version 2.2.0"`)
	hosttest.WriteProgram(t, store, "brew", setupBrew)
	sys.Setenv("SETUP_STORE", store)
	// The fake curl writes an installer that copies the fake brew into place.
	hosttest.WriteProgram(t, sys.Bin, "curl", `
while [ $# -gt 0 ]; do
	if [ "$1" = --output ]; then output=$2; fi
	shift
done
printf '%s\n' 'mkdir -p "$HOME/.linuxbrew/bin" && cp "$SETUP_STORE/brew" "$HOME/.linuxbrew/bin/brew"' > "$output"`)
	a := newSetupApp(t, sys, &stubLimactl{})
	if !strings.Contains(screen(a), "brew") || !strings.Contains(screen(a), "not installed") {
		t.Fatalf("brew is not shown missing:\n%s", screen(a))
	}

	if cmd := press(a, "enter"); cmd != nil || a.confirm == nil {
		t.Fatalf("enter installs Homebrew without asking:\n%s", screen(a))
	}
	settle(t, a, press(a, "y"))
	if !strings.Contains(screen(a), "✓ Done in") {
		t.Fatalf("the install failed:\n%s", screen(a))
	}
	press(a, "esc")
	// The notes are wrapped at the screen width.
	s := oneLine(screen(a))
	brewFolder := filepath.Join(sys.Home, ".linuxbrew", "bin")
	for _, want := range []string{
		"Homebrew is installed in " + brewFolder + ", which was not on PATH",
		filepath.Join(sys.Home, ".bash_profile"),
		`eval "$(` + filepath.Join(brewFolder, "brew") + ` shellenv)"`,
		"Everything aisand needs is present",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("screen after a fresh Homebrew lacks %q:\n%s", want, s)
		}
	}
	if path := sys.Getenv("PATH"); !strings.HasPrefix(path, brewFolder+string(os.PathListSeparator)) {
		t.Errorf("PATH = %q, want the brew folder first", path)
	}
}

func TestSetupNothingInstallable(t *testing.T) {
	sys := newSetupHost(t)
	sys.Setenv("AISAND_LIMACTL", filepath.Join(sys.Root, "nowhere", "limactl"))
	a := newSetupApp(t, sys, &stubLimactl{})
	s := oneLine(screen(a))
	for _, want := range []string{"AISAND_LIMACTL=", "fix or unset AISAND_LIMACTL", "▶ Check again",
		"Fix what is shown above, then check again", "(Homebrew cannot install it, see above)"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if cmd := press(a, "up", "up", "enter"); cmd != nil || a.logView != nil {
		t.Error("enter started something although nothing can be installed")
	}
}

func TestSetupCheckAgainFindsLimactl(t *testing.T) {
	sys := newSetupHost(t)
	a := newSetupApp(t, sys, &stubLimactl{})
	if err := os.Symlink(filepath.Join(sys.Getenv("SETUP_STORE"), "limactl"), filepath.Join(sys.Bin, "limactl")); err != nil {
		t.Fatal(err)
	}
	cmd := press(a, "r")
	if !strings.Contains(screen(a), "Checking the host again") {
		t.Errorf("no sign of the check while it runs:\n%s", screen(a))
	}
	settle(t, a, cmd)
	if !strings.Contains(screen(a), "Everything aisand needs is present") {
		t.Errorf("r did not check again:\n%s", screen(a))
	}
}

func TestSetupSudoStepUsesTerminal(t *testing.T) {
	sys := newFakeHost(t, "darwin")
	hosttest.WriteProgram(t, sys.Bin, "sudo", "exit 0")
	a := newSetupApp(t, sys, &stubLimactl{})
	press(a, "enter")
	cmd := press(a, "y")
	if cmd == nil {
		t.Fatal("install returned no command")
	}
	if a.logView != nil {
		t.Error("the log view opened before sudo had the terminal")
	}

	refused := &host.StepError{Step: "Confirm administrator access for the Homebrew installer", Command: "sudo -v", ExitStatus: 1}
	a.Update(setupTerminalDoneMsg{err: refused})
	s := screen(a)
	for _, want := range []string{"The install failed at: Confirm administrator access", "Failed with exit status 1. The command was:", "      sudo -v", "▶ Try the install again"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen after a refused sudo lacks %q:\n%s", want, s)
		}
	}
}

func TestAnnouncedCommandPrintsTitle(t *testing.T) {
	program := hosttest.WriteProgram(t, t.TempDir(), "prompt", `echo "Password:"`)
	var out bytes.Buffer
	command := &announcedCommand{command: exec.Command(program), title: "aisand: Confirm administrator access"}
	command.SetStdin(strings.NewReader(""))
	command.SetStdout(&out)
	command.SetStderr(&out)
	if err := command.Run(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "aisand: Confirm administrator access\nPassword:\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

func TestSetupFromGlobalMenu(t *testing.T) {
	sys := newSetupHost(t)
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := New(Config{Limactl: stub, Host: &HostSetup{System: sys}})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	a.Update(a.refresh()())

	press(a, "g")
	for i := range a.menu.items {
		if a.menu.items[i].label == "Host setup" {
			a.menu.cursor = i
		}
	}
	settle(t, a, press(a, "enter"))
	p := setupOf(t, a)
	if !p.fromMenu || !strings.Contains(screen(a), "▶ Install the missing programs") || !strings.Contains(screen(a), "Back to the VM list") {
		t.Errorf("Host Setup from the menu:\n%s", screen(a))
	}
	press(a, "esc")
	if a.page != nil {
		t.Fatal("esc did not go back to the main screen")
	}
	if !strings.Contains(screen(a), "agent-01") {
		t.Errorf("main screen not shown after esc:\n%s", screen(a))
	}
}

func TestHostSetupItemGrayedWithoutHost(t *testing.T) {
	a := newTestApp(t, &stubLimactl{}, 100, 30)
	if item := a.hostSetupItem(); item.disabled == "" {
		t.Error("Host setup can be chosen without host checks")
	}
}

func TestActivationNoticeAtStart(t *testing.T) {
	activation := &host.Activation{Brew: "/opt/homebrew/bin/brew", AddedToPath: true,
		Profile: &host.ProfileLine{File: "/Users/you/.zprofile", Line: `eval "$(/opt/homebrew/bin/brew shellenv)"`}}
	a := New(Config{Limactl: &stubLimactl{}, Host: &HostSetup{Activation: activation}})
	a.Update(tea.WindowSizeMsg{Width: 200, Height: 30})
	if a.page != nil {
		t.Error("Host Setup opened although limactl is present")
	}
	if !strings.Contains(screen(a), `/Users/you/.zprofile: eval "$(/opt/homebrew/bin/brew shellenv)"`) {
		t.Errorf("the profile line is not shown:\n%s", screen(a))
	}
}
