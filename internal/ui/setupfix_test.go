package ui

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/host"
	"github.com/japacx/aisand/internal/host/hosttest"
	"github.com/japacx/aisand/internal/lima"
)

// loggedApp starts the main screen as aisand does when the start-up check
// found every program, with the log written to the returned buffer.
func loggedApp(t *testing.T, setup *HostSetup, width, height int) (*App, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := New(Config{Limactl: stub, Host: setup, Log: slog.New(slog.NewTextHandler(&log, nil))})
	a.Update(tea.WindowSizeMsg{Width: width, Height: height})
	a.Update(a.refresh()())
	return a, &log
}

var kvmWarning = host.Notice{
	Message: "/dev/kvm is not readable and writable by your user",
	Reason:  "Without KVM, QEMU emulates the CPU in software and VMs run many times slower.",
	Action:  `Add your user to the group "kvm", which owns /dev/kvm, then log out and in again:`,
	Command: "sudo usermod -aG kvm $USER",
}

func TestStartWarningsOnMainScreen(t *testing.T) {
	report := host.Report{GOOS: "linux", GOARCH: "amd64", Warnings: []host.Notice{kvmWarning}}
	a, log := loggedApp(t, &HostSetup{Report: &report}, 100, 30)

	if a.page != nil {
		t.Fatalf("a page opened over the main screen: %T", a.page)
	}
	s := oneLine(screen(a))
	for _, want := range []string{"Warning: /dev/kvm is not readable and writable by your user", "g → Host setup"} {
		if !strings.Contains(s, want) {
			t.Errorf("main screen lacks %q:\n%s", want, screen(a))
		}
	}
	if !strings.Contains(log.String(), "/dev/kvm is not readable") || !strings.Contains(log.String(), "usermod") {
		t.Errorf("log lacks the warning and its command:\n%s", log)
	}
}

func TestStartWarningKeepsEarlierNotice(t *testing.T) {
	report := host.Report{Warnings: []host.Notice{kvmWarning}}
	var log bytes.Buffer
	a := New(Config{Limactl: &stubLimactl{}, Host: &HostSetup{Report: &report},
		Warning: "No log is kept", Log: slog.New(slog.NewTextHandler(&log, nil))})

	if a.notice.text != "No log is kept" {
		t.Errorf("notice = %q, want the log warning kept", a.notice.text)
	}
	if !strings.Contains(log.String(), "/dev/kvm") {
		t.Errorf("the kvm warning was not logged:\n%s", log.String())
	}
}

// activatedHost is a macOS host whose Homebrew was found outside PATH and
// put on it, with limactl in brew's folder.
func activatedHost(t *testing.T) (*hosttest.System, *host.Activation) {
	t.Helper()
	sys := newFakeHost(t, "darwin")
	brewFolder := filepath.Join(sys.Home, ".linuxbrew", "bin")
	hosttest.WriteProgram(t, brewFolder, "brew", setupBrew)
	hosttest.WriteProgram(t, brewFolder, "limactl", `echo "limactl version 2.2.0"`)
	report, activation := CheckHost(context.Background(), sys)
	if activation == nil || !report.Ready() {
		t.Fatalf("CheckHost did not activate brew: %+v, ready %v", activation, report.Ready())
	}
	return sys, activation
}

func TestProfileLineWholeOnMainScreen(t *testing.T) {
	sys, activation := activatedHost(t)
	a, log := loggedApp(t, &HostSetup{System: sys, Activation: activation}, 100, 30)

	// The notice is wrapped at spaces: its lines joined by a space must
	// hold the line whole.
	var footer strings.Builder
	for i, line := range a.noticeLines() {
		if i > 0 {
			footer.WriteString(" ")
		}
		footer.WriteString(ansiCodes.ReplaceAllString(line, ""))
	}
	if !strings.Contains(footer.String(), activation.Profile.Line) {
		t.Errorf("the notice cuts the profile line %q:\n%s", activation.Profile.Line, strings.Join(a.noticeLines(), "\n"))
	}
	if !strings.Contains(log.String(), activation.Profile.File) {
		t.Errorf("log lacks the profile file:\n%s", log)
	}
}

