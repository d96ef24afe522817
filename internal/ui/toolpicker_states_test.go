package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/japacx/aisand/internal/lima"
)

// footer returns the screen's last line, where the picker's keys are.
func footer(a *App) string {
	lines := strings.Split(strings.TrimRight(screen(a), "\n"), "\n")
	return lines[len(lines)-1]
}

// flat returns the screen with its frame and line breaks folded into
// single spaces, so that a wrapped sentence can be searched for.
func flat(a *App) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "╭", " ", "╰", " ", "─", " ").Replace(screen(a))), " ")
}

func TestPickerNeedsSetupIsChoosable(t *testing.T) {
	t.Setenv("HOME", "/Users/you")
	stub := newGuestStub(map[string]string{
		"brew":     "/home/linuxbrew/.linuxbrew/bin/brew",
		"opencode": "/usr/local/bin/opencode",
	})
	stub.needsSetup["opencode"] = "config-link,auth-link"
	a := newTestApp(t, stub.stubLimactl, 120, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))
	p := picker(t, a)

	if p.tools[p.cursor].Name != "opencode" {
		t.Fatalf("cursor on %q, want opencode, which needs setup", p.tools[p.cursor].Name)
	}
	if got := p.stateText("opencode"); got != "needs setup" {
		t.Errorf("opencode state = %q, want needs setup", got)
	}
	want := "opencode is at /usr/local/bin/opencode but lacks the link to the host's OpenCode config " +
		"and the link to the host's OpenCode credentials. Enter adds what is missing"
	if !strings.Contains(flat(a), want) {
		t.Errorf("screen lacks %q:\n%s", want, screen(a))
	}
	if !strings.Contains(footer(a), "enter set up") {
		t.Errorf("footer = %q, want enter set up", footer(a))
	}
	if strings.Contains(flat(a), "Every tool is installed") {
		t.Errorf("a tool that needs setup counts as installed:\n%s", screen(a))
	}

	drain(t, a, press(a, "enter"))
	if a.logView == nil || a.logView.op.Title != "Install opencode in dev" {
		t.Fatalf("enter did not run the install:\n%s", screen(a))
	}
	press(a, "esc")
	if p.stateText("opencode") != "installed" || !p.allInstalled() {
		t.Errorf("opencode after the setup: %+v", p.states["opencode"])
	}
	if got := p.states["opencode"].Path; got != "/usr/local/bin/opencode" {
		t.Errorf("opencode path after the setup = %q, want the one present before", got)
	}
}

func TestPickerWarnsOfHostAccess(t *testing.T) {
	stub := newGuestStub(map[string]string{"brew": "/home/linuxbrew/.linuxbrew/bin/brew"})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))

	warning := "The VM can read, not change, every credential in the host's OpenCode auth.json and the host's whole ~/.config/opencode."
	if !strings.Contains(flat(a), warning) {
		t.Errorf("opencode selected, but the screen lacks %q:\n%s", warning, screen(a))
	}
	press(a, "up")
	if strings.Contains(flat(a), "every credential") {
		t.Errorf("brew selected, but the opencode warning is shown:\n%s", screen(a))
	}
}

func TestPickerStoppedVMSaysStartFirst(t *testing.T) {
	stub := newGuestStub(nil)
	stub.probeErr = &lima.Error{Op: "shell", Instance: "dev", ExitCode: 1, Kind: lima.KindWrongStatus,
		Message: "instance `dev` is stopped, run `limactl start dev` to start the instance"}
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	openCmd := openPicker(t, a, "dev")
	stub.stubLimactl.mu.Lock()
	stub.stubLimactl.list.Instances[0].Status = lima.StatusStopped
	stub.stubLimactl.mu.Unlock()
	drain(t, a, openCmd)

	s := flat(a)
	if !strings.Contains(s, "dev is not running (Stopped)") || !strings.Contains(s, "Start it from the list first") {
		t.Errorf("screen does not say the VM is stopped:\n%s", screen(a))
	}
	if strings.Contains(s, "Enter still installs") {
		t.Errorf("screen offers to install on a stopped VM:\n%s", screen(a))
	}
	if strings.Contains(footer(a), "enter") {
		t.Errorf("footer offers enter: %q", footer(a))
	}
	if cmd := press(a, "enter"); cmd != nil || a.logView != nil {
		t.Fatal("enter started an install on a stopped VM")
	}
	if !strings.Contains(a.notice.text, "dev is not running: start it first") {
		t.Errorf("notice = %q", a.notice.text)
	}
}

