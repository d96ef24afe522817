package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/assets"
	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// useHostSize makes the wizard see a host with the given size.
func useHostSize(t *testing.T, size hostSize) {
	t.Helper()
	saved := readHostSize
	readHostSize = func(context.Context) hostSize { return size }
	t.Cleanup(func() { readHostSize = saved })
}

// wizardEnv gives the wizard a home folder and LIMA_HOME of its own.
func wizardEnv(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("LIMA_HOME", filepath.Join(home, ".lima"))
	return home
}

func openWizard(t *testing.T, stub *flowStub, cfg Config) *driver {
	t.Helper()
	cfg.Limactl = stub
	a := New(cfg)
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	d := newDriver(t, a)
	d.run(a.refresh())
	d.settle()
	d.press("g")
	if a.menu == nil || a.menu.items[a.menu.cursor].label != "New VM" {
		t.Fatalf("global menu does not start on New VM:\n%s", screen(a))
	}
	d.press("enter")
	d.settleUntil("the name step", func() bool { p := createPageOf(a); return p != nil && p.form != nil })
	return d
}

func createPageOf(a *App) *createPage {
	p, _ := a.page.(*createPage)
	return p
}

// answer types text over the field's value and presses enter.
func (d *driver) answer(text string) {
	d.t.Helper()
	d.clearField()
	d.typeText(text)
	d.press("enter")
}

func TestWizardDefaultsFitHost(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 8, memory: 32 << 30})
	d := openWizard(t, newFlowStub(), Config{})
	p := createPageOf(d.a)
	if p.cpus != "4" || p.memory != "8" || p.disk != "100" {
		t.Errorf("defaults cpus=%s memory=%s disk=%s, want 4, 8, 100", p.cpus, p.memory, p.disk)
	}
	if s := screen(d.a); !strings.Contains(s, "New VM") || !strings.Contains(s, "Name") {
		t.Errorf("wizard screen:\n%s", s)
	}
}

func TestWizardCreatesWithFolders(t *testing.T) {
	home := wizardEnv(t)
	for _, dir := range []string{"src/one", "src/two"} {
		if err := os.MkdirAll(filepath.Join(home, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	useHostSize(t, hostSize{cpus: 8, memory: 16 << 30})
	stub := newFlowStub()
	d := openWizard(t, stub, Config{})

	d.typeText("dev")
	d.press("enter")
	d.answer("3")
	d.answer("6")
	d.answer("20")
	d.typeText("~/src/one")
	d.press("enter")
	d.typeText(filepath.Join(home, "src", "two"))
	d.press("enter")
	p := createPageOf(d.a)
	if len(p.folders) != 2 || p.step != stepFolders {
		t.Fatalf("folders = %q at step %d", p.folders, p.step)
	}
	d.press("enter") // empty: on to the summary
	s := screen(d.a)
	for _, want := range []string{"dev", "3", "6 GiB", "20 GiB", home + " (read-only)", filepath.Join(home, "src", "one") + " (read-write)", "Ubuntu 25.10 (built in)", "Create"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	d.press("enter")
	d.settleUntil("the VM created", func() bool { return d.a.page == nil })

	wantArgs := "create --tty=false --name dev --cpus 3 --memory 6 --disk 20 --mount-only " +
		home + "," + filepath.Join(home, "src", "one") + ":w," + filepath.Join(home, "src", "two") + ":w -"
	if calls := stub.Calls(); !slices.Contains(calls, wantArgs) || !slices.Contains(calls, "start dev") {
		t.Errorf("calls = %q\nwant %q", calls, wantArgs)
	}
	if string(stub.created[0].Template) != string(assets.Template) {
		t.Error("create did not get the embedded template on stdin")
	}
	if !strings.Contains(d.a.notice.text, "dev is created and running") {
		t.Errorf("notice = %q", d.a.notice.text)
	}
}

func TestWizardUserTemplatePath(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 8 << 30})
	stub := newFlowStub()
	d := openWizard(t, stub, Config{TemplatePath: "/etc/lima/mine.yaml"})
	d.typeText("mine")
	d.press("enter", "enter", "enter", "enter", "enter")
	if s := screen(d.a); !strings.Contains(s, "as your template sets them") || !strings.Contains(s, "/etc/lima/mine.yaml") {
		t.Errorf("summary does not show the user's template:\n%s", s)
	}
	d.press("enter")
	d.settleUntil("the VM created", func() bool { return d.a.page == nil })
	want := "create --tty=false --name mine --cpus 1 --memory 2 --disk 100 /etc/lima/mine.yaml"
	if !slices.Contains(stub.Calls(), want) {
		t.Errorf("calls = %q, want %q", stub.Calls(), want)
	}
}

func TestWizardRejectsAtTheField(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 4, memory: 8 << 30})
	stub := newFlowStub(lima.Instance{Name: "Taken", Status: lima.StatusStopped}, lima.Instance{Name: "my.vm", Status: lima.StatusStopped})
	d := openWizard(t, stub, Config{})
	p := createPageOf(d.a)

	for _, bad := range []string{"bad name", "vm-", "taken", "x.yaml"} {
		d.answer(bad)
		if p.step != stepName {
			t.Fatalf("name %q accepted", bad)
		}
		if p.form.View() == "" || !strings.Contains(screen(d.a), bad) {
			t.Errorf("no message for %q:\n%s", bad, screen(d.a))
		}
	}
	d.clearField()
	d.typeText("my_vm")
	if !strings.Contains(screen(d.a), "Warning: the guest host name lima-my-vm is already used") {
		t.Errorf("no host name warning:\n%s", screen(d.a))
	}
	d.press("enter")
	if p.step != stepCPUs {
		t.Fatalf("a valid name with a warning was not accepted: step %d", p.step)
	}
	for _, bad := range []string{"0", "5", "two"} {
		d.answer(bad)
		if p.step != stepCPUs {
			t.Fatalf("CPUs %q accepted", bad)
		}
	}
	if !strings.Contains(screen(d.a), "not a whole number") {
		t.Errorf("CPU message not shown:\n%s", screen(d.a))
	}
	d.answer("4")
	for _, bad := range []string{"0", "9"} {
		d.answer(bad)
		if p.step != stepMemory {
			t.Fatalf("memory %q accepted", bad)
		}
	}
	d.answer("8")
	d.answer("9")
	if p.step != stepDisk {
		t.Fatal("disk of 9 GiB accepted")
	}
	d.answer("10")
	for _, bad := range []string{"relative/path", "~", "/etc", "/no/such/folder"} {
		d.answer(bad)
		if p.step != stepFolders || len(p.folders) != 0 {
			t.Fatalf("folder %q accepted: %q", bad, p.folders)
		}
	}
}

