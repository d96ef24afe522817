package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

// mountHome makes a home folder with the given subfolders, points HOME at
// it and returns it with symbolic links resolved, as the folder check
// returns paths.
func mountHome(t *testing.T, folders ...string) string {
	t.Helper()
	home, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range folders {
		if err := os.MkdirAll(filepath.Join(home, f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	return home
}

// newMountStub returns a running instance "vm1" with the home folder
// mounted read-only and the given extra mounts.
func newMountStub(home string, extra ...lima.Mount) *mountStub {
	mounts := append([]lima.Mount{{Location: home, MountPoint: home}}, extra...)
	return &mountStub{home: home, inst: lima.Instance{Name: "vm1", Status: lima.StatusRunning, GuestHome: "/home/tester.guest", Mounts: mounts}}
}

func newMountApp(t *testing.T, stub Limactl) *App {
	t.Helper()
	a := New(Config{Limactl: stub})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	a.Update(a.refresh()())
	return a
}

// chooseAction opens the selected instance's menu and chooses label.
func chooseAction(t *testing.T, a *App, label string) tea.Cmd {
	t.Helper()
	press(a, "enter")
	if a.menu == nil {
		t.Fatal("enter did not open the action menu")
	}
	index := slices.IndexFunc(a.menu.items, func(item menuItem) bool { return item.label == label })
	if index < 0 {
		t.Fatalf("menu has no %q item", label)
	}
	a.menu.cursor = index
	return press(a, "enter")
}

// typeText types text one key at a time and delivers the page's own
// results (folder listings) as they come.
func typeText(a *App, text string) {
	for _, r := range text {
		deliverPageMsgs(a, press(a, string(r)))
	}
}

// deliverPageMsgs runs cmd and feeds the mount pages' messages back to
// the app. Other messages, such as list results, are dropped.
func deliverPageMsgs(a *App, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			deliverPageMsgs(a, c)
		}
	case folderListedMsg, folderCheckedMsg:
		a.Update(msg)
	}
}

// opError returns the error of the operation in the log view, or "".
func opError(t *testing.T, a *App) string {
	t.Helper()
	if a.logView == nil {
		t.Fatal("no log view")
	}
	if err := a.logView.op.Snapshot().Err; err != nil {
		return err.Error()
	}
	return ""
}

func tabKey() tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeyTab} }

// addFolder opens Mount on vm1, types input, checks it and answers yes.
func addFolder(t *testing.T, a *App, input string) {
	t.Helper()
	chooseAction(t, a, "Mount")
	if _, ok := a.page.(*mountInput); !ok {
		t.Fatalf("Mount opened %T", a.page)
	}
	typeText(a, input)
	deliverPageMsgs(a, press(a, "enter"))
	if a.confirm == nil {
		t.Fatalf("no question after enter:\n%s", screen(a))
	}
	finishOperation(t, a, press(a, "y"))
}

func TestMountActionsNeedRunningOrStopped(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 100, 30)
	// The instances are Running, Stopped and Broken, in that order.
	for _, want := range []string{"", "", "needs Running or Stopped"} {
		press(a, "enter")
		for _, label := range []string{"Mounts", "Mount", "Unmount"} {
			index := slices.IndexFunc(a.menu.items, func(item menuItem) bool { return item.label == label })
			if index < 0 {
				t.Fatalf("menu lacks %q", label)
			}
			if got := a.menu.items[index].disabled; got != want {
				t.Errorf("%s on %s: disabled = %q, want %q", label, a.menu.title, got, want)
			}
		}
		press(a, "esc", "j")
	}
}

func TestMountsListShowsPathsAndModes(t *testing.T) {
	home := mountHome(t, "src")
	stub := newMountStub(home, lima.Mount{Location: home + "/src", MountPoint: "/work/src", Writable: true})
	a := newMountApp(t, stub)
	// Wide enough for temporary folder paths of any length in use.
	a.Update(tea.WindowSizeMsg{Width: 200, Height: 30})
	chooseAction(t, a, "Mounts")
	s := screen(a)
	for _, want := range []string{"Mounts of vm1", "MODE", "HOST FOLDER", "GUEST PATH", home + "/src", "/work/src", "same path", "(home folder)"} {
		if !strings.Contains(s, want) {
			t.Errorf("Mounts page lacks %q:\n%s", want, s)
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "/work/src") && strings.HasPrefix(line, "  read-") && !strings.Contains(line, "read-write") {
			t.Errorf("the writable mount's row lacks its mode: %q", line)
		}
		if strings.Contains(line, "(home folder)") && !strings.Contains(line, "read-only") {
			t.Errorf("the home mount's row lacks its mode: %q", line)
		}
	}
	press(a, "esc")
	if a.page != nil {
		t.Error("esc did not close the Mounts page")
	}
}

