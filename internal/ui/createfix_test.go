package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

// pressCode sends one key given by its code, such as tea.KeyPgDown,
// which keyMsg cannot spell.
func (d *driver) pressCode(code rune) {
	d.t.Helper()
	_, cmd := d.a.Update(tea.KeyPressMsg{Code: code})
	d.run(cmd)
	d.settle()
}

// makeFolders creates the folders under home and returns their paths.
func makeFolders(t *testing.T, home string, names ...string) []string {
	t.Helper()
	var paths []string
	for _, name := range names {
		path := filepath.Join(home, name)
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

// reachFolders fills the first four steps with defaults.
func reachFolders(t *testing.T, d *driver, name string) *createPage {
	t.Helper()
	d.typeText(name)
	d.press("enter", "enter", "enter", "enter")
	p := createPageOf(d.a)
	if p == nil || p.step != stepFolders {
		t.Fatalf("not at the folder step:\n%s", screen(d.a))
	}
	return p
}

func TestWizardBackKeepsFolders(t *testing.T) {
	home := wizardEnv(t)
	folders := makeFolders(t, home, "a", "b", "c")
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	d := openWizard(t, newFlowStub(), Config{})
	p := reachFolders(t, d, "dev")
	for _, folder := range folders {
		d.typeText(folder)
		d.press("enter")
	}
	d.press("esc")
	if p.step != stepDisk {
		t.Fatalf("esc at the folders went to step %d, want the disk step", p.step)
	}
	d.press("enter")
	if !slices.Equal(p.folders, folders) {
		t.Errorf("folders after going back and forth = %q, want %q", p.folders, folders)
	}
	d.press("enter") // empty field: the summary
	d.press("esc")
	if p.step != stepFolders || !slices.Equal(p.folders, folders) {
		t.Errorf("esc at the summary: step %d, folders %q", p.step, p.folders)
	}
	if p.folder != "" {
		t.Errorf("the field holds %q after going back", p.folder)
	}
}

func TestWizardRemovesAnyFolder(t *testing.T) {
	home := wizardEnv(t)
	folders := makeFolders(t, home, "a", "b", "c")
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	d := openWizard(t, newFlowStub(), Config{})
	p := reachFolders(t, d, "dev")
	if strings.Contains(screen(d.a), "to remove") {
		t.Errorf("the hint offers removal with no folder chosen:\n%s", screen(d.a))
	}
	for _, folder := range folders {
		d.typeText(folder)
		d.press("enter")
	}
	if !strings.Contains(screen(d.a), "↑ choose one to remove") {
		t.Errorf("the hint does not say how to remove a folder:\n%s", screen(d.a))
	}
	d.press("up", "up")
	s := screen(d.a)
	if !strings.Contains(s, "▶ "+folders[1]) || !strings.Contains(s, "x/del remove") {
		t.Errorf("the middle folder is not shown selected:\n%s", s)
	}
	d.press("q") // a stray letter neither removes nor lands in the field
	if len(p.folders) != 3 || p.folder != "" {
		t.Errorf("q changed the step: folders %q, field %q", p.folders, p.folder)
	}
	d.press("x")
	if want := []string{folders[0], folders[2]}; !slices.Equal(p.folders, want) {
		t.Fatalf("after x, folders = %q, want %q", p.folders, want)
	}
	d.pressCode(tea.KeyDelete)
	if want := []string{folders[0]}; !slices.Equal(p.folders, want) {
		t.Fatalf("after delete, folders = %q, want %q", p.folders, want)
	}
	d.press("x")
	if len(p.folders) != 0 || p.folderCursor != -1 {
		t.Fatalf("after removing the last: folders %q, cursor %d", p.folders, p.folderCursor)
	}
	d.typeText(folders[2])
	d.press("enter")
	if want := []string{folders[2]}; !slices.Equal(p.folders, want) {
		t.Errorf("the field did not get the keys back: folders %q", p.folders)
	}
}

func TestWizardSummaryChoices(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	stub := newFlowStub()
	d := openWizard(t, stub, Config{})
	reachSummary(t, d, "dev")
	s := screen(d.a)
	for _, want := range []string{"Create and start it", "Back to the folders", "Cancel: leave the wizard", "↑/↓ choose · enter confirm"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	d.press("y", "n", "c", "/", "enter")
	// "/" would open huh's filter, where the letters would pick a choice.
	if !slices.Contains(stub.Calls(), "start dev") {
		d.settleUntil("the VM created", func() bool { return slices.Contains(stub.Calls(), "start dev") })
	}
	for _, c := range stub.Calls() {
		if strings.HasPrefix(c, "create") && !strings.Contains(c, "--name dev") {
			t.Errorf("unexpected call %q", c)
		}
	}

	d2 := openWizard(t, newFlowStub(), Config{})
	reachSummary(t, d2, "dev")
	d2.press("down", "enter")
	if p := createPageOf(d2.a); p == nil || p.step != stepFolders {
		t.Errorf("Back did not return to the folder step:\n%s", screen(d2.a))
	}
}

func TestWizardTrimsNumbers(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 4, memory: 8 << 30})
	stub := newFlowStub()
	d := openWizard(t, stub, Config{})
	d.typeText(" dev ")
	d.press("enter")
	d.answer("  3 ")
	d.answer(" 2")
	d.answer("20  ")
	d.press("enter")
	p := createPageOf(d.a)
	if p.name != "dev" || p.cpus != "3" || p.memory != "2" || p.disk != "20" {
		t.Errorf("values name=%q cpus=%q memory=%q disk=%q, want them trimmed", p.name, p.cpus, p.memory, p.disk)
	}
	// The labels are 10 columns wide, so a value with a leading space
	// starts one column late.
	s := screen(d.a)
	for _, want := range []string{"Name      dev", "CPUs      3", "Memory    2 GiB", "Disk      20 GiB"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	for _, unwanted := range []string{"Name       ", "CPUs       ", "Memory     ", "20   GiB"} {
		if strings.Contains(s, unwanted) {
			t.Errorf("summary shows the spaces typed (%q):\n%s", unwanted, s)
		}
	}
}

// screenLines returns the rendered rows of the screen.
func screenLines(a *App) []string {
	return strings.Split(screen(a), "\n")
}

func TestWizardSmallScreenKeepsField(t *testing.T) {
	home := wizardEnv(t)
	folders := makeFolders(t, home, "one", "two", "three", "four")
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	d := openWizard(t, newFlowStub(), Config{})
	d.a.Update(tea.WindowSizeMsg{Width: 60, Height: 16})
	p := reachFolders(t, d, "dev")
	for _, folder := range folders {
		d.typeText(folder)
		d.press("enter")
	}
	d.typeText("/no/such/folder/at/all")
	d.press("enter")
	lines := screenLines(d.a)
	s := strings.Join(lines, "\n")
	if len(lines) > 16 {
		t.Errorf("the screen has %d rows, more than 16:\n%s", len(lines), s)
	}
	for _, want := range []string{"> /no/such/folder/at/all", "does not exist", "pgup/pgdown"} {
		if !strings.Contains(s, want) {
			t.Errorf("60x16 folder step lacks %q:\n%s", want, s)
		}
	}
	d.press("up", "up", "up", "up")
	if p.folderCursor != 0 || !strings.Contains(screen(d.a), "▶ "+home[:20]) {
		t.Errorf("the selected folder is scrolled out of view:\n%s", screen(d.a))
	}
	d.press("enter")
	d.clearField()
	d.press("enter")
	if p.step != stepSummary {
		t.Fatalf("not at the summary: step %d", p.step)
	}
	lines = screenLines(d.a)
	s = strings.Join(lines, "\n")
	if len(lines) > 16 {
		t.Errorf("the summary has %d rows, more than 16:\n%s", len(lines), s)
	}
	for _, want := range []string{"Create and start it", "Back to the folders", "Cancel: leave the wizard", "below: pgup/pgdown"} {
		if !strings.Contains(s, want) {
			t.Errorf("60x16 summary lacks %q:\n%s", want, s)
		}
	}
	for range 5 {
		d.pressCode(tea.KeyPgDown)
	}
	if s := screen(d.a); !strings.Contains(s, "Ubuntu 25.10 (built in)") || !strings.Contains(s, "Create and start it") {
		t.Errorf("pgdown did not reach the last answer:\n%s", s)
	}
}

func TestWizardErrorWrapsIndented(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	d := openWizard(t, newFlowStub(), Config{})
	d.a.Update(tea.WindowSizeMsg{Width: 60, Height: 24})
	reachFolders(t, d, "dev")
	d.typeText("/srv/a-rather-long-folder-name/that/does/not/exist/anywhere")
	d.press("enter")
	// The error is the last text in the panel: take its rows up to the
	// panel's blank rows.
	var errorRows []string
	for _, line := range screenLines(d.a) {
		inner, inPanel := strings.CutPrefix(line, "│ ")
		inner = strings.TrimRight(strings.TrimSuffix(inner, "│"), " ")
		switch {
		case !inPanel || (len(errorRows) > 0 && inner == ""):
			if len(errorRows) > 0 {
				inPanel = false
			}
		case strings.HasPrefix(inner, "✗ ") || len(errorRows) > 0:
			errorRows = append(errorRows, inner)
		}
		if !inPanel && len(errorRows) > 0 {
			break
		}
	}
	if len(errorRows) < 2 {
		t.Fatalf("the error did not wrap at 60 columns:\n%s", screen(d.a))
	}
	for _, row := range errorRows[1:] {
		if !strings.HasPrefix(row, "  ") {
			t.Errorf("continuation row %q is not indented", row)
		}
	}
	joined := strings.Join(errorRows, "\n")
	for _, word := range []string{"exist:", "create", "another"} {
		if !strings.Contains(joined, word) {
			t.Errorf("the word %q was broken:\n%s", word, joined)
		}
	}
}

func TestCreateFailureTemplateGone(t *testing.T) {
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	template := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(template, []byte("images: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stub := newFlowStub()
	stub.fail["create"] = &lima.Error{Op: "create", ExitCode: 1, Message: "open " + template + ": no such file or directory"}
	d := openWizard(t, stub, Config{TemplatePath: template})
	reachSummary(t, d, "dev")
	if err := os.Remove(template); err != nil {
		t.Fatal(err)
	}
	d.press("enter")
	d.settleUntil("the failure", func() bool { p := createPageOf(d.a); return p != nil && p.run != nil && p.run.failed })
	s := screen(d.a)
	if strings.Contains(s, "Back to the wizard") {
		t.Errorf("the wizard is offered though it cannot bring the template back:\n%s", s)
	}
	for _, want := range []string{"cannot be read any more", "restore it", "--template", "Back to the list"} {
		if !strings.Contains(s, want) {
			t.Errorf("failure screen lacks %q:\n%s", want, s)
		}
	}
}