func TestWizardEscGoesBack(t *testing.T) {
	home := wizardEnv(t)
	if err := os.MkdirAll(filepath.Join(home, "work"), 0o755); err != nil {
		t.Fatal(err)
	}
	useHostSize(t, hostSize{cpus: 4, memory: 8 << 30})
	d := openWizard(t, newFlowStub(), Config{})
	p := createPageOf(d.a)
	d.typeText("dev")
	d.press("enter", "enter")
	if p.step != stepMemory {
		t.Fatalf("step %d, want memory", p.step)
	}
	d.press("esc")
	if p.step != stepCPUs {
		t.Fatalf("esc went to step %d, want CPUs", p.step)
	}
	d.press("enter", "enter", "enter")
	d.typeText("~/work")
	d.press("enter")
	if len(p.folders) != 1 {
		t.Fatalf("folders = %q", p.folders)
	}
	d.press("esc")
	if p.step != stepDisk || len(p.folders) != 1 {
		t.Errorf("esc at the folders went to step %d with folders %q, want the disk step with one", p.step, p.folders)
	}
	d.press("esc", "esc", "esc")
	if p.step != stepName || d.a.page == nil {
		t.Fatalf("step %d after going back to the start", p.step)
	}
	if p.name != "dev" {
		t.Errorf("name lost on the way back: %q", p.name)
	}
	d.press("esc")
	if d.a.page != nil {
		t.Error("esc at the first step did not leave the wizard")
	}
}

func TestWizardCancelAtSummaryCallsNothing(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	stub := newFlowStub()
	d := openWizard(t, stub, Config{})
	d.typeText("dev")
	d.press("enter", "enter", "enter", "enter", "enter")
	d.press("y", "n")
	if p := createPageOf(d.a); p == nil || p.step != stepSummary {
		t.Fatal("y or n answered the summary")
	}
	d.press("down", "down", "enter") // Cancel
	if d.a.page != nil {
		t.Fatal("Cancel at the summary did not leave the wizard")
	}
	for _, c := range stub.Calls() {
		if c != "list" {
			t.Errorf("limactl called: %q", c)
		}
	}
}

// reachSummary fills the wizard with defaults for name and waits at the
// final question.
func reachSummary(t *testing.T, d *driver, name string) {
	t.Helper()
	d.typeText(name)
	d.press("enter", "enter", "enter", "enter", "enter")
	if createPageOf(d.a).step != stepSummary {
		t.Fatalf("not at the summary:\n%s", screen(d.a))
	}
}

