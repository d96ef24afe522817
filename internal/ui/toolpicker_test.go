package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/tools"
)

// guestStub replaces limactl and a guest: Run prints the probe's output
// from the installed set, and an install script adds its tool to the set
// unless installErr is set.
type guestStub struct {
	*stubLimactl

	mu        sync.Mutex
	installed map[string]string // tool name to its path
	// needsSetup maps a tool whose executable is present to its missing
	// setup parts, comma-separated; an install completes it.
	needsSetup map[string]string
	runs       []guestRun
	// probeErr and probeStdout, when set, replace the probe's output.
	probeErr    error
	probeStdout string
	// installErr fails the next install after installLines are printed.
	installErr   error
	installLines []lima.Line
	// blockProbe and blockInstall hold those runs until their context
	// ends. activeProbes counts the probes running now, maxActiveProbes
	// the most at once, and canceledRuns the runs whose context ended.
	blockProbe      bool
	blockInstall    bool
	activeProbes    int
	maxActiveProbes int
	canceledRuns    int
	// started receives the kind of each run as it starts, when set.
	started chan string
}

// guestRun is one Run call: the guest command and which script was fed.
type guestRun struct {
	instance string
	command  string
	script   string // "probe", a tool name, or "other"
}

func newGuestStub(installed map[string]string) *guestStub {
	if installed == nil {
		installed = map[string]string{}
	}
	return &guestStub{
		stubLimactl: &stubLimactl{list: lima.ListResult{Instances: toolInstances()}},
		installed:   installed,
		needsSetup:  map[string]string{},
	}
}

func toolInstances() []lima.Instance {
	return []lima.Instance{
		{Name: "dev", Status: lima.StatusRunning, GuestHome: "/home/you.guest"},
		{Name: "off", Status: lima.StatusStopped, GuestHome: "/home/you.guest"},
		{Name: "nohome", Status: lima.StatusRunning},
	}
}

func (g *guestStub) Run(ctx context.Context, name string, script io.Reader, onLine func(lima.Line), command ...string) error {
	data, err := io.ReadAll(script)
	if err != nil {
		return err
	}
	kind := scriptKind(data)
	g.mu.Lock()
	g.runs = append(g.runs, guestRun{instance: name, command: strings.Join(command, " "), script: kind})
	started := g.started
	block := (kind == "probe" && g.blockProbe) || (kind != "probe" && kind != "other" && g.blockInstall)
	if kind == "probe" {
		g.activeProbes++
		g.maxActiveProbes = max(g.maxActiveProbes, g.activeProbes)
	}
	g.mu.Unlock()
	defer func() {
		if kind == "probe" {
			g.mu.Lock()
			g.activeProbes--
			g.mu.Unlock()
		}
	}()
	if started != nil {
		started <- kind
	}
	if block {
		<-ctx.Done()
		g.mu.Lock()
		g.canceledRuns++
		g.mu.Unlock()
		return &lima.Error{Op: "shell", Instance: name, ExitCode: -1, Message: "canceled", Kind: lima.KindCanceled, Err: ctx.Err()}
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	switch kind {
	case "probe":
		if g.probeErr != nil {
			return g.probeErr
		}
		onLine(lima.Line{Text: "a login banner that the parser skips"})
		if g.probeStdout != "" {
			onLine(lima.Line{Text: g.probeStdout})
			return nil
		}
		for _, tool := range tools.Catalog() {
			path, installed := g.installed[tool.Name]
			missing, incomplete := g.needsSetup[tool.Name]
			switch {
			case installed && incomplete:
				onLine(lima.Line{Text: "tool=" + tool.Name + " state=incomplete missing=" + missing + " path=" + path})
			case installed:
				onLine(lima.Line{Text: "tool=" + tool.Name + " state=installed path=" + path})
			default:
				onLine(lima.Line{Text: "tool=" + tool.Name + " state=missing"})
			}
		}
		onLine(lima.Line{Text: "noise on stderr", Stderr: true})
		return nil
	case "other":
		return errors.New("unexpected script")
	}

	for _, line := range g.installLines {
		onLine(line)
	}
	if err := g.installErr; err != nil {
		g.installErr = nil
		return err
	}
	if _, present := g.installed[kind]; !present {
		g.installed[kind] = "/home/you.guest/.local/bin/" + kind
	}
	delete(g.needsSetup, kind)
	onLine(lima.Line{Text: "aisand: " + kind + " is ready"})
	return nil
}

func (g *guestStub) guestRuns() []guestRun {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]guestRun(nil), g.runs...)
}

