package ui

import (
	"os/exec"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/host"
	"github.com/japacx/aisand/internal/lima"
)

func TestFailedRefreshKeepsList(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	stub.list = lima.ListResult{Err: &lima.Error{Op: "list", ExitCode: 1, Message: "permission denied"}}
	a.Update(a.refresh()())
	s := screen(a)
	if !strings.Contains(s, "agent-01") || strings.Contains(s, "No VMs yet") {
		t.Errorf("a failed refresh emptied the list:\n%s", s)
	}
	if !strings.Contains(s, "limactl list: permission denied") {
		t.Errorf("the failure is not shown:\n%s", s)
	}
}

func TestFirstListFailureSaysSo(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Err: &lima.Error{Op: "list", ExitCode: 1, Message: "permission denied"}}}
	a := newTestApp(t, stub, 100, 30)
	if s := screen(a); !strings.Contains(s, "Could not list VMs.") || strings.Contains(s, "No VMs yet") {
		t.Errorf("first failed list:\n%s", s)
	}
}

func TestDeletedSelectionMovesToNeighbour(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Instances: instances()}}
	a := newTestApp(t, stub, 100, 30)
	press(a, "j")
	stub.list = lima.ListResult{Instances: []lima.Instance{instances()[0], instances()[2]}}
	a.Update(a.refresh()())
	if a.list.selected != "broken-one" {
		t.Errorf("selected %q after agent-02 went away, want its neighbour broken-one", a.list.selected)
	}
}

func TestHomeEndKeys(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 100, 30)
	a.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	if a.list.selected != "broken-one" {
		t.Errorf("end selected %q", a.list.selected)
	}
	a.Update(tea.KeyPressMsg{Code: tea.KeyHome})
	if a.list.selected != "agent-01" {
		t.Errorf("home selected %q", a.list.selected)
	}
}

func TestShortTerminalKeepsFooter(t *testing.T) {
	list := instances()
	for i := range 10 {
		list[0].Mounts = append(list[0].Mounts, lima.Mount{Location: "/Users/you/p" + itoa(i), MountPoint: "/Users/you/p" + itoa(i), Writable: true})
	}
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: list}}, 80, 14)
	s := screen(a)
	lines := strings.Split(s, "\n")
	if len(lines) != 14 {
		t.Errorf("screen is %d lines high, want 14:\n%s", len(lines), s)
	}
	if !strings.Contains(lines[len(lines)-1], "q quit") {
		t.Errorf("footer pushed off the screen:\n%s", s)
	}
}

func TestNarrowDetailKeepsStatus(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 62, 20)
	if s := screen(a); !strings.Contains(s, "● Running") {
		t.Errorf("status cut in a narrow terminal:\n%s", s)
	}
}

func TestMenuFooterShowsMenuKeys(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 100, 30)
	press(a, "enter")
	lines := strings.Split(screen(a), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "choose") || strings.Contains(last, "refresh") {
		t.Errorf("footer under a menu = %q", last)
	}
}

func TestLongNoticeWraps(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: instances()}}, 70, 24)
	a.notice = infoNotice(`Homebrew was not on PATH; aisand added it for this run. For new shells, add to /home/you/.bashrc: eval "$(/home/linuxbrew/.linuxbrew/bin/brew shellenv)"`)
	s := screen(a)
	if !strings.Contains(s, "shellenv") {
		t.Errorf("the end of a long notice is cut:\n%s", s)
	}
	if lines := strings.Split(s, "\n"); len(lines) != 24 {
		t.Errorf("screen is %d lines high, want 24", len(lines))
	}
}

func TestShellFailureMessages(t *testing.T) {
	sshErr := exec.Command("sh", "-c", "exit 255").Run()
	userErr := exec.Command("sh", "-c", "exit 1").Run()
	cases := []struct {
		name string
		msg  shellDoneMsg
		want string
	}{
		{"clean exit", shellDoneMsg{}, ""},
		{"user's last command failed", shellDoneMsg{err: userErr, stderr: "ls: cannot access x\n"}, ""},
		{"ssh refused", shellDoneMsg{err: sshErr, stderr: "ssh: connect to host 127.0.0.1 port 49814: Connection refused\n"},
			"ssh: connect to host 127.0.0.1 port 49814: Connection refused"},
		{"limactl fatal", shellDoneMsg{err: userErr, stderr: "time=\"t\" level=fatal msg=\"instance `demo` is stopped\"\n"}, "instance `demo` is stopped"},
	}
	for _, c := range cases {
		if got := shellFailure(c.msg); got != c.want {
			t.Errorf("%s: shellFailure = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestListErrorAndNoticeBothShown(t *testing.T) {
	stub := &stubLimactl{list: lima.ListResult{Err: &lima.Error{Op: "list", ExitCode: 1, Message: "permission denied"}}}
	a := New(Config{Limactl: stub, Warning: "Warning: /dev/kvm is not readable and writable by your user."})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	a.Update(a.refresh()())
	s := screen(a)
	if !strings.Contains(s, "limactl list: permission denied") || !strings.Contains(s, "/dev/kvm") {
		t.Errorf("the list error or the warning is hidden:\n%s", s)
	}
	if !strings.Contains(s, "Press r to try again") {
		t.Errorf("the details panel does not say the list failed:\n%s", s)
	}
}

func TestStoppedHidesSSHPort(t *testing.T) {
	list := []lima.Instance{{Name: "demo", Status: lima.StatusStopped, SSHPort: 49814}}
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: list}}, 100, 30)
	if strings.Contains(screen(a), "49814") {
		t.Errorf("a stopped VM shows its old SSH port:\n%s", screen(a))
	}
}

func TestVersionFromHostCheckNotCalledAgain(t *testing.T) {
	stub := &stubLimactl{}
	report := host.Report{Dependencies: []host.Dependency{{Name: "limactl", State: host.Found, Version: "1.0.7"}}}
	a := New(Config{Limactl: stub, Host: &HostSetup{Report: &report}})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	a.Update(a.checkVersion()())
	for _, call := range stub.Calls() {
		if call == "--version" {
			t.Error("limactl --version called again after the host check read it")
		}
	}
	if !strings.Contains(a.notice.text, "limactl 1.0.7 is older") {
		t.Errorf("the checked version was not used: notice %q", a.notice.text)
	}
}