func TestCreateCancelDeletes(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	stub := newFlowStub()
	gate := make(chan struct{})
	stub.hold["start"] = gate
	defer close(gate)
	d := openWizard(t, stub, Config{})
	reachSummary(t, d, "dev")
	d.press("enter")
	d.settleUntil("start called", func() bool { return slices.Contains(stub.Calls(), "start dev") })
	if d.a.logView == nil {
		t.Fatal("no log view while creating")
	}
	d.press("q", "enter")
	if d.a.logView == nil || d.a.confirm != nil {
		t.Fatal("a key other than esc left or asked")
	}
	d.press("esc")
	if d.a.confirm == nil || !strings.Contains(screen(d.a), "Cancel and delete this VM?") || !strings.Contains(screen(d.a), "command is interrupted") {
		t.Fatalf("esc did not ask:\n%s", screen(d.a))
	}
	d.press("n")
	if d.a.confirm != nil || d.a.logView == nil {
		t.Fatal("n did not keep the work going")
	}
	d.press("esc", "y")
	d.settleUntil("back on the list", func() bool { return d.a.page == nil && d.a.logView == nil })
	if stub.exists("dev") {
		t.Error("the half-made VM still exists")
	}
	if !slices.Contains(stub.Calls(), "delete --force dev") {
		t.Errorf("calls = %q", stub.Calls())
	}
	if !strings.Contains(d.a.notice.text, "Canceled: the VM dev was deleted") {
		t.Errorf("notice = %q", d.a.notice.text)
	}
}

func TestCreateFailureRetryStart(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	stub := newFlowStub()
	stub.leaveOnFail = true
	stub.fail["create"] = &lima.Error{Op: "create", ExitCode: 1, Message: "failed to download the image"}
	d := openWizard(t, stub, Config{})
	reachSummary(t, d, "dev")
	d.press("enter")
	d.settleUntil("the failure", func() bool { p := createPageOf(d.a); return p != nil && p.run != nil && p.run.failed })
	s := screen(d.a)
	for _, want := range []string{"Creating dev failed", "failed to download the image", "was made and is Stopped", "Try starting it", "Delete the VM"} {
		if !strings.Contains(s, want) {
			t.Errorf("failure screen lacks %q:\n%s", want, s)
		}
	}
	delete(stub.fail, "create")
	d.press("enter")
	d.settleUntil("started", func() bool { return d.a.page == nil })
	if calls := stub.Calls(); calls[len(calls)-1] != "start dev" && !slices.Contains(calls, "start dev") {
		t.Errorf("calls = %q", calls)
	}
	if !strings.Contains(d.a.notice.text, "created and running") {
		t.Errorf("notice = %q", d.a.notice.text)
	}
}

func TestCreateFailureDelete(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	stub := newFlowStub()
	stub.fail["start"] = &lima.Error{Op: "start", ExitCode: 1, Message: "did not receive an event with the \"running\" status"}
	d := openWizard(t, stub, Config{})
	reachSummary(t, d, "dev")
	d.press("enter")
	d.settleUntil("the failure", func() bool { p := createPageOf(d.a); return p != nil && p.run != nil && p.run.failed })
	d.press("l")
	if d.a.logView == nil || !strings.Contains(screen(d.a), "Starting the instance") {
		t.Fatalf("l did not show the log:\n%s", screen(d.a))
	}
	d.press("esc", "down", "enter")
	d.settleUntil("deleted", func() bool { return d.a.page == nil })
	if stub.exists("dev") || !slices.Contains(stub.Calls(), "delete --force dev") {
		t.Errorf("not deleted: calls = %q", stub.Calls())
	}
	if !strings.Contains(d.a.notice.text, "Deleted the VM dev") {
		t.Errorf("notice = %q", d.a.notice.text)
	}
}

func TestCreateFailureWithoutInstance(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	stub := newFlowStub()
	stub.fail["create"] = &lima.Error{Op: "create", ExitCode: 1, Message: "field `images` must be set"}
	d := openWizard(t, stub, Config{})
	reachSummary(t, d, "dev")
	d.press("enter")
	d.settleUntil("the failure", func() bool { p := createPageOf(d.a); return p != nil && p.run != nil && p.run.failed })
	if s := screen(d.a); !strings.Contains(s, "No VM was made") || strings.Contains(s, "Try starting it") {
		t.Errorf("failure without an instance:\n%s", s)
	}
	d.press("enter") // Back to the wizard
	p := createPageOf(d.a)
	if p == nil || p.run != nil || p.step != stepSummary {
		t.Fatal("Back to the wizard did not reopen the summary")
	}
}

func TestCreateBusyInstanceKeepsWizard(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	stub := newFlowStub()
	d := openWizard(t, stub, Config{})
	gate := make(chan struct{})
	defer close(gate)
	if _, err := d.a.cfg.Ops.Start(ops.Spec{Title: "Other", Run: func(ctx context.Context, _ func(lima.Line)) error {
		<-gate
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	reachSummary(t, d, "dev")
	d.press("enter")
	if d.a.logView != nil || d.a.page == nil {
		t.Fatal("a busy manager did not keep the wizard open")
	}
	if !strings.Contains(screen(d.a), "busy") {
		t.Errorf("no busy message:\n%s", screen(d.a))
	}
}
