package ui

import (
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// openInstalling opens the picker on dev with nothing installed, lets the
// probe finish and presses enter on brew. It returns the command that
// follows the install.
func openInstalling(t *testing.T, stub *guestStub) (*App, *toolPicker, func()) {
	t.Helper()
	t.Setenv("HOME", "/Users/you")
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))
	p := picker(t, a)
	cmd := press(a, "enter")
	if a.logView == nil {
		t.Fatalf("no log view after enter:\n%s", screen(a))
	}
	return a, p, func() { drain(t, a, cmd) }
}

func TestInstallStopsAfterQuestion(t *testing.T) {
	stub := newGuestStub(nil)
	stub.blockInstall = true
	a, p, finish := openInstalling(t, stub)

	if s := screen(a); !strings.Contains(s, "esc cancel") {
		t.Errorf("the log view does not offer esc:\n%s", s)
	}
	press(a, "esc")
	if a.confirm == nil {
		t.Fatal("esc asked nothing while the install runs")
	}
	s := screen(a)
	for _, text := range []string{"Stop installing brew?", "Running it again later is safe."} {
		if !strings.Contains(s, text) {
			t.Errorf("question lacks %q:\n%s", text, s)
		}
	}
	press(a, "n")
	if a.confirm != nil || a.logView.op.Snapshot().Status != ops.Running {
		t.Fatal("no did not leave the install running")
	}

	press(a, "esc", "y")
	finish()
	if got := a.logView.op.Snapshot().Status; got != ops.Canceled {
		t.Fatalf("operation status = %v, want canceled", got)
	}
	if s := screen(a); !strings.Contains(s, "Canceled after") || !strings.Contains(s, "aisand: stopped installing brew") {
		t.Errorf("log view does not show the stop:\n%s", s)
	}
	stub.mu.Lock()
	canceled := stub.canceledRuns
	stub.mu.Unlock()
	if canceled != 1 {
		t.Errorf("the install's context ended %d times, want once", canceled)
	}

	press(a, "esc")
	if s := screen(a); !strings.Contains(s, "The last install of brew was stopped before it finished.") {
		t.Errorf("picker does not tell about the stop:\n%s", s)
	}
	if p.lastInstall == nil || !p.lastInstall.canceled {
		t.Errorf("lastInstall = %+v, want a canceled install", p.lastInstall)
	}
}

func TestInstallEndClosesStopQuestion(t *testing.T) {
	stub := newGuestStub(nil)
	stub.blockInstall = true
	a, p, _ := openInstalling(t, stub)
	press(a, "esc")
	if a.confirm == nil {
		t.Fatal("esc asked nothing")
	}
	a.Update(toolInstallEndedMsg{picker: p, end: installEnd{tool: "brew", succeeded: true}})
	if a.confirm != nil {
		t.Error("the stop question stayed open after the install ended")
	}
	a.logView.op.Cancel()
}

func TestInstallFailureNamesOneStatus(t *testing.T) {
	stub := newGuestStub(nil)
	stub.installLines = []lima.Line{{Text: "aisand: the OpenCode installer failed (exit status 7)", Stderr: true}}
	stub.installErr = &lima.Error{Op: "shell", Instance: "dev", ExitCode: 1, Message: "aisand: the OpenCode installer failed (exit status 7)"}
	a, p, finish := openInstalling(t, stub)
	finish()

	s := screen(a)
	if !strings.Contains(s, "✗ Failed: installing brew: the OpenCode installer failed (exit status 7)") {
		t.Errorf("failure line is not one sentence with the script's status:\n%s", s)
	}
	if strings.Contains(s, "exit status 1") {
		t.Errorf("the script's own exit status 1 is shown besides its message:\n%s", s)
	}
	if !strings.Contains(s, "aisand: installing brew failed; running it again is safe.") {
		t.Errorf("log lacks the closing line:\n%s", s)
	}

	press(a, "esc")
	s = screen(a)
	if !strings.Contains(s, "The last install of brew failed: the OpenCode installer failed (exit status 7)") {
		t.Errorf("picker does not show the failure:\n%s", s)
	}
	if p.lastInstall == nil || p.lastInstall.reason != "the OpenCode installer failed (exit status 7)" {
		t.Errorf("lastInstall = %+v", p.lastInstall)
	}
}

func TestLastFailureStaysUntilInstalled(t *testing.T) {
	stub := newGuestStub(nil)
	stub.installErr = &lima.Error{Op: "shell", Instance: "dev", ExitCode: 6, Message: "curl: (6) Could not resolve host"}
	a, _, finish := openInstalling(t, stub)
	finish()
	press(a, "esc")
	failure := "The last install of brew failed: exit status 6: curl: (6) Could not resolve host"
	if !strings.Contains(screen(a), failure) {
		t.Fatalf("picker does not show the failure:\n%s", screen(a))
	}

	// A successful probe that still finds brew missing keeps the trace.
	drain(t, a, press(a, "r"))
	if !strings.Contains(screen(a), failure) {
		t.Errorf("a probe that found brew missing hid the failure:\n%s", screen(a))
	}

	drain(t, a, press(a, "enter"))
	press(a, "esc")
	if s := screen(a); strings.Contains(s, "The last install of brew") {
		t.Errorf("the failure is still shown after a successful install:\n%s", s)
	}
}

func TestScriptFailureSentence(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&lima.Error{ExitCode: 1, Message: "aisand: the OpenCode installer failed (exit status 7)"},
			"the OpenCode installer failed (exit status 7)"},
		{&lima.Error{ExitCode: 6, Message: "curl: (6) Could not resolve host"}, "exit status 6: curl: (6) Could not resolve host"},
		{&lima.Error{ExitCode: 3}, "exit status 3"},
		{&lima.Error{ExitCode: -1, Message: "timed out after 30m0s"}, "timed out after 30m0s"},
		{&lima.Error{ExitCode: -1, Message: "aisand: a line from before limactl was killed"}, "aisand: a line from before limactl was killed"},
	}
	for _, c := range cases {
		if got := scriptFailure(c.err); got != c.want {
			t.Errorf("scriptFailure(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