func TestProfileLineKeptInHostSetup(t *testing.T) {
	sys, activation := activatedHost(t)
	a, _ := loggedApp(t, &HostSetup{System: sys, Activation: activation}, 100, 40)

	press(a, "g")
	for i := range a.menu.items {
		if a.menu.items[i].label == "Host setup" {
			a.menu.cursor = i
		}
	}
	settle(t, a, press(a, "enter"))

	setupOf(t, a)
	s := screen(a)
	// The text is wrapped; the line to copy is whole on a line of its own.
	for _, want := range []string{"which was not on PATH", "\n      " + activation.Profile.Line, "Everything aisand needs is present"} {
		if !strings.Contains(s, want) && !strings.Contains(oneLine(s), want) {
			t.Errorf("Host Setup from the menu lacks %q:\n%s", want, s)
		}
	}
	settle(t, a, press(a, "r"))
	if !strings.Contains(screen(a), activation.Profile.Line) {
		t.Errorf("the profile line went away after checking again:\n%s", screen(a))
	}
}

// sudoHost is a macOS host without Homebrew, with a sudo that needs no
// password, so the plan installs Homebrew with a step on the terminal.
func sudoHost(t *testing.T) *hosttest.System {
	t.Helper()
	sys := newFakeHost(t, "darwin")
	hosttest.WriteProgram(t, sys.Bin, "sudo", "exit 0")
	return sys
}

func TestHomebrewInstallAsksFirst(t *testing.T) {
	a := newSetupApp(t, sudoHost(t), &stubLimactl{})

	if cmd := press(a, "enter"); cmd != nil {
		t.Error("enter started the install before the question was answered")
	}
	if a.confirm == nil {
		t.Fatalf("no question before installing Homebrew:\n%s", screen(a))
	}
	question := oneLine(strings.Join(a.confirm.lines, " "))
	for _, want := range []string{"Homebrew's official installer from the internet", host.HomebrewInstallerURL,
		"administrator password", "brew install lima"} {
		if !strings.Contains(question, want) {
			t.Errorf("question lacks %q: %s", want, question)
		}
	}

	if cmd := press(a, "n"); cmd != nil || a.confirm != nil {
		t.Error("n did not cancel the install")
	}
	if p := setupOf(t, a); p.installing {
		t.Error("the screen still counts an install after n")
	}
}

func TestNoQuestionWhenBrewPresent(t *testing.T) {
	a := newSetupApp(t, newSetupHost(t), &stubLimactl{})

	settle(t, a, press(a, "enter"))

	if a.logView == nil {
		t.Fatalf("the install did not start at once with Homebrew present:\n%s", screen(a))
	}
}

func TestSecondEnterIgnoredWhileInstalling(t *testing.T) {
	a := newSetupApp(t, sudoHost(t), &stubLimactl{})
	press(a, "enter")
	if cmd := press(a, "y"); cmd == nil {
		t.Fatal("y started nothing")
	}

	if cmd := press(a, "enter"); cmd != nil {
		t.Error("a second enter started another install")
	}
	if a.notice.text != "" {
		t.Errorf("notice = %q, want none", a.notice.text)
	}
	if !strings.Contains(screen(a), "(the install is running)") {
		t.Errorf("the install item is not grayed while it runs:\n%s", screen(a))
	}

	a.Update(setupTerminalDoneMsg{err: errors.New("sudo: a password is required")})
	if setupOf(t, a).installing {
		t.Error("the install still counts as running after it failed")
	}
}

func TestInstallThatChangesNothing(t *testing.T) {
	sys := newFakeHost(t, "darwin")
	// This brew reports success but installs nothing.
	hosttest.WriteProgram(t, sys.Bin, "brew", `[ "$1" = --version ] && echo "Homebrew 4.6.3"; exit 0`)
	a := newSetupApp(t, sys, &stubLimactl{})

	settle(t, a, press(a, "enter"))
	press(a, "esc")

	s := oneLine(screen(a))
	want := "The install finished, but limactl is still missing or not working: limactl (limactl was not found on PATH)."
	if !strings.Contains(s, want) {
		t.Errorf("screen lacks %q:\n%s", want, screen(a))
	}
}

func TestBrokenProgramExplained(t *testing.T) {
	sys := newSetupHost(t)
	hosttest.WriteProgram(t, sys.Bin, "limactl", `echo "limactl: cannot load libfoo" >&2; exit 1`)
	a := newSetupApp(t, sys, &stubLimactl{})

	s := screen(a)
	for _, want := range []string{"! limactl", "not working", "It is installed but does not work", "cannot load libfoo",
		"      brew reinstall lima", "Not working: limactl.", "nothing to install: limactl is installed but not working"} {
		if !strings.Contains(oneLine(s), want) && !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Missing: limactl") {
		t.Errorf("a broken limactl is called missing:\n%s", s)
	}
}

