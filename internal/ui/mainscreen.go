package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/japacx/aisand/internal/lima"
)

func (a *App) mainKey(msg tea.KeyPressMsg) tea.Cmd {
	a.notice = notice{}
	switch {
	case key.Matches(msg, a.keys.Quit):
		return tea.Quit
	case key.Matches(msg, a.keys.Up):
		a.moveSelection(-1)
	case key.Matches(msg, a.keys.Down):
		a.moveSelection(1)
	case key.Matches(msg, a.keys.Home):
		a.moveSelection(-len(a.list.items))
	case key.Matches(msg, a.keys.End):
		a.moveSelection(len(a.list.items))
	case key.Matches(msg, a.keys.PageUp):
		a.moveSelection(-a.listRows())
	case key.Matches(msg, a.keys.PageDown):
		a.moveSelection(a.listRows())
	case key.Matches(msg, a.keys.Refresh):
		return a.refresh()
	case key.Matches(msg, a.keys.Enter):
		return a.openActions()
	case key.Matches(msg, a.keys.Global):
		return a.openGlobalMenu()
	}
	return nil
}

func (a *App) mainView() string {
	bodyHeight := a.height - a.footerHeight()
	listWidth := min(max(26, a.width/3), 40)
	left := a.listPanel(listWidth, bodyHeight)
	right := a.detailPanel(a.width-listWidth, bodyHeight)
	body := lipgloss.JoinHorizontal(lipgloss.Top, left, right)
	if a.menu != nil {
		body = a.overlay(body, a.menu.view(a))
	}
	if a.confirm != nil {
		body = a.overlay(body, a.confirm.view(a))
	}
	bindings := a.keys.mainHelp()
	switch {
	case a.confirm != nil:
		bindings = []key.Binding{a.keys.Yes, a.keys.No}
	case a.menu != nil:
		bindings = a.keys.menuHelp()
	}
	return body + "\n" + a.footer(bindings)
}

// listRows is the number of instance rows the list panel has room for.
func (a *App) listRows() int {
	return max(1, a.height-a.footerHeight()-3)
}

// footer draws the notice (or the list's error) above the key help.
func (a *App) footer(bindings []key.Binding) string {
	return strings.Join(a.noticeLines(), "\n") + "\n" + a.help.ShortHelpView(bindings)
}

// listProblem returns what went wrong with the list in limactl's words, or in
// the decoder's when limactl printed something it could not read.
func listProblem(err error) string {
	var e *lima.Error
	if errors.As(err, &e) {
		return "limactl list: " + e.Message
	}
	return err.Error()
}

// overlay centres box over the body.
func (a *App) overlay(body, box string) string {
	bodyHeight := a.height - a.footerHeight()
	base := lipgloss.NewLayer(body)
	top := lipgloss.NewLayer(box).
		X(max(0, (a.width-lipgloss.Width(box))/2)).
		Y(max(0, (bodyHeight-lipgloss.Height(box))/2)).Z(1)
	return lipgloss.NewCompositor(base, top).Render()
}

func (a *App) listPanel(width, height int) string {
	inner := height - 2 // borders
	rows := []string{a.styles.Title.Render("VMs")}
	switch {
	case !a.list.loaded:
		rows = append(rows, a.styles.Muted.Render(a.spinner.View()+" loading…"))
	case len(a.list.items) == 0 && a.list.err != nil:
		rows = append(rows, a.styles.Danger.Render("Could not list VMs."))
	case len(a.list.items) == 0:
		rows = append(rows, a.styles.Muted.Render("No VMs yet."))
	default:
		rows = append(rows, a.instanceRows(width-4, inner-1)...)
	}
	return a.styles.Focused.Width(width).Height(height).Render(strings.Join(rows, "\n"))
}

// instanceRows draws only the rows that fit, scrolled so the selection
// shows; a list of hundreds costs no more to draw than a screenful.
func (a *App) instanceRows(width, visible int) []string {
	sel := max(a.selectedIndex(), 0)
	start := 0
	if sel >= visible {
		start = sel - visible + 1
	}
	end := min(len(a.list.items), start+visible)
	rows := make([]string, 0, end-start)
	for i := start; i < end; i++ {
		inst := a.list.items[i]
		cursor := "  "
		name := truncate(inst.Name, width-4)
		if i == sel {
			cursor = "▶ "
			name = a.styles.Selected.Render(name)
		}
		rows = append(rows, cursor+a.statusMark(inst)+" "+name)
	}
	return rows
}