func TestPickerSSHFailureStillInstalls(t *testing.T) {
	stub := newGuestStub(nil)
	stub.probeErr = &lima.Error{Op: "shell", Instance: "dev", ExitCode: 255, Message: "ssh: connect to host 127.0.0.1 port 60022: Connection refused"}
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))

	p := picker(t, a)
	if p.notRunning {
		t.Errorf("a running VM whose probe failed counts as not running")
	}
	if !strings.Contains(flat(a), "Enter still installs the selected tool") {
		t.Errorf("the advice for a running VM is missing:\n%s", screen(a))
	}
}

func TestPickerLeaveCancelsProbe(t *testing.T) {
	stub := newGuestStub(nil)
	stub.blockProbe = true
	stub.started = make(chan string, 4)
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub

	results := make(chan any, 2)
	for range 2 {
		cmd := openPicker(t, a, "dev")
		go func() { results <- cmd() }()
		if kind := <-stub.started; kind != "probe" {
			t.Fatalf("started %q, want a probe", kind)
		}
		press(a, "esc")
		if a.page != nil {
			t.Fatal("esc did not close the picker")
		}
		select {
		case <-results:
		case <-time.After(10 * time.Second):
			t.Fatal("the probe went on after the picker was left")
		}
	}

	stub.mu.Lock()
	defer stub.mu.Unlock()
	if stub.canceledRuns != 2 {
		t.Errorf("%d probes were canceled, want 2", stub.canceledRuns)
	}
	if stub.maxActiveProbes != 1 {
		t.Errorf("%d probes ran at once, want 1", stub.maxActiveProbes)
	}
}

func TestPickerQuitCancelsProbe(t *testing.T) {
	stub := newGuestStub(nil)
	stub.blockProbe = true
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	cmd := openPicker(t, a, "dev")
	p := picker(t, a)
	if !isQuit(press(a, "q")) {
		t.Fatal("q did not quit")
	}
	msg := cmd().(toolProbeMsg)
	if msg.err == nil || msg.picker != p {
		t.Errorf("probe after quit: %+v, want a canceled call", msg)
	}
}

func TestPickerFooterHidesInstall(t *testing.T) {
	stub := newGuestStub(map[string]string{"brew": "/home/linuxbrew/.linuxbrew/bin/brew"})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	cmd := openPicker(t, a, "dev")
	if strings.Contains(footer(a), "enter install") {
		t.Errorf("footer offers enter while the probe runs: %q", footer(a))
	}
	drain(t, a, cmd)

	if !strings.Contains(footer(a), "enter install") {
		t.Errorf("opencode selected, footer = %q", footer(a))
	}
	press(a, "up")
	if strings.Contains(footer(a), "enter") {
		t.Errorf("installed brew selected, footer = %q", footer(a))
	}

	drain(t, a, press(a, "down", "enter"))
	press(a, "esc")
	if !picker(t, a).allInstalled() {
		t.Fatal("the install did not take")
	}
	if strings.Contains(footer(a), "enter") {
		t.Errorf("all installed, footer = %q", footer(a))
	}
}

func TestPickerProbeShowsElapsed(t *testing.T) {
	stub := newGuestStub(nil)
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	openPicker(t, a, "dev")
	picker(t, a).probeStarted = time.Now().Add(-75 * time.Second)
	if !regexp.MustCompile(`Checking which tools are installed in dev… 1:1\d`).MatchString(screen(a)) {
		t.Errorf("no elapsed time next to the spinner:\n%s", screen(a))
	}
}

func TestPickerRefreshWhileProbing(t *testing.T) {
	stub := newGuestStub(nil)
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	openPicker(t, a, "dev")
	gen := picker(t, a).probeGen
	if cmd := press(a, "r"); cmd != nil {
		t.Error("r started a second probe while one runs")
	}
	if !strings.Contains(a.notice.text, "Already checking which tools are installed in dev") || a.notice.isErr {
		t.Errorf("notice = %+v, want information that a check runs", a.notice)
	}
	if picker(t, a).probeGen != gen {
		t.Error("r changed the probe generation")
	}
}

func TestGuestHomeHintOnChoose(t *testing.T) {
	stub := newGuestStub(nil)
	a := newTestApp(t, stub.stubLimactl, 120, 30)
	a.cfg.Limactl = stub
	a.list.selected = "nohome"
	press(a, "enter")
	if !strings.Contains(screen(a), "Install tool  (guest home unknown, see config.user.home") {
		t.Errorf("the grayed item has no hint:\n%s", screen(a))
	}
	press(a, "esc")
	openPicker(t, a, "nohome")
	if !strings.Contains(a.notice.text, "limactl list --format json nohome") {
		t.Errorf("notice = %q", a.notice.text)
	}
}