// scriptKind returns which embedded script data is.
func scriptKind(data []byte) string {
	if bytes.Equal(data, tools.ProbeScript()) {
		return "probe"
	}
	for _, tool := range tools.Catalog() {
		if bytes.Equal(data, tool.InstallScript()) {
			return tool.Name
		}
	}
	return "other"
}

// drain runs cmd and every command its messages lead to, feeding each
// message to the app, until none is left. Ticks never come, because the
// commands under test are all immediate.
func drain(t *testing.T, a *App, cmd tea.Cmd) {
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
		case nil:
		default:
			_, follow := a.Update(msg)
			queue = append(queue, follow)
		}
	}
}

// openPicker selects the named instance and chooses Install tool, without
// running the probe it starts.
func openPicker(t *testing.T, a *App, name string) tea.Cmd {
	t.Helper()
	a.list.selected = name
	press(a, "enter")
	if a.menu == nil {
		t.Fatal("actions menu did not open")
	}
	for i, item := range a.menu.items {
		if item.label == "Install tool" {
			a.menu.cursor = i
			return press(a, "enter")
		}
	}
	t.Fatalf("actions menu has no Install tool item: %+v", a.menu.items)
	return nil
}

func picker(t *testing.T, a *App) *toolPicker {
	t.Helper()
	p, ok := a.page.(*toolPicker)
	if !ok {
		t.Fatalf("open page is %T, not the tool picker:\n%s", a.page, screen(a))
	}
	return p
}

func TestInstallToolItemNeedsRunning(t *testing.T) {
	a := newTestApp(t, newGuestStub(nil).stubLimactl, 100, 30)
	cases := map[string]string{"dev": "", "off": "needs Running",
		"nohome": "guest home unknown, see config.user.home in limactl list --format json nohome"}
	for _, inst := range toolInstances() {
		item := a.installToolItem(inst)
		if item.label != "Install tool" {
			t.Errorf("%s: label %q", inst.Name, item.label)
		}
		if item.disabled != cases[inst.Name] {
			t.Errorf("%s: disabled %q, want %q", inst.Name, item.disabled, cases[inst.Name])
		}
	}
}

func TestInstallToolGrayedForStopped(t *testing.T) {
	stub := newGuestStub(map[string]string{})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	cmd := openPicker(t, a, "off")
	if cmd != nil || a.page != nil {
		t.Fatalf("a stopped VM opened the picker")
	}
	if !strings.Contains(a.notice.text, "needs Running") {
		t.Errorf("notice = %q", a.notice.text)
	}
	if runs := stub.guestRuns(); len(runs) != 0 {
		t.Errorf("probe ran on a stopped VM: %+v", runs)
	}
}

func TestOpenPickerRefusesEmptyGuestHome(t *testing.T) {
	stub := newGuestStub(map[string]string{})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	a.openToolPicker(lima.Instance{Name: "nohome", Status: lima.StatusRunning})
	if a.page != nil {
		t.Fatal("the picker opened without a guest home")
	}
	if !strings.Contains(a.notice.text, "config.user.home") || !a.notice.isErr {
		t.Errorf("notice = %+v", a.notice)
	}
	a.openToolPicker(lima.Instance{Name: "relhome", Status: lima.StatusRunning, GuestHome: "home/you"})
	if a.page != nil || !strings.Contains(a.notice.text, "not an absolute path") {
		t.Errorf("relative guest home: page %v, notice %q", a.page, a.notice.text)
	}
	if runs := stub.guestRuns(); len(runs) != 0 {
		t.Errorf("probe ran: %+v", runs)
	}
}

func TestPickerProbesAndShowsStates(t *testing.T) {
	t.Setenv("HOME", "/Users/you")
	stub := newGuestStub(map[string]string{"brew": "/home/linuxbrew/.linuxbrew/bin/brew"})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	cmd := openPicker(t, a, "dev")
	p := picker(t, a)
	if !p.probing {
		t.Error("picker is not probing after it opened")
	}
	s := screen(a)
	if !strings.Contains(s, "Checking which tools are installed in dev") || !strings.Contains(s, "checking…") {
		t.Errorf("no spinner while probing:\n%s", s)
	}

	drain(t, a, cmd)
	runs := stub.guestRuns()
	if len(runs) != 1 {
		t.Fatalf("runs = %+v, want one probe", runs)
	}
	want := guestRun{instance: "dev", command: "bash -s /home/you.guest /Users/you", script: "probe"}
	if runs[0] != want {
		t.Errorf("probe run = %+v, want %+v", runs[0], want)
	}
	s = screen(a)
	for _, text := range []string{"Install a tool in dev", "brew", "opencode", "installed", "not installed",
		"Homebrew for Linux", "OpenCode coding agent", "enter install", "r check again"} {
		if !strings.Contains(s, text) {
			t.Errorf("screen lacks %q:\n%s", text, s)
		}
	}
	if strings.Contains(s, "Checking which tools") {
		t.Errorf("spinner still shown after the probe:\n%s", s)
	}
	if p.tools[p.cursor].Name != "opencode" {
		t.Errorf("cursor on %q, want the first missing tool", p.tools[p.cursor].Name)
	}
}