func TestConnectErrorNamesVariable(t *testing.T) {
	sys := newSetupHost(t)
	if err := os.Symlink(filepath.Join(sys.Getenv("SETUP_STORE"), "limactl"), filepath.Join(sys.Bin, "limactl")); err != nil {
		t.Fatal(err)
	}
	report := host.Check(context.Background(), sys)
	invalid := errors.New(`invalid AISAND_QUERY_TIMEOUT "soon": use a positive Go duration such as 30s or 2m, or unset it`)
	a := New(Config{Host: &HostSetup{System: sys, Report: &report, Connect: func() (Limactl, error) { return nil, invalid }}})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	settle(t, a, a.initSetup())

	s := oneLine(screen(a))
	if strings.Contains(s, "limactl is present but") {
		t.Errorf("the variable's error is blamed on limactl:\n%s", screen(a))
	}
	if !strings.Contains(s, `aisand cannot continue: invalid AISAND_QUERY_TIMEOUT "soon"`) || !strings.Contains(s, "or unset it") {
		t.Errorf("screen lacks the whole error:\n%s", screen(a))
	}
}

func TestSetupWrapsSummaryAtNarrowWidth(t *testing.T) {
	a := newSetupApp(t, newSetupHost(t), &stubLimactl{})
	a.Update(tea.WindowSizeMsg{Width: 60, Height: 40})

	s := screen(a)
	if !strings.Contains(oneLine(s), "Press enter on the first item to install it with Homebrew.") {
		t.Errorf("the summary is not whole:\n%s", s)
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "(brew") && !strings.Contains(line, "(brew install lima)") {
			t.Errorf("the command is split across lines:\n%s", s)
		}
	}
}

func TestNoticeCommandOnItsOwnLine(t *testing.T) {
	a := newSetupApp(t, newSetupHost(t), &stubLimactl{})
	a.Update(tea.WindowSizeMsg{Width: 30, Height: 40})
	p := setupOf(t, a)

	lines := p.noticeLines(a, kvmWarning, a.styles.Warn)

	text := ansiCodes.ReplaceAllString(strings.Join(lines, "\n"), "")
	if !strings.Contains(text, "\n      sudo usermod -aG kvm $USER") {
		t.Errorf("the command is not whole on its own line:\n%s", text)
	}
	if !strings.Contains(text, "/dev/kvm") || strings.Contains(text, "/dev/\n") {
		t.Errorf("a path is split:\n%s", text)
	}
}

func TestWrapAtSpaces(t *testing.T) {
	cases := []struct {
		text  string
		width int
		keep  []string
		want  []string
	}{
		{"one two three", 7, nil, []string{"one two", "three"}},
		{"see /a/very/long/path/name here", 10, nil, []string{"see", "/a/very/long/path/name", "here"}},
		{"run sudo usermod -aG kvm $USER now", 12, []string{"sudo usermod -aG kvm $USER"}, []string{"run", "sudo usermod -aG kvm $USER", "now"}},
		{"", 10, nil, []string{""}},
	}
	for _, c := range cases {
		got := wrapAtSpaces(c.text, c.width, c.keep...)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapAtSpaces(%q, %d) = %q, want %q", c.text, c.width, got, c.want)
		}
	}
}

func TestShortTerminalKeepsChoicesAndScrolls(t *testing.T) {
	sys := newFakeHost(t, "linux")
	hosttest.WriteProgram(t, sys.Bin, "brew", setupBrew)
	a := newSetupApp(t, sys, &stubLimactl{})
	a.Update(tea.WindowSizeMsg{Width: 60, Height: 20})

	s := screen(a)
	if got := strings.Count(s, "\n") + 1; got != 20 {
		t.Errorf("the screen has %d lines, want 20", got)
	}
	for _, want := range []string{"Press enter on the first item", "Install the missing programs", "Check again", "pgup/pgdown scroll"} {
		if !strings.Contains(oneLine(s), want) {
			t.Errorf("a short screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "/dev/kvm does not exist") && strings.Contains(s, "nested virtualization") {
		t.Fatalf("the test needs findings taller than the screen:\n%s", s)
	}

	press(a, "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
	s = screen(a)
	if !strings.Contains(oneLine(s), "nested virtualization") {
		t.Errorf("pgdown did not show the last findings:\n%s", s)
	}
	if !strings.Contains(s, "Check again") {
		t.Errorf("the choices went away while scrolling:\n%s", s)
	}
	press(a, "pgup", "pgup", "pgup", "pgup", "pgup")
	if !strings.Contains(screen(a), "Host Setup") {
		t.Errorf("pgup did not go back to the top:\n%s", screen(a))
	}
}
