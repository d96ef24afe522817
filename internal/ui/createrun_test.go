package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/japacx/aisand/internal/ops"
)

// askCancelWhileStarting starts creating dev, holds its start and opens
// the cancel question. Closing the returned gate lets the start finish.
func askCancelWhileStarting(t *testing.T, stub *flowStub) (*driver, chan struct{}) {
	t.Helper()
	wizardEnv(t)
	useHostSize(t, hostSize{cpus: 2, memory: 4 << 30})
	gate := make(chan struct{})
	stub.hold["start"] = gate
	d := openWizard(t, stub, Config{})
	reachSummary(t, d, "dev")
	d.press("enter")
	d.settleUntil("start called", func() bool { return slices.Contains(stub.Calls(), "start dev") })
	d.press("esc")
	if d.a.confirm == nil || !strings.Contains(screen(d.a), "Cancel and delete this VM?") {
		t.Fatalf("esc did not ask:\n%s", screen(d.a))
	}
	return d, gate
}

// checkKeptNotice checks that the app left the question and the log view
// and said that dev was kept.
func checkKeptNotice(t *testing.T, d *driver, stub *flowStub) {
	t.Helper()
	if d.a.confirm != nil {
		t.Errorf("the cancel question is still open:\n%s", screen(d.a))
	}
	if d.a.logView != nil {
		t.Errorf("the log view is still open:\n%s", screen(d.a))
	}
	notice := d.a.notice.text
	if !strings.Contains(notice, "finished before it could be canceled") {
		t.Errorf("notice = %q, want it to say the work finished first", notice)
	}
	if !strings.Contains(notice, "the VM was kept") {
		t.Errorf("notice = %q, want it to say the VM was kept", notice)
	}
	if !strings.Contains(screen(d.a), "finished before it could be canceled") {
		t.Errorf("the screen does not show the notice:\n%s", screen(d.a))
	}
	if !stub.exists("dev") || slices.Contains(stub.Calls(), "delete --force dev") {
		t.Errorf("dev was not kept: calls = %q", stub.Calls())
	}
}

func TestCreateEndsWhileCancelAsked(t *testing.T) {
	stub := newFlowStub()
	d, gate := askCancelWhileStarting(t, stub)

	close(gate)
	d.settleUntil("the end of the work", func() bool { return d.a.page == nil })

	checkKeptNotice(t, d, stub)
}

func TestCreateCancelAnsweredAfterEnd(t *testing.T) {
	stub := newFlowStub()
	d, gate := askCancelWhileStarting(t, stub)
	op := d.a.logView.op

	close(gate)
	for seen, done := 0, false; !done; {
		_, seen, done = op.Wait(t.Context(), seen)
	}
	if status := op.Snapshot().Status; status != ops.Succeeded {
		t.Fatalf("operation status = %v, want Succeeded", status)
	}
	// Answer before the app has handled the end of the operation.
	_, cmd := d.a.Update(keyMsg("y"))
	d.run(cmd)
	d.settleUntil("the end of the work", func() bool { return d.a.page == nil })

	checkKeptNotice(t, d, stub)
}