func TestMountsListKeysOpenPages(t *testing.T) {
	home := mountHome(t)
	a := newMountApp(t, newMountStub(home, lima.Mount{Location: "/srv/work", MountPoint: "/srv/work", Writable: true}))
	chooseAction(t, a, "Mounts")
	list := a.page
	press(a, "m")
	if _, ok := a.page.(*mountInput); !ok {
		t.Errorf("m opened %T", a.page)
	}
	press(a, "esc")
	if a.page != list {
		t.Errorf("esc on the Mount page went to %T, not back to Mounts", a.page)
	}
	press(a, "u")
	if _, ok := a.page.(*unmountPicker); !ok {
		t.Errorf("u opened %T", a.page)
	}
	press(a, "esc")
	if a.page != list {
		t.Errorf("esc on the Unmount page went to %T, not back to Mounts", a.page)
	}
	press(a, "esc")
	if a.page != nil {
		t.Errorf("esc on Mounts left %T open", a.page)
	}
}

func TestMountAddsFolderReadWrite(t *testing.T) {
	home := mountHome(t, "projects/app")
	stub := newMountStub(home)
	a := newMountApp(t, stub)
	addFolder(t, a, "~/projects/app")

	folder := home + "/projects/app"
	if s := screen(a); !strings.Contains(s, "✓ Done in") || !strings.Contains(s, "✓ Mounted") {
		t.Errorf("log view does not confirm the mount:\n%s", s)
	}
	wantArg, err := lima.MountOnlyArg([]lima.Mount{{Location: home}, {Location: folder, Writable: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"list", "list", "stop vm1", "edit --mount-only " + wantArg + " vm1", "start vm1", "list", "shell vm1 -- test -d " + folder, "shell vm1 -- test -w " + folder}
	if got := stub.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls:\n got %q\nwant %q", got, want)
	}
	m, found := findMount(stub.instance().Mounts, folder, home)
	if !found || !m.Writable {
		t.Errorf("mounts after the change: %+v", stub.instance().Mounts)
	}
	if _, ok := a.page.(*mountsList); !ok {
		t.Errorf("page under the log view is %T, want the Mounts page", a.page)
	}
}

func TestMountEditRunsInRemovedTempFolder(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home)
	a := newMountApp(t, stub)
	addFolder(t, a, "~/app")
	if len(stub.editDirs) != 1 {
		t.Fatalf("edit dirs = %q", stub.editDirs)
	}
	dir := stub.editDirs[0]
	cwd, _ := os.Getwd()
	if dir == "" || dir == cwd || dir == home {
		t.Errorf("edit ran in %q, not a folder of its own", dir)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("edit folder %q still exists: %v", dir, err)
	}
}