// statusMark is one cell that tells the instance's state at a glance.
func (a *App) statusMark(inst lima.Instance) string {
	if _, busy := a.cfg.Ops.Busy(inst.Name); busy {
		return a.styles.Busy.Render(a.spinner.View())
	}
	switch inst.Status {
	case lima.StatusRunning:
		return a.styles.OK.Render("●")
	case lima.StatusStopped:
		return a.styles.Muted.Render("○")
	case lima.StatusBroken:
		return a.styles.Danger.Render("✗")
	}
	return a.styles.Warn.Render("?")
}

func (a *App) statusText(inst lima.Instance) string {
	status := string(inst.Status)
	if status == "" {
		status = "Unknown"
	}
	return a.statusMark(inst) + " " + status
}

func (a *App) detailPanel(width, height int) string {
	inst, ok := a.selectedInstance()
	var body string
	switch {
	case ok:
		body = a.instanceDetail(inst, width-4)
	case a.list.loaded && a.list.err != nil:
		body = "limactl could not list the VMs; its message is below.\nPress r to try again."
	case a.list.loaded:
		body = "Press g for the global menu to create a VM,\nor create one with limactl and press r."
	}
	// Clip to the panel: a long mount list must not push the footer off.
	lines := strings.Split(body, "\n")
	if inner := height - 2; len(lines) > inner {
		lines = append(lines[:max(0, inner-1)], a.styles.Muted.Render("…"))
	}
	return a.styles.Panel.Width(width).Height(height).Render(strings.Join(lines, "\n"))
}

func (a *App) instanceDetail(inst lima.Instance, width int) string {
	rows := []string{a.styles.Title.Render(truncate(inst.Name, width)), ""}
	field := func(label, value string) {
		rows = append(rows, a.styles.Label.Render(label)+truncate(value, width-10))
	}
	field("Status", a.statusText(inst))
	if op, busy := a.cfg.Ops.Busy(inst.Name); busy {
		field("Busy", fmt.Sprintf("%s (%s), enter to watch", op.Title, formatElapsed(op.Elapsed())))
	}
	field("CPUs", countOrDash(inst.CPUs))
	field("RAM", formatBytes(inst.Memory))
	field("Disk", formatBytes(inst.Disk))
	field("Arch", orDash(inst.Arch))
	field("VM type", orDash(inst.VMType))
	// limactl keeps the last port of a stopped instance, where nothing
	// listens any more.
	if inst.SSHPort > 0 && inst.Status == lima.StatusRunning {
		field("SSH port", itoa(inst.SSHPort))
	}
	rows = append(rows, a.mountRows(inst, width)...)
	if len(inst.Errors) > 0 {
		rows = append(rows, "", a.styles.Danger.Render("Errors"))
		for _, e := range inst.Errors {
			// Wrapped, not cut: the end of an error is often the part to act on.
			rows = append(rows, a.styles.Danger.Width(width).Render(oneLine(e)))
		}
	}
	return strings.Join(rows, "\n")
}

func (a *App) mountRows(inst lima.Instance, width int) []string {
	if len(inst.Mounts) == 0 {
		return []string{a.styles.Label.Render("Mounts") + "–"}
	}
	var rows []string
	for i, m := range inst.Mounts {
		label := ""
		if i == 0 {
			label = "Mounts"
		}
		mode := "(ro)"
		if m.Writable {
			mode = "(rw)"
		}
		text := m.Location + " " + mode
		if m.MountPoint != "" && m.MountPoint != m.Location {
			text = m.Location + " → " + m.MountPoint + " " + mode
		}
		rows = append(rows, a.styles.Label.Render(label)+truncate(text, width-10))
	}
	return rows
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func countOrDash(n int) string {
	if n <= 0 {
		return "–"
	}
	return itoa(n)
}
