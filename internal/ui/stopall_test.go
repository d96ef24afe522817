package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

func TestStopAllSummary(t *testing.T) {
	stub := newFlowStub(
		lima.Instance{Name: "a", Status: lima.StatusRunning},
		lima.Instance{Name: "b", Status: lima.StatusStopped},
		lima.Instance{Name: "c", Status: lima.StatusRunning},
		lima.Instance{Name: "d", Status: lima.StatusRunning},
	)
	stub.fail["stop c"] = &lima.Error{Op: "stop", Instance: "c", ExitCode: 1, Message: "failed to shut down c"}
	a := New(Config{Limactl: stub})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	d := newDriver(t, a)
	d.run(a.refresh())
	d.settle()
	d.press("g", "down")
	if item := a.menu.items[a.menu.cursor]; item.label != "Stop all" || item.disabled != "" {
		t.Fatalf("menu item %+v", item)
	}
	d.press("enter")
	if a.confirm == nil || !strings.Contains(screen(a), "Stop all 3 running VMs?") {
		t.Fatalf("no question:\n%s", screen(a))
	}
	d.press("y")
	d.settleUntil("the end", func() bool { return a.logView != nil && a.logView.done })
	var stops []string
	for _, c := range stub.Calls() {
		if strings.HasPrefix(c, "stop ") {
			stops = append(stops, c)
		}
	}
	if !slices.Equal(stops, []string{"stop a", "stop c", "stop d"}) {
		t.Errorf("stops = %q", stops)
	}
	s := screen(a)
	for _, want := range []string{"✓ Stopped 2: a, d", "✗ Failed to stop c: failed to shut down c", "1 of 3 VMs failed to stop"} {
		if !strings.Contains(s, want) {
			t.Errorf("log lacks %q:\n%s", want, s)
		}
	}
}

func TestStopAllGrayedWithoutRunning(t *testing.T) {
	a := newTestApp(t, &stubLimactl{list: lima.ListResult{Instances: []lima.Instance{{Name: "a", Status: lima.StatusStopped}}}}, 100, 30)
	press(a, "g")
	for _, item := range a.menu.items {
		if item.label == "Stop all" && item.disabled != "no VM is running" {
			t.Errorf("Stop all disabled = %q", item.disabled)
		}
	}
}

func TestStopAllOneVMSingular(t *testing.T) {
	stub := newFlowStub(lima.Instance{Name: "a", Status: lima.StatusRunning}, lima.Instance{Name: "b", Status: lima.StatusStopped})
	a := New(Config{Limactl: stub})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	d := newDriver(t, a)
	d.run(a.refresh())
	d.settle()
	d.press("g", "down", "enter")
	s := screen(a)
	if !strings.Contains(s, "Stop the one running VM?") || strings.Contains(s, "1 running VMs") {
		t.Errorf("question for one VM:\n%s", s)
	}
}

func TestStopAllFailureLeavesNotice(t *testing.T) {
	stub := newFlowStub(lima.Instance{Name: "a", Status: lima.StatusRunning}, lima.Instance{Name: "c", Status: lima.StatusRunning})
	stub.fail["stop c"] = &lima.Error{Op: "stop", Instance: "c", ExitCode: 1, Message: "failed to shut down c"}
	a := New(Config{Limactl: stub})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	d := newDriver(t, a)
	d.run(a.refresh())
	d.settle()
	d.press("g", "down", "enter", "y")
	d.settleUntil("the end", func() bool { return a.logView != nil && a.logView.done && a.page == nil })
	d.press("esc")
	if a.logView != nil {
		t.Fatal("esc did not leave the log view")
	}
	if !a.notice.isErr || !strings.Contains(a.notice.text, "1 of 2 VMs failed to stop") {
		t.Errorf("notice = %+v, want the failure", a.notice)
	}
	if !strings.Contains(screen(a), "1 of 2 VMs failed to stop") {
		t.Errorf("the list does not show the notice:\n%s", screen(a))
	}
}
