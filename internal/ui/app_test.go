package ui

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

var update = flag.Bool("update", false, "rewrite the golden screens")

func instances() []lima.Instance {
	return []lima.Instance{
		{Name: "agent-01", Status: lima.StatusRunning, CPUs: 2, Memory: 4 << 30, Disk: 60 << 30, Arch: "aarch64", VMType: "vz", SSHPort: 60022,
			Mounts: []lima.Mount{{Location: "/Users/you", MountPoint: "/Users/you"}, {Location: "/Users/you/src", MountPoint: "/Users/you/src", Writable: true}}},
		{Name: "agent-02", Status: lima.StatusStopped, CPUs: 4, Memory: 8 << 30, Disk: 100 << 30, Arch: "aarch64", VMType: "vz"},
		{Name: "broken-one", Status: lima.StatusBroken, Errors: []string{"open /Users/you/.lima/broken-one/lima.yaml: no such file or directory"}},
	}
}

// newTestApp returns an app of the given size whose first list has been
// applied.
func newTestApp(t *testing.T, stub *stubLimactl, width, height int) *App {
	t.Helper()
	a := New(Config{Limactl: stub})
	a.Update(tea.WindowSizeMsg{Width: width, Height: height})
	a.Update(a.refresh()())
	return a
}

func press(a *App, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = a.Update(keyMsg(k))
	}
	return cmd
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

var ansiCodes = regexp.MustCompile(`\x1b\[[0-9;:?]*[a-zA-Z]|\x1b\][^\x07]*\x07`)

func screen(a *App) string {
	return ansiCodes.ReplaceAllString(a.render(), "")
}

// isQuit reports whether cmd, run, asks the program to quit.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// finishOperation feeds the open log view every output message until the
// operation ends.
func finishOperation(t *testing.T, a *App, cmd tea.Cmd) {
	t.Helper()
	for i := 0; i < 100 && cmd != nil; i++ {
		msg := cmd()
		if _, ok := msg.(opOutputMsg); !ok {
			return
		}
		_, cmd = a.Update(msg)
		if a.logView != nil && a.logView.done {
			return
		}
	}
	t.Fatal("operation did not end")
}

func TestMainScreenGolden(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 90, 20)
	got := screen(a)
	path := filepath.Join("testdata", "main.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/ui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("main screen differs from %s:\n%s", path, got)
	}
}

func TestMainScreenDetails(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 100, 30)
	s := screen(a)
	for _, want := range []string{"agent-01", "agent-02", "broken-one", "● Running", "4 GiB", "60 GiB", "aarch64", "vz", "60022",
		"/Users/you (ro)", "/Users/you/src (rw)"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	press(a, "j", "j")
	s = screen(a)
	if !strings.Contains(s, "Broken") || !strings.Contains(s, "lima.yaml: no such file or") {
		t.Errorf("broken instance's errors not shown:\n%s", s)
	}
}

func TestSelectionMovesAndStops(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 100, 30)
	press(a, "down")
	if a.list.selected != "agent-02" {
		t.Errorf("selected %q after down", a.list.selected)
	}
	press(a, "j", "j", "j")
	if a.list.selected != "broken-one" {
		t.Errorf("selected %q past the end", a.list.selected)
	}
	press(a, "k", "up", "up", "up")
	if a.list.selected != "agent-01" {
		t.Errorf("selected %q past the start", a.list.selected)
	}
}

func TestSelectionFollowsNameAcrossRefresh(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	press(a, "j")
	stub.list = lima.ListResult{Instances: instances()[1:]}
	a.Update(a.refresh()())
	if a.list.selected != "agent-02" {
		t.Errorf("selected %q, want agent-02 kept", a.list.selected)
	}
}

func TestStaleListResultDropped(t *testing.T) {
	stub := &stubLimactl{}
	a := newTestApp(t, stub, 100, 30)
	stub.list = lima.ListResult{Instances: instances()[:1]}
	older := a.refresh()
	olderMsg := older()
	stub.list = lima.ListResult{Instances: instances()}
	a.Update(a.refresh()())
	a.Update(olderMsg)
	if len(a.list.items) != 3 {
		t.Errorf("a stale result replaced the newer list: %d instances", len(a.list.items))
	}
	if a.list.inFlight != 0 {
		t.Errorf("inFlight = %d after both results", a.list.inFlight)
	}
}

func TestRefreshKeyCallsListOnce(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	before := len(stub.Calls())
	cmd := press(a, "r")
	if cmd == nil {
		t.Fatal("r returned no command")
	}
	if len(stub.Calls()) != before {
		t.Error("r called limactl inside Update")
	}
	a.Update(cmd())
	if got := stub.Calls()[before:]; len(got) != 1 || got[0] != "list" {
		t.Errorf("calls after r = %q", got)
	}
}