func TestPickerInstalledToolCannotBeChosen(t *testing.T) {
	stub := newGuestStub(map[string]string{"brew": "/home/linuxbrew/.linuxbrew/bin/brew"})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))
	press(a, "up")
	cmd := press(a, "enter")
	if cmd != nil || a.logView != nil {
		t.Fatal("choosing an installed tool started an install")
	}
	if !strings.Contains(a.notice.text, "brew is already installed in dev at /home/linuxbrew/.linuxbrew/bin/brew") {
		t.Errorf("notice = %q", a.notice.text)
	}
	if a.notice.isErr {
		t.Error("the already-installed notice is shown as an error")
	}
	if !strings.Contains(screen(a), "brew is installed at /home/linuxbrew/.linuxbrew/bin/brew") {
		t.Errorf("screen does not show the path:\n%s", screen(a))
	}
	if runs := stub.guestRuns(); len(runs) != 1 {
		t.Errorf("runs = %+v, want the probe alone", runs)
	}
}

func TestPickerInstallsThenProbesAgain(t *testing.T) {
	t.Setenv("HOME", "/Users/you")
	stub := newGuestStub(map[string]string{"brew": "/home/linuxbrew/.linuxbrew/bin/brew"})
	stub.installLines = []lima.Line{{Text: "aisand: downloading opencode"}}
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))

	cmd := press(a, "enter")
	if a.logView == nil {
		t.Fatalf("no log view after enter:\n%s", screen(a))
	}
	if got := a.logView.op.Title; got != "Install opencode in dev" {
		t.Errorf("operation title %q", got)
	}
	drain(t, a, cmd)

	runs := stub.guestRuns()
	if len(runs) != 3 {
		t.Fatalf("runs = %+v, want probe, install, probe", runs)
	}
	wantInstall := guestRun{instance: "dev", command: "bash -s /home/you.guest /Users/you", script: "opencode"}
	if runs[1] != wantInstall {
		t.Errorf("install run = %+v, want %+v", runs[1], wantInstall)
	}
	if runs[2].script != "probe" {
		t.Errorf("third run = %+v, want a probe", runs[2])
	}
	s := screen(a)
	for _, text := range []string{"Install opencode in dev", "aisand: downloading opencode", "aisand: opencode is ready", "✓ Done in"} {
		if !strings.Contains(s, text) {
			t.Errorf("log view lacks %q:\n%s", text, s)
		}
	}

	press(a, "esc")
	p := picker(t, a)
	if p.probing || !p.installed(0) || !p.installed(1) {
		t.Errorf("states after install: probing %v, %+v", p.probing, p.states)
	}
	s = screen(a)
	if strings.Contains(s, "not installed") || !strings.Contains(s, "Every tool is installed.") {
		t.Errorf("picker does not show both installed:\n%s", s)
	}
}

func TestPickerInstallFailureCanRunAgain(t *testing.T) {
	t.Setenv("HOME", "/Users/you")
	stub := newGuestStub(map[string]string{})
	stub.installLines = []lima.Line{{Text: "aisand: downloading brew"}, {Text: "curl: (6) Could not resolve host", Stderr: true}}
	stub.installErr = &lima.Error{Op: "shell", Instance: "dev", ExitCode: 6, Message: "curl: (6) Could not resolve host"}
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))
	if p := picker(t, a); p.tools[p.cursor].Name != "brew" {
		t.Fatalf("cursor on %q", p.tools[p.cursor].Name)
	}

	drain(t, a, press(a, "enter"))
	s := screen(a)
	for _, text := range []string{"curl: (6) Could not resolve host", "aisand: installing brew failed (exit status 6)",
		"✗ Failed: installing brew: exit status 6: curl: (6) Could not resolve host"} {
		if !strings.Contains(s, text) {
			t.Errorf("failed log lacks %q:\n%s", text, s)
		}
	}
	lines := a.logView.op.Snapshot().Lines
	if last := lines[len(lines)-1].Text; !strings.Contains(last, "exit status 6") {
		t.Errorf("log does not end with the exit status: %q", last)
	}

	press(a, "esc")
	p := picker(t, a)
	if p.installed(0) || p.stateText("brew") != "not installed" {
		t.Fatalf("brew counted installed after a failed install: %+v", p.states)
	}
	drain(t, a, press(a, "enter"))
	press(a, "esc")
	if !picker(t, a).installed(0) {
		t.Errorf("second install did not take: %+v\n%s", p.states, screen(a))
	}
	if got := len(stub.guestRuns()); got != 5 {
		t.Errorf("runs = %d, want probe, install, probe, install, probe", got)
	}
}

