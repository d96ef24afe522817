package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/japacx/aisand/internal/lima"
)

// logText returns the lines the open operation wrote, one per line.
func logText(a *App) string {
	if a.logView == nil {
		return ""
	}
	var texts []string
	for _, l := range a.logView.lines {
		texts = append(texts, l.Text)
	}
	return strings.Join(texts, "\n")
}

// newStoppedMountStub returns newMountStub's instance, stopped.
func newStoppedMountStub(home string, extra ...lima.Mount) *mountStub {
	stub := newMountStub(home, extra...)
	stub.inst.Status = lima.StatusStopped
	return stub
}

func TestMountOnStoppedVMStaysStopped(t *testing.T) {
	home := mountHome(t, "app")
	stub := newStoppedMountStub(home)
	a := newMountApp(t, stub)
	chooseAction(t, a, "Mount")
	typeText(a, "~/app")
	deliverPageMsgs(a, press(a, "enter"))
	if a.confirm == nil {
		t.Fatalf("no question:\n%s", screen(a))
	}
	if q := screen(a); !strings.Contains(q, "stays stopped") || strings.Contains(q, "restarts") {
		t.Errorf("question does not say the VM stays stopped:\n%s", q)
	}
	finishOperation(t, a, press(a, "y"))

	folder := home + "/app"
	arg, err := lima.MountOnlyArg([]lima.Mount{{Location: home}, {Location: folder, Writable: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"list", "list", "edit --mount-only " + arg + " vm1", "list"}
	if got := stub.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls:\n got %q\nwant %q", got, want)
	}
	if got := opError(t, a); got != "" {
		t.Errorf("operation failed: %s", got)
	}
	log := logText(a)
	for _, want := range []string{"stays stopped", "✓ Added " + folder + " read-write"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	inst := stub.instance()
	if m, found := findMount(inst.Mounts, folder, home); inst.Status != lima.StatusStopped || !found || !m.Writable {
		t.Errorf("instance after the change: %+v", inst)
	}
}

func TestUnmountOnStoppedVMStaysStopped(t *testing.T) {
	home := mountHome(t)
	stub := newStoppedMountStub(home, lima.Mount{Location: "/srv/broken", MountPoint: "/srv/broken", Writable: true})
	a := newMountApp(t, stub)
	chooseAction(t, a, "Unmount")
	press(a, "enter")
	if a.confirm == nil {
		t.Fatalf("no question:\n%s", screen(a))
	}
	finishOperation(t, a, press(a, "y"))
	if got := opError(t, a); got != "" {
		t.Errorf("operation failed: %s", got)
	}
	for _, call := range stub.Calls() {
		if strings.HasPrefix(call, "start") || strings.HasPrefix(call, "stop") {
			t.Errorf("a stopped VM got %q", call)
		}
	}
	if _, found := findMount(stub.instance().Mounts, "/srv/broken", home); found {
		t.Errorf("/srv/broken still mounted: %+v", stub.instance().Mounts)
	}
	if !strings.Contains(logText(a), "no longer in the mount list") {
		t.Errorf("log:\n%s", logText(a))
	}
}

func TestRefusedEditOnStoppedVMKeepsIt(t *testing.T) {
	home := mountHome(t, "app")
	stub := newStoppedMountStub(home)
	stub.editErr = &lima.Error{Op: "edit", Instance: "vm1", ExitCode: 1, Message: "the YAML is invalid, saved the buffer as `lima.REJECTED.yaml`"}
	a := newMountApp(t, stub)
	addFolder(t, a, "~/app")
	if got := opError(t, a); !strings.Contains(got, "keeps its old mounts and stays stopped") {
		t.Errorf("error = %q", got)
	}
	if !strings.Contains(logText(a), "lima.REJECTED.yaml that limactl names is discarded") {
		t.Errorf("log does not say the rejected file is discarded:\n%s", logText(a))
	}
	if slices.ContainsFunc(stub.Calls(), func(c string) bool { return strings.HasPrefix(c, "start") }) {
		t.Errorf("calls = %q", stub.Calls())
	}
}

func TestMountsViewKeysFollowState(t *testing.T) {
	home := mountHome(t)
	for _, c := range []struct {
		status    lima.Status
		keys      bool
		note      string
		mountNote string
	}{
		{lima.StatusRunning, true, "", ""},
		{lima.StatusStopped, true, "it stays stopped", ""},
		{lima.StatusBroken, false, "only while it is Running or Stopped", "needs Running or Stopped"},
	} {
		stub := newMountStub(home, lima.Mount{Location: "/srv/work", MountPoint: "/srv/work", Writable: true})
		stub.inst.Status = c.status
		a := newMountApp(t, stub)
		if err := a.openMountsList("vm1"); err != nil {
			t.Fatal("openMountsList returned a command")
		}
		s := screen(a)
		if got := strings.Contains(s, "m mount a folder") && strings.Contains(s, "u unmount"); got != c.keys {
			t.Errorf("%s: footer offers m and u: %v, want %v:\n%s", c.status, got, c.keys, s)
		}
		if c.note != "" && !strings.Contains(s, c.note) {
			t.Errorf("%s: view lacks %q:\n%s", c.status, c.note, s)
		}
		press(a, "m")
		if _, ok := a.page.(*mountInput); ok == (c.mountNote != "") {
			t.Errorf("%s: m opened %T", c.status, a.page)
		}
		if !strings.Contains(a.notice.text, c.mountNote) {
			t.Errorf("%s: notice = %q, want %q", c.status, a.notice.text, c.mountNote)
		}
	}
}

func TestMountQuestionFitsScreen(t *testing.T) {
	deep := "a-rather-long-folder-name/with-another-long-folder-name/and-a-third-long-folder-name/app"
	home := mountHome(t, deep)
	a := newMountApp(t, newMountStub(home))
	a.Update(tea.WindowSizeMsg{Width: 60, Height: 30})
	chooseAction(t, a, "Mount")
	typeText(a, "~/"+deep)
	deliverPageMsgs(a, press(a, "enter"))
	if a.confirm == nil {
		t.Fatalf("no question:\n%s", screen(a))
	}
	box := ansiCodes.ReplaceAllString(a.confirm.view(a), "")
	if w := lipgloss.Width(box); w > a.width-4 {
		t.Errorf("question box is %d cells wide on a %d-cell screen:\n%s", w, a.width, box)
	}
	// The whole path is in the box, across its lines.
	var joined strings.Builder
	for _, line := range strings.Split(box, "\n") {
		joined.WriteString(strings.Trim(line, "│╭╮╰╯─ "))
	}
	if !strings.Contains(joined.String(), home+"/"+deep) {
		t.Errorf("question lost part of the path:\n%s", box)
	}
}

func TestMountVerifyChecksWritable(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home)
	stub.runErrs = map[string]error{"test -w " + home + "/app": &lima.Error{Op: "shell", Instance: "vm1", ExitCode: 1, Message: "exit status 1"}}
	a := newMountApp(t, stub)
	addFolder(t, a, "~/app")
	if got := opError(t, a); !strings.Contains(got, "is not writable inside vm1") {
		t.Errorf("read-only guest folder not reported: %q", got)
	}
}

func TestMountLogLinesAreWhole(t *testing.T) {
	deep := strings.Repeat("long-folder-name/", 6) + "app"
	home := mountHome(t, deep)
	a := newMountApp(t, newMountStub(home))
	addFolder(t, a, "~/"+deep)
	want := "✓ Mounted " + home + "/" + deep + " read-write at " + home + "/" + deep + " in vm1."
	if !slices.ContainsFunc(a.logView.lines, func(l lima.Line) bool { return l.Text == want }) {
		t.Errorf("no whole line %q in the log:\n%s", want, logText(a))
	}
}

func TestMountTableUsesRoomAndCells(t *testing.T) {
	home := mountHome(t)
	long := "/srv/" + strings.Repeat("x", 37) + "/project" // 50 cells
	cjk := "/srv/日本語のフォルダ"
	stub := newMountStub(home,
		lima.Mount{Location: long, MountPoint: long, Writable: true},
		lima.Mount{Location: cjk, MountPoint: "/mnt/cjk", Writable: true},
		lima.Mount{Location: "/srv/plain", MountPoint: "/mnt/plain"})
	a := newMountApp(t, stub)
	rows := a.mountTable(stub.instance().Mounts, home)
	text := ansiCodes.ReplaceAllString(strings.Join(rows, "\n"), "")
	for _, want := range []string{long, "(home folder)"} {
		if !strings.Contains(text, want) {
			t.Errorf("table at width %d lacks %q:\n%s", a.width, want, text)
		}
	}
	// The guest column starts at the same cell in every row.
	column := -1
	for _, row := range strings.Split(text, "\n") {
		i := strings.Index(row, "/mnt/")
		if i < 0 {
			continue
		}
		cell := lipgloss.Width(row[:i])
		if column >= 0 && cell != column {
			t.Errorf("guest column at cell %d, want %d:\n%s", cell, column, text)
		}
		column = cell
	}
	if column < 0 {
		t.Fatalf("no guest paths in:\n%s", text)
	}
	for _, row := range strings.Split(text, "\n") {
		if w := lipgloss.Width(row); w > a.width {
			t.Errorf("row is %d cells wide on a %d-cell screen: %q", w, a.width, row)
		}
	}
}

func TestUnmountNoteTellsHomeMount(t *testing.T) {
	home := mountHome(t)
	work := lima.Mount{Location: "/srv/work", MountPoint: "/srv/work", Writable: true}
	data := lima.Mount{Location: "/srv/data", MountPoint: "/srv/data", Writable: true}
	cases := []struct {
		mounts []lima.Mount
		want   string
	}{
		{[]lima.Mount{{Location: home, MountPoint: home}, work}, "stays mounted read-only"},
		{[]lima.Mount{{Location: home, MountPoint: home, Writable: true}, work}, "stays mounted read-write"},
		{[]lima.Mount{work, data}, ""},
	}
	for _, c := range cases {
		stub := newMountStub(home)
		stub.inst.Mounts = c.mounts
		a := newMountApp(t, stub)
		chooseAction(t, a, "Unmount")
		s := screen(a)
		if c.want == "" && strings.Contains(s, "home folder") {
			t.Errorf("no home mount, but the picker says:\n%s", s)
		}
		if !strings.Contains(s, c.want) {
			t.Errorf("picker lacks %q:\n%s", c.want, s)
		}
	}
}

func TestUnmountLastMountRefusedUpFront(t *testing.T) {
	home := mountHome(t)
	stub := newMountStub(home)
	stub.inst.Mounts = []lima.Mount{{Location: "/srv/work", MountPoint: "/srv/work", Writable: true}}
	a := newMountApp(t, stub)
	chooseAction(t, a, "Unmount")
	if a.page != nil || a.confirm != nil {
		t.Errorf("Unmount of the only mount opened %T", a.page)
	}
	if !strings.Contains(a.notice.text, "only mount") || !strings.Contains(a.notice.text, "empty mount list") {
		t.Errorf("notice = %q", a.notice.text)
	}
}

func TestUnmountHomeAndEndKeys(t *testing.T) {
	home := mountHome(t)
	stub := newMountStub(home,
		lima.Mount{Location: "/srv/a", MountPoint: "/srv/a"},
		lima.Mount{Location: "/srv/b", MountPoint: "/srv/b"},
		lima.Mount{Location: "/srv/c", MountPoint: "/srv/c"})
	a := newMountApp(t, stub)
	chooseAction(t, a, "Unmount")
	p := a.page.(*unmountPicker)
	a.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	if p.cursor != 2 {
		t.Errorf("end: cursor = %d, want 2", p.cursor)
	}
	a.Update(tea.KeyPressMsg{Code: tea.KeyHome})
	if p.cursor != 0 {
		t.Errorf("home: cursor = %d, want 0", p.cursor)
	}
}

func TestMountsUWithNothingToRemove(t *testing.T) {
	home := mountHome(t)
	a := newMountApp(t, newMountStub(home))
	chooseAction(t, a, "Mounts")
	press(a, "u")
	if _, ok := a.page.(*mountsList); !ok {
		t.Errorf("u left %T open", a.page)
	}
	if !strings.Contains(screen(a), "no mounts to remove") {
		t.Errorf("u did not say there is nothing to remove:\n%s", screen(a))
	}
}

func TestMountCompletionSkipsRejectedFolders(t *testing.T) {
	home := mountHome(t, "good", "gone to", "a,b", `say"hi`, "data:w", "mounted", "mounted/inner", "parent/child")
	stub := newMountStub(home,
		lima.Mount{Location: home + "/mounted", MountPoint: home + "/mounted", Writable: true},
		lima.Mount{Location: home + "/parent/child", MountPoint: home + "/parent/child", Writable: true})
	a := newMountApp(t, stub)
	chooseAction(t, a, "Mount")
	p := a.page.(*mountInput)
	typeText(a, "~/")
	// A folder around a mount stays, because other folders inside it can
	// still be mounted.
	if got, want := p.input.AvailableSuggestions(), []string{"~/good/", "~/parent/"}; !slices.Equal(got, want) {
		t.Errorf("suggestions for ~/ = %q, want %q", got, want)
	}
}

func TestMountCompletionTildeToHome(t *testing.T) {
	home := mountHome(t, "app")
	a := newMountApp(t, newMountStub(home))
	chooseAction(t, a, "Mount")
	p := a.page.(*mountInput)
	typeText(a, "~")
	deliverPageMsgs(a, func() tea.Msg { a.Update(tabKey()); return nil })
	if got := p.input.Value(); got != "~/" {
		t.Errorf("tab after ~ gave %q, want ~/", got)
	}
}

func TestMountCompletionLeavesSystemFolders(t *testing.T) {
	names := leadingFolders("/", []string{"etc", "usr", "home", "tmp", "srv", "var"}, nil, "")
	if want := []string{"home", "tmp", "srv"}; !slices.Equal(names, want) {
		t.Errorf("leadingFolders(/) = %q, want %q", names, want)
	}
}

func TestUnwritableMountListRefusedUpFront(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home, lima.Mount{Location: "/srv/src", MountPoint: "/work/src", Writable: true})
	a := newMountApp(t, stub)
	chooseAction(t, a, "Mounts")
	if s := screen(a); !strings.Contains(s, "Mount and Unmount are off") || !strings.Contains(s, "limactl edit") {
		t.Errorf("Mounts view does not say the list cannot be written:\n%s", s)
	}
	press(a, "esc")
	press(a, "enter")
	index := slices.IndexFunc(a.menu.items, func(item menuItem) bool { return item.label == "Mount" })
	if reason := a.menu.items[index].disabled; !strings.Contains(reason, "cannot write this mount list") {
		t.Errorf("Mount item: disabled = %q", reason)
	}
	if got := stub.Calls(); !slices.Equal(got, []string{"list"}) {
		t.Errorf("calls = %q", got)
	}
}

