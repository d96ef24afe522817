package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// logView streams one operation's output. While the operation runs, no key
// leaves the view; afterwards it shows the result and esc goes back.
type logView struct {
	op    *ops.Operation
	lines []lima.Line
	total int
	done  bool
	// scroll is how many lines the view is scrolled up from the end.
	scroll int
	// cancel, when set, is the question esc asks while the operation runs;
	// its yes stops the operation.
	cancel *confirm
}

// opOutputMsg carries the lines an operation wrote since the last one.
type opOutputMsg struct {
	op    *ops.Operation
	lines []lima.Line
	total int
	done  bool
}

// waitOutput waits for one chunk of new output; Update starts it again
// until the operation ends.
func waitOutput(op *ops.Operation, seen int) tea.Cmd {
	return func() tea.Msg {
		lines, total, done := op.Wait(context.Background(), seen)
		return opOutputMsg{op: op, lines: lines, total: total, done: done}
	}
}

func (a *App) openLogView(op *ops.Operation) tea.Cmd {
	a.menu = nil
	a.logView = &logView{op: op}
	return waitOutput(op, 0)
}

func (a *App) applyOpOutput(msg opOutputMsg) tea.Cmd {
	v := a.logView
	if v == nil || v.op != msg.op {
		return nil
	}
	v.lines = append(v.lines, msg.lines...)
	if over := len(v.lines) - ops.MaxLines; over > 0 {
		v.lines = v.lines[over:]
	}
	v.total = msg.total
	if !msg.done {
		return waitOutput(msg.op, msg.total)
	}
	v.done = true
	return a.refresh()
}

func (a *App) logViewKey(msg tea.KeyPressMsg) tea.Cmd {
	v := a.logView
	if a.confirm != nil {
		return a.confirmKey(msg)
	}
	switch msg.String() {
	case "up", "k":
		v.scroll = min(v.scroll+1, max(0, len(v.lines)-1))
		return nil
	case "down", "j":
		v.scroll = max(0, v.scroll-1)
		return nil
	case "pgup":
		v.scroll = min(v.scroll+a.logHeight(), max(0, len(v.lines)-1))
		return nil
	case "pgdown", "end":
		v.scroll = 0
		return nil
	}
	if !v.done {
		if v.cancel != nil && key.Matches(msg, a.keys.Cancel) {
			a.confirm = v.cancel
		}
		return nil
	}
	switch {
	case key.Matches(msg, a.keys.Back), msg.String() == "enter":
		a.logView = nil
	case key.Matches(msg, a.keys.Quit):
		return tea.Quit
	}
	return nil
}

// logHeight is the number of output lines the view has room for: the
// screen less the title, a blank line and the two status lines.
func (a *App) logHeight() int { return max(1, a.height-4) }

func (v *logView) view(a *App) string {
	snap := v.op.Snapshot()
	title := a.styles.Title.Render(v.op.Title) + "  " + a.styles.Muted.Render(formatElapsed(snap.Elapsed))
	if !v.done {
		title = a.styles.Busy.Render(a.spinner.View()) + " " + title
	}
	rows := []string{truncate(title, a.width+40), ""}
	height := a.logHeight()
	end := max(0, len(v.lines)-v.scroll)
	start := max(0, end-height)
	for _, l := range v.lines[start:end] {
		rows = append(rows, a.renderOutputLine(l))
	}
	for len(rows) < height+2 {
		rows = append(rows, "")
	}
	rows = append(rows, v.statusLine(a, snap), a.styles.Muted.Render(v.hint()))
	body := strings.Join(rows, "\n")
	if a.confirm != nil {
		body = a.overlay(body, a.confirm.view(a))
	}
	return body
}

// renderOutputLine shows limactl's logfmt lines as their message, marked
// by level, and any other line as it is.
func (a *App) renderOutputLine(l lima.Line) string {
	text := l.Text
	if rec, ok := lima.ParseLogLine(text); ok {
		text = rec.Message
		switch rec.Level {
		case "warning":
			return a.styles.Warn.Render(truncate("warning: "+oneLine(text), a.width))
		case "fatal", "error":
			return a.styles.Danger.Render(truncate(rec.Level+": "+oneLine(text), a.width))
		}
	}
	text = truncate(strings.ReplaceAll(text, "\t", "    "), a.width)
	if l.Stderr {
		return a.styles.Stderr.Render(text)
	}
	return text
}

func (v *logView) statusLine(a *App, snap ops.Snapshot) string {
	switch {
	case !v.done:
		return a.styles.Muted.Render("Working…")
	case snap.Status == ops.Succeeded:
		return a.styles.OK.Render("✓ Done in " + formatElapsed(snap.Elapsed))
	case snap.Status == ops.Canceled:
		return a.styles.Warn.Render("Canceled after " + formatElapsed(snap.Elapsed))
	}
	return a.styles.Danger.Render(truncate("✗ Failed: "+oneLine(limactlMessage(snap.Err)), a.width))
}

func (v *logView) hint() string {
	if v.done {
		return "esc back · ↑/↓ scroll"
	}
	if v.cancel != nil {
		return "esc cancel · ↑/↓ scroll · other keys wait until it ends"
	}
	return "keys that leave this view wait until it ends · ↑/↓ scroll"
}
