package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/ops"
)

// stopAllPage waits, under the log view, for Stop all to end, and leaves
// its result as the notice of the list the user goes back to.
type stopAllPage struct {
	op *ops.Operation
}

// stopAllDoneMsg reports the end of a Stop all operation.
type stopAllDoneMsg struct {
	op   *ops.Operation
	snap ops.Snapshot
}

// watchStopAll opens the page that waits for op and returns the command
// that waits.
func (a *App) watchStopAll(op *ops.Operation) tea.Cmd {
	a.page = &stopAllPage{op: op}
	return func() tea.Msg {
		for seen := 0; ; {
			_, total, done := op.Wait(context.Background(), seen)
			if done {
				return stopAllDoneMsg{op: op, snap: op.Snapshot()}
			}
			seen = total
		}
	}
}

func (p *stopAllPage) update(a *App, msg tea.Msg) (page, tea.Cmd) {
	done, ok := msg.(stopAllDoneMsg)
	if !ok || done.op != p.op {
		return p, nil
	}
	switch {
	case done.snap.Status == ops.Succeeded:
		a.notice = infoNotice("Stop all: every running VM is stopped.")
	case done.snap.Err != nil:
		a.notice = errorNotice("Stop all: " + limactlMessage(done.snap.Err) + ". Press g and choose Stop all again, or stop a VM from its actions (enter).")
	default:
		a.notice = errorNotice("Stop all did not finish.")
	}
	return nil, nil
}

// view draws the list: the page is only seen for the moment between the
// end of the work and its message.
func (p *stopAllPage) view(a *App) string { return a.mainView() }
