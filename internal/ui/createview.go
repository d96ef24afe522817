package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
)

// panelFrameRows and panelFrameColumns are the rows and columns that the
// page panel's border and padding take.
const (
	panelFrameRows    = 2
	panelFrameColumns = 4
)

func (p *createPage) view(a *App) string {
	if p.run != nil {
		return p.runView(a)
	}
	title := a.styles.Title.Render("New VM")
	if !p.loaded {
		return p.frame(a, title+"\n\n"+a.styles.Muted.Render(a.spinner.View()+" reading this host's CPUs and memory…"), "esc back")
	}
	header := []string{title + a.styles.Muted.Render(fmt.Sprintf("   step %d of %d", p.step+1, stepCount)), ""}
	field := p.fieldRows(a)
	room := a.height - a.footerHeight() - panelFrameRows - len(header) - len(field)
	answers := p.visibleAnswers(a, room)
	rows := append(header, answers...)
	rows = append(rows, field...)
	return p.frame(a, strings.Join(rows, "\n"), p.hint(a))
}

// fieldRows are the rows that stay in view whatever the screen's size:
// the step's form, the field's error and the name's warning.
func (p *createPage) fieldRows(a *App) []string {
	rows := strings.Split(strings.TrimRight(p.form.View(), "\n"), "\n")
	width := max(20, a.width-panelFrameColumns)
	for _, err := range p.form.Errors() {
		rows = append(rows, wrapIndented(a.styles.Danger, "✗ ", err.Error(), width)...)
	}
	if p.step == stepName {
		if warning := nameWarning(strings.TrimSpace(p.name), a.list.items); warning != "" {
			rows = append(rows, wrapIndented(a.styles.Warn, "Warning: ", warning, width)...)
		}
	}
	return rows
}

// wrapIndented wraps text to width after prefix, at spaces and after
// slashes, and indents the continuation lines under the text's start. A
// word longer than a line is the only thing broken inside.
func wrapIndented(style lipgloss.Style, prefix, text string, width int) []string {
	indent := lipgloss.Width(prefix)
	wrapped := lipgloss.Wrap(oneLine(text), max(10, width-indent), "/")
	lines := strings.Split(wrapped, "\n")
	for i, line := range lines {
		lead := strings.Repeat(" ", indent)
		if i == 0 {
			lead = prefix
		}
		lines[i] = style.Render(lead + line)
	}
	return lines
}

// visibleAnswers returns the answers so far, with a blank row after them,
// cut to room rows. When they do not fit, the rows shown start at
// p.answerOffset (pgup/pgdown move it) and a last row says how many
// are hidden.
func (p *createPage) visibleAnswers(a *App, room int) []string {
	answers := p.answerRows(a)
	if len(answers) == 0 || room <= 0 {
		return nil
	}
	if len(answers)+1 <= room {
		return append(answers, "")
	}
	shown := max(0, room-1)
	maxOffset := len(answers) - shown
	if focus := p.focusAnswer(); focus >= 0 {
		// Keep the folder selected for removal in view.
		p.answerOffset = min(max(p.answerOffset, focus-shown+1), focus)
	}
	p.answerOffset = min(max(p.answerOffset, 0), maxOffset)
	rows := append([]string(nil), answers[p.answerOffset:p.answerOffset+shown]...)
	above, below := p.answerOffset, maxOffset-p.answerOffset
	note := fmt.Sprintf("%d rows above, %d below: pgup/pgdown to scroll", above, below)
	return append(rows, a.styles.Muted.Render(truncate(note, a.width-panelFrameColumns)))
}

// scrollAnswers moves the answers shown by delta rows; the next view
// bounds the offset to the rows there are.
func (p *createPage) scrollAnswers(delta int) {
	p.answerOffset = max(0, p.answerOffset+delta)
}

func (p *createPage) hint(a *App) string {
	switch p.step {
	case stepName:
		return "enter next · esc leave"
	case stepFolders:
		if p.folderCursor >= 0 {
			return "↑/↓ choose · x/del remove · enter to the field · esc back"
		}
		if len(p.folders) > 0 {
			return "enter add the folder, or go on when empty · ↑ choose one to remove · esc back"
		}
		return "enter add the folder, or go on when empty · esc back"
	case stepSummary:
		return "↑/↓ choose · enter confirm · esc back"
	}
	return "enter next · esc back"
}

// answerRows lists the answers given so far; at the summary, all of them.
func (p *createPage) answerRows(a *App) []string {
	var rows []string
	field := func(label, value string) {
		rows = append(rows, a.styles.Label.Render(label)+truncate(value, a.width-16))
	}
	if p.step > stepName {
		field("Name", p.name)
	}
	if p.step > stepCPUs {
		field("CPUs", p.cpus)
	}
	if p.step > stepMemory {
		field("Memory", p.memory+" GiB")
	}
	if p.step > stepDisk {
		field("Disk", p.disk+" GiB")
	}
	if p.step >= stepFolders {
		rows = append(rows, p.mountRows(a)...)
	}
	if p.step == stepSummary {
		field("Template", p.templateLabel())
		if warning := nameWarning(p.name, a.list.items); warning != "" {
			rows = append(rows, a.styles.Warn.Render(truncate("Warning: "+warning, a.width-6)))
		}
	}
	return rows
}

// focusAnswer is the index in answerRows of the folder selected for
// removal, or -1.
func (p *createPage) focusAnswer() int {
	if p.step != stepFolders || p.folderCursor < 0 {
		return -1
	}
	// Name, CPUs, Memory, Disk, then the home mount come first.
	return 5 + p.folderCursor
}

// mountRows shows what the VM will mount, as the create flags set it. At
// the folder step, the folder selected for removal is marked.
func (p *createPage) mountRows(a *App) []string {
	label := func(i int) string {
		if i == 0 {
			return a.styles.Label.Render("Mounts")
		}
		return a.styles.Label.Render("")
	}
	if len(p.folders) == 0 && p.templatePath != "" {
		return []string{label(0) + "as your template sets them"}
	}
	rows := []string{label(0) + truncate(p.home+" (read-only)", a.width-16)}
	for i, folder := range p.folders {
		text := truncate(folder+" (read-write)", a.width-18)
		switch {
		case p.step == stepFolders && i == p.folderCursor:
			text = a.styles.Selected.Render("▶ " + text)
		case p.step == stepFolders:
			text = "  " + text
		}
		rows = append(rows, label(i+1)+text)
	}
	if len(p.folders) > 0 && p.templatePath != "" {
		rows = append(rows, label(1)+a.styles.Muted.Render("these replace the mounts of your template"))
	}
	return rows
}

func (p *createPage) templateLabel() string {
	if p.templatePath == "" {
		return "Ubuntu 25.10 (built in)"
	}
	return p.templatePath
}

// frame draws body in a panel with hint below it and the notice line.
func (p *createPage) frame(a *App, body, hint string) string {
	box := a.styles.Focused.Width(a.width).Height(a.height - a.footerHeight()).Render(body)
	return box + "\n" + a.noticeText() + "\n" + a.styles.Muted.Render(truncate(hint, a.width))
}