func TestListErrorInFooterKeepsInstances(t *testing.T) {
	err := &lima.Error{Op: "list", ExitCode: 1, Message: "unmatched instances"}
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()[:1], Err: err}}, 100, 30)
	s := screen(a)
	if !strings.Contains(s, "limactl list: unmatched instances") {
		t.Errorf("footer lacks limactl's message:\n%s", s)
	}
	if !strings.Contains(s, "agent-01") {
		t.Errorf("instances read before the error are not shown:\n%s", s)
	}
}

func TestActionMenuGraysByStatus(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 100, 30)
	press(a, "enter")
	if a.menu == nil {
		t.Fatal("enter did not open the action menu")
	}
	disabled := map[string]string{}
	for _, item := range a.menu.items {
		disabled[item.label] = item.disabled
	}
	if disabled["Start"] == "" || disabled["Shell"] != "" || disabled["Stop"] != "" || disabled["Delete"] != "" {
		t.Errorf("running instance's menu: %v", disabled)
	}
	if a.menu.items[a.menu.cursor].label != "Shell" {
		t.Errorf("cursor starts on %q", a.menu.items[a.menu.cursor].label)
	}
	press(a, "esc", "j", "enter")
	disabled = map[string]string{}
	for _, item := range a.menu.items {
		disabled[item.label] = item.disabled
	}
	if disabled["Start"] != "" || disabled["Shell"] == "" || disabled["Stop"] == "" {
		t.Errorf("stopped instance's menu: %v", disabled)
	}
	if !strings.Contains(screen(a), "Shell  (needs Running)") {
		t.Errorf("grayed item lacks its reason:\n%s", screen(a))
	}
}

func TestDisabledItemCannotBeChosen(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	press(a, "enter", "down") // Start, disabled on a running instance
	if a.menu.items[a.menu.cursor].label != "Start" {
		t.Fatalf("cursor on %q", a.menu.items[a.menu.cursor].label)
	}
	cmd := press(a, "enter")
	if cmd != nil || a.logView != nil {
		t.Error("a grayed item started something")
	}
	if a.menu == nil {
		t.Error("choosing a grayed item closed the menu")
	}
}

func TestStartStreamsAndHoldsKeys(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}, release: make(chan struct{})}
	a := newTestApp(t, stub, 100, 30)
	press(a, "j", "enter")
	cmd := press(a, "enter") // Start is the first enabled item
	if a.logView == nil {
		t.Fatal("Start did not open the log view")
	}
	a.Update(cmd()) // the first line
	if !strings.Contains(screen(a), "Starting the instance") {
		t.Errorf("log view lacks the streamed line:\n%s", screen(a))
	}
	for _, k := range []string{"esc", "q", "enter", "ctrl+c", "g"} {
		if c := press(a, k); isQuit(c) {
			t.Errorf("%s quit during an operation", k)
		}
		if a.logView == nil {
			t.Fatalf("%s left the log view during an operation", k)
		}
	}
	if op, busy := a.cfg.Ops.Busy("agent-02"); !busy || op.Title != "Start agent-02" {
		t.Error("instance not busy during its start")
	}
	close(stub.release)
	finishOperation(t, a, waitOutput(a.logView.op, a.logView.total))
	if !strings.Contains(screen(a), "✓ Done in") {
		t.Errorf("result not shown:\n%s", screen(a))
	}
	press(a, "esc")
	if a.logView != nil {
		t.Error("esc did not leave the finished log view")
	}
}

func TestFailedOperationShowsLimactlMessage(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()},
		failErr: &lima.Error{Op: "stop", Instance: "agent-01", ExitCode: 1, Message: "expected status `Running`, got `Stopped`"}}
	a := newTestApp(t, stub, 100, 30)
	press(a, "enter", "j", "j") // Shell, Start (grayed), Stop
	cmd := press(a, "enter")
	finishOperation(t, a, cmd)
	s := screen(a)
	if !strings.Contains(s, "✗ Failed: expected status `Running`, got `Stopped`") {
		t.Errorf("failure not shown in limactl's words:\n%s", s)
	}
}

func TestDeleteRunningAsksAndForces(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	press(a, "enter", "j", "j", "j", "enter")
	if a.confirm == nil {
		t.Fatal("Delete did not ask")
	}
	if s := screen(a); !strings.Contains(s, "stopped by force") {
		t.Errorf("question does not say the VM is stopped by force:\n%s", s)
	}
	press(a, "x")
	if a.confirm == nil {
		t.Fatal("a key other than y or n answered")
	}
	finishOperation(t, a, press(a, "y"))
	calls := stub.Calls()
	if calls[len(calls)-1] != "delete --force agent-01" {
		t.Errorf("calls = %q", calls)
	}
}

