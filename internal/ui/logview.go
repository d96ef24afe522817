package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

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
	// quitCancels lets q stop the operation and quit once it has ended,
	// for work that is safe to interrupt, such as a host install.
	quitCancels bool
	quitting    bool
	// heldKey is a key that could not leave the running operation, named
	// in the hint so the user knows it was seen.
	heldKey string
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
	// A view scrolled up stays on the lines the user is reading.
	if v.scroll > 0 {
		v.scroll = min(v.scroll+len(msg.lines), v.maxScroll(a))
	}
	v.total = msg.total
	if !msg.done {
		return waitOutput(msg.op, msg.total)
	}
	v.done = true
	if v.quitting {
		return tea.Quit
	}
	return a.refresh()
}

func (a *App) logViewKey(msg tea.KeyPressMsg) tea.Cmd {
	v := a.logView
	if a.confirm != nil {
		return a.confirmKey(msg)
	}
	switch msg.String() {
	case "up", "k":
		v.scroll = min(v.scroll+1, v.maxScroll(a))
		return nil
	case "down", "j":
		v.scroll = max(0, v.scroll-1)
		return nil
	case "pgup":
		v.scroll = min(v.scroll+a.logHeight(), v.maxScroll(a))
		return nil
	case "pgdown", "end":
		v.scroll = 0
		return nil
	}
	if !v.done {
		switch {
		case v.cancel != nil && key.Matches(msg, a.keys.Cancel):
			a.confirm = v.cancel
		case v.quitCancels && key.Matches(msg, a.keys.Quit):
			v.quitting = true
			v.op.Cancel()
		case key.Matches(msg, a.keys.Quit), key.Matches(msg, a.keys.Back):
			// Say why the key did nothing rather than drop it silently.
			v.heldKey = msg.String()
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

// maxScroll is how far the view can scroll up: until the first line is at
// the top, and not at all while every line fits.
func (v *logView) maxScroll(a *App) int {
	return max(0, len(v.lines)-a.logHeight())
}

// logHeight is the number of output lines the view has room for with a
// one-line status: the screen less the title, a blank line, the status and
// the hint.
func (a *App) logHeight() int { return max(1, a.height-4) }

// maxStatusLines bounds a wrapped failure message so the log keeps room.
const maxStatusLines = 4

func (v *logView) view(a *App) string {
	snap := v.op.Snapshot()
	title := a.styles.Title.Render(v.op.Title) + "  " + a.styles.Muted.Render(formatElapsed(snap.Elapsed))
	if !v.done {
		title = a.styles.Busy.Render(a.spinner.View()) + " " + title
	}
	status := v.statusLines(a, snap)
	rows := []string{truncate(title, a.width), ""}
	height := max(1, a.logHeight()-(len(status)-1))
	rows = append(rows, v.outputRows(a, height)...)
	for len(rows) < height+2 {
		rows = append(rows, "")
	}
	rows = append(rows, status...)
	rows = append(rows, a.styles.Muted.Render(truncate(v.hint(a), a.width)))
	body := strings.Join(rows, "\n")
	if a.confirm != nil {
		body = a.overlay(body, a.confirm.view(a))
	}
	return body
}

// outputRows returns the screen rows of the output that end scroll lines
// above the last one, at most height of them. A long line wraps rather
// than losing its end, so rows are counted from the bottom up.
func (v *logView) outputRows(a *App, height int) []string {
	var rows []string
	for i := len(v.lines) - 1 - v.scroll; i >= 0 && len(rows) < height; i-- {
		wrapped := a.renderOutputLine(v.lines[i])
		rows = append(wrapped, rows...)
	}
	if over := len(rows) - height; over > 0 {
		rows = rows[over:]
	}
	return rows
}

// renderOutputLine shows limactl's logfmt lines as their message, marked
// by level, and any other line as a terminal would leave it, wrapped to
// the screen's width.
func (a *App) renderOutputLine(l lima.Line) []string {
	text := cleanOutput(l.Text)
	style := lipgloss.NewStyle()
	if l.Stderr {
		style = a.styles.Stderr
	}
	if rec, ok := lima.ParseLogLine(text); ok {
		text = oneLine(rec.Message)
		switch rec.Level {
		case "warning":
			text, style = "warning: "+text, a.styles.Warn
		case "fatal", "error":
			text, style = rec.Level+": "+text, a.styles.Danger
		}
	}
	lines := strings.Split(lipgloss.Wrap(text, max(1, a.width), " "), "\n")
	for i := range lines {
		lines[i] = style.Render(lines[i])
	}
	return lines
}

// statusLines is the result: one line, or a failure wrapped to at most
// maxStatusLines, because the end of limactl's message is often the advice.
func (v *logView) statusLines(a *App, snap ops.Snapshot) []string {
	switch {
	case v.quitting:
		return []string{a.styles.Warn.Render("Stopping, then quitting…")}
	case !v.done:
		return []string{a.styles.Muted.Render("Working…")}
	case snap.Status == ops.Succeeded:
		return []string{a.styles.OK.Render("✓ Done in " + formatElapsed(snap.Elapsed))}
	case snap.Status == ops.Canceled:
		return []string{a.styles.Warn.Render("Canceled after " + formatElapsed(snap.Elapsed))}
	}
	text := "✗ Failed: " + oneLine(limactlMessage(snap.Err))
	wrapped := strings.Split(lipgloss.Wrap(text, a.width, " "), "\n")
	if len(wrapped) > maxStatusLines {
		wrapped = wrapped[:maxStatusLines]
		wrapped[maxStatusLines-1] = truncate(wrapped[maxStatusLines-1]+" …", a.width)
	}
	for i := range wrapped {
		wrapped[i] = a.styles.Danger.Render(wrapped[i])
	}
	return wrapped
}

func (v *logView) hint(a *App) string {
	var parts []string
	if v.scroll > 0 {
		parts = append(parts, fmt.Sprintf("%d more lines below (end)", v.scroll))
	}
	switch {
	case v.done && a.cfg.LogPath != "":
		parts = append(parts, "esc back · ↑/↓ scroll · full log in "+a.cfg.LogPath)
	case v.done:
		parts = append(parts, "esc back · ↑/↓ scroll")
	case v.cancel != nil:
		parts = append(parts, "esc cancel · ↑/↓ scroll · this view stays until the work ends")
	case v.quitCancels:
		parts = append(parts, "q stop and quit · ↑/↓ scroll · this view stays until the work ends")
	case v.heldKey != "":
		parts = append(parts, v.heldKey+" waits: this work cannot be interrupted safely, and limactl ends it within its time limit")
	default:
		parts = append(parts, "↑/↓ scroll · this view stays until limactl ends, within its time limit")
	}
	return strings.Join(parts, " · ")
}

// cleanOutput turns a raw output line into what a terminal would show: the
// text after the last carriage return (progress bars redraw that way), tabs
// as spaces, and no other control characters.
func cleanOutput(text string) string {
	text = strings.TrimRight(text, "\r\n")
	if i := strings.LastIndexByte(text, '\r'); i >= 0 {
		text = text[i+1:]
	}
	text = strings.ReplaceAll(ansi.Strip(text), "\t", "    ")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, text)
}