func TestMountQuestionIgnoresPaste(t *testing.T) {
	home := mountHome(t, "app")
	a := newMountApp(t, newMountStub(home))
	chooseAction(t, a, "Mount")
	typeText(a, "~/app")
	deliverPageMsgs(a, press(a, "enter"))
	if a.confirm == nil {
		t.Fatal("no question")
	}
	a.Update(tea.PasteMsg{Content: "~/other/ann"})
	press(a, "n")
	p := a.page.(*mountInput)
	if got := p.input.Value(); got != "~/app" {
		t.Errorf("input after a paste over the question = %q, want ~/app", got)
	}
	_ = os.Remove(filepath.Join(home, "app"))
}

func TestUnmountQuestionInsideHomeSaysReadOnly(t *testing.T) {
	list := []lima.Instance{{Name: "dev", Status: lima.StatusRunning, Mounts: []lima.Mount{
		{Location: "/Users/you", MountPoint: "/Users/you"},
		{Location: "/Users/you/src", MountPoint: "/Users/you/src", Writable: true},
		{Location: "/opt/data", MountPoint: "/opt/data", Writable: true},
	}}}
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: list}}, 100, 30)
	inside := strings.Join(a.mountQuestion(mountChange{instance: "dev", folder: "/Users/you/src"}).lines, " ")
	if !strings.Contains(inside, "can still read it") {
		t.Errorf("question for a folder inside the read-only home: %q", inside)
	}
	outside := strings.Join(a.mountQuestion(mountChange{instance: "dev", folder: "/opt/data"}).lines, " ")
	if !strings.Contains(outside, "only the VM loses access") {
		t.Errorf("question for a folder outside every mount: %q", outside)
	}
}