func TestDeleteStoppedNoAndYes(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	press(a, "j", "enter", "j", "j", "enter")
	if strings.Contains(screen(a), "by force") {
		t.Error("a stopped VM's question mentions force")
	}
	press(a, "n")
	if a.confirm != nil || a.logView != nil {
		t.Fatal("n did not cancel")
	}
	press(a, "enter", "j", "j", "enter")
	finishOperation(t, a, press(a, "y"))
	calls := stub.Calls()
	if calls[len(calls)-1] != "delete agent-02" {
		t.Errorf("calls = %q", calls)
	}
}

func TestBusyInstanceEnterReopensLog(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}, release: make(chan struct{})}
	defer close(stub.release)
	a := newTestApp(t, stub, 100, 30)
	press(a, "j", "enter", "enter")
	op := a.logView.op
	a.logView = nil // as if a finished view had been left; the op still runs
	press(a, "enter")
	if a.logView == nil || a.logView.op != op {
		t.Error("enter on a busy instance did not reopen its operation")
	}
}

func TestShellUsesShellCommand(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	cmd := press(a, "enter", "enter")
	if cmd == nil {
		t.Fatal("Shell returned no command")
	}
	calls := stub.Calls()
	if calls[len(calls)-1] != "shell agent-01" {
		t.Errorf("calls = %q", calls)
	}
	before := len(stub.Calls())
	a.Update(shellDoneMsg{name: "agent-01", err: errors.New("exit status 1"),
		stderr: "time=\"t\" level=fatal msg=\"instance `agent-01` is stopped, run `limactl start agent-01` to start the instance\"\n"})
	if !strings.Contains(a.notice.text, "is stopped") {
		t.Errorf("notice = %q", a.notice.text)
	}
	if len(stub.Calls()) != before {
		t.Error("limactl called inside Update")
	}
}

func TestQuitKeys(t *testing.T) {
	a := newTestApp(t, &stubLimactl{}, 100, 30)
	if !isQuit(press(a, "q")) {
		t.Error("q does not quit")
	}
	if !isQuit(press(a, "ctrl+c")) {
		t.Error("ctrl+c does not quit")
	}
}

func TestTooSmallTerminal(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 40, 8)
	s := screen(a)
	if !strings.Contains(s, "Terminal too small") || !strings.Contains(s, "60×12") || !strings.Contains(s, "40×8") {
		t.Errorf("small terminal screen = %q", s)
	}
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if !strings.Contains(screen(a), "agent-01") {
		t.Error("resizing back does not restore the layout")
	}
}

func TestEmptyList(t *testing.T) {
	a := newTestApp(t, &stubLimactl{}, 100, 30)
	if !strings.Contains(screen(a), "No VMs yet.") {
		t.Errorf("empty list screen:\n%s", screen(a))
	}
	if cmd := press(a, "enter"); cmd != nil || a.menu != nil {
		t.Error("enter with no instance opened something")
	}
}

func TestRootRefusalBecomesProblem(t *testing.T) {
	stub := &stubLimactl{verErr: &lima.Error{Op: "--version", ExitCode: 1, Message: "must not run as the root user", Kind: lima.KindRootRefused}}
	a := newTestApp(t, stub, 100, 30)
	a.Update(a.checkVersion()())
	s := screen(a)
	if !strings.Contains(s, "running as root") || !strings.Contains(s, "your own user") {
		t.Errorf("root problem not shown:\n%s", s)
	}
	if !isQuit(press(a, "q")) {
		t.Error("q does not quit the problem screen")
	}
}

func TestOldLimactlWarns(t *testing.T) {
	stub := &stubLimactl{version: lima.Version{Major: 1, Minor: 0, Patch: 7, Raw: "1.0.7"}}
	a := newTestApp(t, stub, 100, 30)
	a.Update(a.checkVersion()())
	if !strings.Contains(screen(a), "limactl 1.0.7 is older than 2.0.0") {
		t.Errorf("no warning for an old limactl:\n%s", screen(a))
	}
}

func TestProblemScreenStartsNothing(t *testing.T) {
	a := New(Config{Problem: &Problem{Title: "aisand cannot start", Lines: []string{"invalid AISAND_QUERY_TIMEOUT \"soon\"", "use a duration such as 30s"}}})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if a.Init() != nil {
		t.Error("Init starts work although aisand cannot work")
	}
	s := screen(a)
	if !strings.Contains(s, "AISAND_QUERY_TIMEOUT") || !strings.Contains(s, "such as 30s") {
		t.Errorf("problem screen lacks what to do:\n%s", s)
	}
	if !a.Failed() {
		t.Error("Failed() is false on a problem screen")
	}
}

func isQuitMsg(msg any) bool {
	_, ok := msg.(tea.QuitMsg)
	return ok
}