func TestMountKeepsExistingOddPaths(t *testing.T) {
	home := mountHome(t, "new")
	odd := []lima.Mount{
		{Location: "/srv/a,b c", MountPoint: "/srv/a,b c", Writable: true},
		{Location: `/srv/say "hi"`, MountPoint: `/srv/say "hi"`},
		{Location: "/srv/it's:here", MountPoint: "/srv/it's:here", Writable: true},
		{Location: "/srv/données/日本", MountPoint: "/srv/données/日本"},
	}
	stub := newMountStub(home, odd...)
	a := newMountApp(t, stub)
	addFolder(t, a, home+"/new")

	got := stub.instance().Mounts
	want := append(append([]lima.Mount{{Location: home, MountPoint: home}}, odd...), lima.Mount{Location: home + "/new", MountPoint: home + "/new", Writable: true})
	for _, w := range want {
		m, found := findMount(got, w.Location, home)
		if !found {
			t.Errorf("mount %q lost by the edit; mounts now %+v", w.Location, got)
			continue
		}
		if m != w {
			t.Errorf("mount %q became %+v, want %+v", w.Location, m, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d mounts after the edit, want %d: %+v", len(got), len(want), got)
	}
}

func TestMountInputRejectsBadFolders(t *testing.T) {
	home := mountHome(t, "src", "src/inner", "other")
	if err := os.WriteFile(filepath.Join(home, "file.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	stub := newMountStub(home, lima.Mount{Location: home + "/src", MountPoint: home + "/src", Writable: true})
	cases := []struct{ input, want string }{
		{"~/missing", "does not exist"},
		{"~/file.txt", "is not a folder"},
		{"/etc", "system path"},
		{"~", "your home folder"},
		{"~/src", "already in the mount list"},
		{"~/src/inner", "inside"},
		{"relative/path", "not an absolute path"},
	}
	for _, c := range cases {
		a := newMountApp(t, stub)
		chooseAction(t, a, "Mount")
		typeText(a, c.input)
		deliverPageMsgs(a, press(a, "enter"))
		if a.confirm != nil {
			t.Errorf("%q was accepted", c.input)
			continue
		}
		if s := screen(a); !strings.Contains(s, c.want) {
			t.Errorf("%q: page lacks %q:\n%s", c.input, c.want, s)
		}
	}
	if slices.Contains(stub.Calls(), "stop vm1") {
		t.Error("a rejected folder stopped the VM")
	}
}

func TestMountInputCompletesFolderNames(t *testing.T) {
	home := mountHome(t, "projects", "Pictures", "pub", ".hidden")
	if err := os.WriteFile(filepath.Join(home, "plan.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	a := newMountApp(t, newMountStub(home))
	chooseAction(t, a, "Mount")
	p := a.page.(*mountInput)

	typeText(a, "~/p")
	if got := p.input.MatchedSuggestions(); !slices.Equal(got, []string{"~/projects/", "~/pub/"}) {
		t.Errorf("suggestions for ~/p = %q", got)
	}
	typeText(a, "r")
	deliverPageMsgs(a, func() tea.Msg { a.Update(tabKey()); return nil })
	if got := p.input.Value(); got != "~/projects/" {
		t.Errorf("tab completed to %q", got)
	}
	p.input.SetValue("")
	typeText(a, "~/.")
	if got := p.input.MatchedSuggestions(); !slices.Equal(got, []string{"~/.hidden/"}) {
		t.Errorf("suggestions for ~/. = %q", got)
	}
}

func TestUnmountRemovesChosenMount(t *testing.T) {
	home := mountHome(t)
	work := lima.Mount{Location: "/srv/work", MountPoint: "/srv/work", Writable: true}
	data := lima.Mount{Location: "/srv/data", MountPoint: "/srv/data"}
	stub := newMountStub(home, work, data)
	a := newMountApp(t, stub)
	chooseAction(t, a, "Unmount")
	p, ok := a.page.(*unmountPicker)
	if !ok {
		t.Fatalf("Unmount opened %T", a.page)
	}
	if len(p.mounts) != 2 || strings.Contains(screen(a), "▶ "+home) {
		t.Errorf("picker offers %+v", p.mounts)
	}
	press(a, "j", "enter")
	if a.confirm == nil || !strings.Contains(screen(a), "Unmount /srv/data from vm1?") {
		t.Fatalf("no question for /srv/data:\n%s", screen(a))
	}
	finishOperation(t, a, press(a, "y"))
	if s := screen(a); !strings.Contains(s, "✓ Done in") || !strings.Contains(s, "✓ /srv/data is no longer mounted in vm1") {
		t.Errorf("log view does not confirm the removal:\n%s", s)
	}
	got := stub.instance().Mounts
	if _, found := findMount(got, "/srv/data", home); found {
		t.Errorf("/srv/data still mounted: %+v", got)
	}
	if len(got) != 2 {
		t.Errorf("mounts after the removal: %+v", got)
	}
	if m, found := findMount(got, home, home); !found || m.Writable {
		t.Errorf("home mount changed: %+v", got)
	}
	if m, found := findMount(got, work.Location, home); !found || m != work {
		t.Errorf("%s changed: %+v", work.Location, got)
	}
}

func TestUnmountWithOnlyHomeSaysSo(t *testing.T) {
	home := mountHome(t)
	a := newMountApp(t, newMountStub(home))
	chooseAction(t, a, "Unmount")
	if a.page != nil {
		t.Errorf("Unmount opened %T with only the home folder mounted", a.page)
	}
	if !strings.Contains(a.notice.text, "no mounts to remove") {
		t.Errorf("notice = %q", a.notice.text)
	}
}

func TestUnmountRefusesHomeMount(t *testing.T) {
	home := mountHome(t)
	stub := newMountStub(home)
	_, err := mountChange{instance: "vm1", folder: home}.apply(stub.instance(), home)
	if err == nil || !strings.Contains(err.Error(), "cannot be removed") {
		t.Errorf("removing the home mount: err = %v", err)
	}
}

func TestRefusedEditRestartsWithOldMounts(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home)
	stub.editErr = &lima.Error{Op: "edit", Instance: "vm1", ExitCode: 1,
		Message: "the YAML is invalid, saved the buffer as `lima.REJECTED.yaml`: field `mounts[1].mountPoint` must not be a system path such as /etc or /usr"}
	before := stub.instance().Mounts
	a := newMountApp(t, stub)
	addFolder(t, a, "~/app")

	s := screen(a) + logText(a)
	for _, want := range []string{"limactl rejected the new mount list", "must not be a system path", "keeps its old mounts", "✗ Failed", "is discarded"} {
		if !strings.Contains(s, want) {
			t.Errorf("log view lacks %q:\n%s", want, s)
		}
	}
	inst := stub.instance()
	if inst.Status != lima.StatusRunning {
		t.Errorf("status after a refused edit = %q, want Running", inst.Status)
	}
	if !slices.Equal(inst.Mounts, before) {
		t.Errorf("mounts changed: %+v, want %+v", inst.Mounts, before)
	}
	calls := stub.Calls()
	if calls[len(calls)-1] != "start vm1" {
		t.Errorf("last call %q, want the restart; calls %q", calls[len(calls)-1], calls)
	}
	if _, err := os.Stat(filepath.Join(stub.editDirs[0], rejectedConfig)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left behind: %v", rejectedConfig, err)
	}
}

func TestFailedStartLeavesVMStopped(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home)
	stub.startErr = &lima.Error{Op: "start", Instance: "vm1", ExitCode: 1, Message: "exiting, status={Running:false Degraded:false Exiting:true}"}
	stub.startStatus = lima.StatusBroken
	a := newMountApp(t, stub)
	addFolder(t, a, "~/app")

	s := screen(a)
	for _, want := range []string{"did not start with the new mounts", "stopping it by force", "left stopped"} {
		if !strings.Contains(s, want) {
			t.Errorf("log view lacks %q:\n%s", want, s)
		}
	}
	inst := stub.instance()
	if inst.Status != lima.StatusStopped {
		t.Errorf("status = %q, want Stopped", inst.Status)
	}
	if _, found := findMount(inst.Mounts, home+"/app", home); !found {
		t.Errorf("the new mount list was not kept: %+v", inst.Mounts)
	}
	if !slices.Contains(stub.Calls(), "stop --force vm1") {
		t.Errorf("calls = %q", stub.Calls())
	}
}

func TestMountVerifyCatchesMissingMount(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home)
	// limactl accepted the edit, but the list shows the folder read-only.
	stub.listMounts = func(mounts []lima.Mount) []lima.Mount {
		for i := range mounts {
			mounts[i].Writable = false
		}
		return mounts
	}
	a := newMountApp(t, stub)
	addFolder(t, a, "~/app")
	if got := opError(t, a); !strings.Contains(got, "read-only instead of read-write") {
		t.Errorf("wrong mode not reported: %q", got)
	}
}

func TestMountVerifyChecksGuestFolder(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home)
	stub.runErr = &lima.Error{Op: "shell", Instance: "vm1", ExitCode: 1, Message: "exit status 1"}
	a := newMountApp(t, stub)
	addFolder(t, a, "~/app")
	if got := opError(t, a); !strings.HasSuffix(got, "was not found inside vm1") {
		t.Errorf("missing guest folder not reported: %q", got)
	}
}

func TestBrokenInstanceIsNotChanged(t *testing.T) {
	home := mountHome(t, "app")
	stub := newMountStub(home)
	a := newMountApp(t, stub)
	chooseAction(t, a, "Mount")
	typeText(a, "~/app")
	deliverPageMsgs(a, press(a, "enter"))
	stub.inst.Status = lima.StatusBroken // broke while the question was open
	finishOperation(t, a, press(a, "y"))
	if s := screen(a); !strings.Contains(s, "only while it is Running or Stopped") {
		t.Errorf("log view:\n%s", s)
	}
	for _, call := range stub.Calls() {
		if call != "list" {
			t.Errorf("a broken VM got %q", call)
		}
	}
}
