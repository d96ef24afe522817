package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/tools"
)

// Widths of the picker's columns, so that the states and descriptions line
// up whatever the tool names are.
const (
	toolStateWidth = len("not installed")
	toolColumnGap  = "  "
)

func (p *toolPicker) view(a *App) string {
	width := max(1, a.width-4) // the border and the padding
	rows := []string{a.styles.Title.Render(truncate("Install a tool in "+p.instance, width)), ""}
	if last := p.lastInstallRows(a, width); len(last) > 0 {
		rows = append(rows, last...)
		rows = append(rows, "")
	}
	rows = append(rows, p.toolRows(a, width)...)
	rows = append(rows, "")
	rows = append(rows, p.statusRows(a, width)...)
	body := a.styles.Focused.Width(a.width).Height(a.height - a.footerHeight()).Render(strings.Join(rows, "\n"))
	return body + "\n" + a.noticeText() + "\n" + a.help.ShortHelpView(a.keys.toolPickerHelp(p))
}

// lastInstallRows tell how the last install that did not succeed ended.
func (p *toolPicker) lastInstallRows(a *App, width int) []string {
	last := p.lastInstall
	if last == nil {
		return nil
	}
	if last.canceled {
		text := fmt.Sprintf("The last install of %s was stopped before it finished. Running it again is safe.", last.tool)
		return []string{a.styles.Warn.Width(width).Render(text)}
	}
	text := fmt.Sprintf("The last install of %s failed: %s", last.tool, oneLine(last.reason))
	return []string{a.styles.Danger.Width(width).Render(text)}
}

func (p *toolPicker) toolRows(a *App, width int) []string {
	nameWidth := 0
	for _, tool := range p.tools {
		nameWidth = max(nameWidth, len(tool.Name))
	}
	rows := make([]string, 0, len(p.tools))
	for i, tool := range p.tools {
		cursor := "  "
		if i == p.cursor {
			cursor = "▶ "
		}
		state := p.stateText(tool.Name)
		text := fmt.Sprintf("%-*s%s%-*s%s", nameWidth, tool.Name, toolColumnGap, toolStateWidth, state, toolColumnGap)
		text = truncate(text+tool.Description, width-2)
		switch {
		case p.installed(i):
			text = a.styles.Muted.Render(text)
		case i == p.cursor:
			text = a.styles.Selected.Render(text)
		}
		rows = append(rows, cursor+text)
	}
	return rows
}

// stateText is a tool's state column: what the last probe found, or why
// nothing is known.
func (p *toolPicker) stateText(name string) string {
	switch state, known := p.states[name]; {
	case p.probing && !known:
		return "checking…"
	case !known:
		return "unknown"
	case state.Installed:
		return "installed"
	case state.NeedsSetup():
		return "needs setup"
	}
	return "not installed"
}

// statusRows return what the picker is doing, what went wrong, or what the
// tool under the cursor is, followed by what the tool lets the VM read on
// the host.
func (p *toolPicker) statusRows(a *App, width int) []string {
	rows := p.probeRows(a, width)
	if rows == nil && len(p.tools) > 0 {
		rows = p.cursorRows(a, width)
	}
	if len(p.tools) > 0 {
		if access := p.tools[p.cursor].HostAccess; access != "" {
			rows = append(rows, "", a.styles.Warn.Width(width).Render(access))
		}
	}
	return rows
}

// probeRows tell about a running or failed probe, and are nil otherwise.
func (p *toolPicker) probeRows(a *App, width int) []string {
	muted := a.styles.Muted.Width(width)
	switch {
	case p.probing:
		elapsed := formatElapsed(time.Since(p.probeStarted))
		return []string{a.styles.Busy.Render(a.spinner.View()) + " " +
			truncate("Checking which tools are installed in "+p.instance+"… "+elapsed, width-2)}
	case p.notRunning:
		return []string{
			a.styles.Danger.Width(width).Render(fmt.Sprintf("%s is not running (%s), so nothing can be checked or installed.",
				p.instance, statusName(p.status))),
			muted.Render("Start it from the list first, then press r here or open Install tool again."),
		}
	case p.probeErr != nil:
		return []string{
			a.styles.Danger.Width(width).Render("Could not check which tools are installed: " + oneLine(p.probeErr.Error())),
			muted.Render("Press r to check again. Enter still installs the selected tool, because the install scripts are safe to run twice."),
		}
	}
	return nil
}

// cursorRows describe the tool under the cursor as the last probe found it.
func (p *toolPicker) cursorRows(a *App, width int) []string {
	tool := p.tools[p.cursor]
	state := p.states[tool.Name]
	switch {
	case state.NeedsSetup():
		parts := make([]string, len(state.Missing))
		for i, part := range state.Missing {
			parts[i] = tools.PartDescription(part)
		}
		text := fmt.Sprintf("%s is at %s but lacks %s. Enter adds what is missing and keeps the installed %s.",
			tool.Name, state.Path, strings.Join(parts, " and "), tool.Name)
		return []string{a.styles.Warn.Width(width).Render(text)}
	case !state.Installed:
		return []string{truncate("Enter installs "+tool.Name+" inside "+p.instance+" and streams its output.", width)}
	}
	rows := []string{a.styles.Muted.Render(truncate(tool.Name+" is installed at "+state.Path+".", width))}
	if p.allInstalled() {
		rows = append(rows, a.styles.OK.Render("Every tool is installed."))
	}
	return rows
}

// statusName is an instance status for a sentence; limactl may list none.
func statusName(status lima.Status) string {
	if status == "" {
		return "status unknown"
	}
	return string(status)
}

// toolPickerHelp lists the picker's keys for its footer. The install key is
// left out when enter would install nothing.
func (k keyMap) toolPickerHelp(p *toolPicker) []key.Binding {
	install := k.Enter
	install.SetHelp("enter", "install")
	if p.canChoose() && p.states[p.tools[p.cursor].Name].NeedsSetup() {
		install.SetHelp("enter", "set up")
	}
	install.SetEnabled(p.canChoose())
	probe := k.Refresh
	probe.SetHelp("r", "check again")
	return []key.Binding{k.Up, k.Down, install, probe, k.Back}
}