func TestPickerProbeFailureStaysUsable(t *testing.T) {
	stub := newGuestStub(map[string]string{})
	stub.probeErr = &lima.Error{Op: "shell", Instance: "dev", ExitCode: 255, Message: "ssh: connect to host 127.0.0.1 port 60022: Connection refused"}
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))

	p := picker(t, a)
	if p.probing || p.probeErr == nil {
		t.Fatalf("probing %v, err %v", p.probing, p.probeErr)
	}
	s := screen(a)
	for _, text := range []string{"Could not check which tools are installed: exit status 255: ssh: connect to host",
		"Press r to check again", "unknown"} {
		if !strings.Contains(s, text) {
			t.Errorf("screen lacks %q:\n%s", text, s)
		}
	}

	stub.mu.Lock()
	stub.probeErr = nil
	stub.mu.Unlock()
	cmd := press(a, "r")
	if !p.probing || p.probeErr != nil {
		t.Errorf("r did not start a probe: probing %v, err %v", p.probing, p.probeErr)
	}
	drain(t, a, cmd)
	if p.probeErr != nil || p.states == nil {
		t.Errorf("second probe: err %v, states %+v", p.probeErr, p.states)
	}
	if !strings.Contains(screen(a), "not installed") {
		t.Errorf("states not shown after r:\n%s", screen(a))
	}
	press(a, "esc")
	if a.page != nil {
		t.Error("esc did not close the picker")
	}
}

func TestPickerUnreadableProbeOutput(t *testing.T) {
	stub := newGuestStub(map[string]string{})
	stub.probeStdout = "bash: line 1: syntax error"
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))
	s := screen(a)
	if !strings.Contains(s, "Could not check which tools are installed: probe output contains no tool lines") {
		t.Errorf("parse error not shown:\n%s", s)
	}
}

func TestPickerInstallAfterFailedProbe(t *testing.T) {
	t.Setenv("HOME", "/Users/you")
	stub := newGuestStub(map[string]string{})
	stub.probeErr = errors.New("probe broke")
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	drain(t, a, openPicker(t, a, "dev"))
	press(a, "enter")
	if a.logView == nil {
		t.Fatal("a failed probe blocks installing")
	}
}

func TestPickerEnterWhileProbing(t *testing.T) {
	stub := newGuestStub(map[string]string{})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	openPicker(t, a, "dev")
	if cmd := press(a, "enter"); cmd != nil || a.logView != nil {
		t.Fatal("enter installed while the probe runs")
	}
	if !strings.Contains(a.notice.text, "Still checking") {
		t.Errorf("notice = %q", a.notice.text)
	}
	if cmd := press(a, "r"); cmd != nil {
		t.Error("r started a second probe while one runs")
	}
}

func TestPickerDropsStaleProbe(t *testing.T) {
	stub := newGuestStub(map[string]string{})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	first := openPicker(t, a, "dev")
	p := picker(t, a)
	stale := first().(toolProbeMsg)
	p.probeGen++ // a newer probe has started
	a.Update(stale)
	if !p.probing || p.states != nil {
		t.Errorf("a stale result was applied: probing %v, states %+v", p.probing, p.states)
	}
	other := &toolPicker{}
	a.Update(toolProbeMsg{picker: other, gen: p.probeGen, states: map[string]tools.State{}})
	if !p.probing {
		t.Error("a result for another picker was applied")
	}
}

func TestPickerNeedsHostHome(t *testing.T) {
	t.Setenv("HOME", "")
	stub := newGuestStub(map[string]string{})
	a := newTestApp(t, stub.stubLimactl, 100, 30)
	a.cfg.Limactl = stub
	if cmd := openPicker(t, a, "dev"); cmd != nil || a.page != nil {
		t.Fatal("the picker opened without a host home")
	}
	if !strings.Contains(a.notice.text, "cannot find your home folder") {
		t.Errorf("notice = %q", a.notice.text)
	}
	if runs := stub.guestRuns(); len(runs) != 0 {
		t.Errorf("probe ran without a host home: %+v", runs)
	}
}
