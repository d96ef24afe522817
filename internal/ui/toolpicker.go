package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/tools"
)

// toolPicker is the page that lists the catalog's tools for one running
// instance, shows which of them the probe found installed, and installs
// the chosen one. An installed tool is grayed and cannot be chosen.
type toolPicker struct {
	instance  string
	guestHome string
	tools     []tools.Tool
	cursor    int

	// states is nil until a probe succeeds, and again after one fails,
	// because an old finding may no longer hold.
	states   map[string]tools.State
	probing  bool
	probeErr error
	// probeGen numbers the probes, so that only the newest one's result
	// is applied.
	probeGen int
}

// installToolItem is the "Install tool" entry of an instance's actions.
func (a *App) installToolItem(inst lima.Instance) menuItem {
	return menuItem{
		label:    "Install tool",
		disabled: installToolBlocked(inst),
		run:      func(a *App) tea.Cmd { return a.openToolPicker(inst) },
	}
}

// installToolBlocked returns why the tool picker cannot open for inst, or
// "" when it can. The probe and the scripts run inside the guest, so the
// instance must be running, and they need the guest user's home.
func installToolBlocked(inst lima.Instance) string {
	if reason := needs(inst, lima.StatusRunning); reason != "" {
		return reason
	}
	if inst.GuestHome == "" {
		return "guest home unknown"
	}
	return ""
}

// openToolPicker opens the picker for inst and starts the first probe.
func (a *App) openToolPicker(inst lima.Instance) tea.Cmd {
	if reason := installToolBlocked(inst); reason != "" {
		a.notice = errorNotice("Install tool: " + inst.Name + " " + reason)
		if inst.GuestHome == "" && inst.Status == lima.StatusRunning {
			a.notice = errorNotice(fmt.Sprintf("Install tool: limactl reports no guest home (config.user.home) for %s, "+
				"so aisand cannot tell where to install; check `limactl list --format json %s`.", inst.Name, inst.Name))
		}
		return nil
	}
	if _, err := tools.ProbeArgs(inst.GuestHome); err != nil {
		a.notice = errorNotice("Install tool: " + err.Error())
		return nil
	}
	p := &toolPicker{instance: inst.Name, guestHome: inst.GuestHome, tools: tools.Catalog()}
	a.page = p
	a.cfg.Log.Info("tool picker opened", "instance", inst.Name)
	return p.probe(a)
}

func (p *toolPicker) update(a *App, msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case toolProbeMsg:
		if msg.picker == p {
			p.applyProbe(a, msg)
		}
	case toolInstallEndedMsg:
		if msg.picker == p {
			return p, p.probe(a)
		}
	case tea.KeyPressMsg:
		return p.handleKey(a, msg)
	}
	return p, nil
}

func (p *toolPicker) handleKey(a *App, msg tea.KeyPressMsg) (page, tea.Cmd) {
	a.notice = notice{}
	switch {
	case key.Matches(msg, a.keys.Back):
		return nil, nil
	case key.Matches(msg, a.keys.Quit):
		return p, tea.Quit
	case key.Matches(msg, a.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, a.keys.Down):
		p.cursor = min(len(p.tools)-1, p.cursor+1)
	case key.Matches(msg, a.keys.Refresh):
		if !p.probing {
			return p, p.probe(a)
		}
	case key.Matches(msg, a.keys.Enter):
		return p, p.choose(a)
	}
	return p, nil
}

// choose installs the tool under the cursor unless the probe found it
// installed. Nothing can be chosen while a probe runs. After a failed probe
// the states are unknown, and the tool can still be installed, because the
// install scripts are idempotent.
func (p *toolPicker) choose(a *App) tea.Cmd {
	if len(p.tools) == 0 {
		return nil
	}
	tool := p.tools[p.cursor]
	if p.probing {
		a.notice = infoNotice("Still checking which tools are installed in " + p.instance + ".")
		return nil
	}
	if state, known := p.states[tool.Name]; known && state.Installed {
		a.notice = errorNotice(fmt.Sprintf("%s is already installed in %s at %s.", tool.Name, p.instance, state.Path))
		return nil
	}
	return a.installTool(p, tool)
}

// applyProbe stores a probe's result, unless a newer probe has started.
func (p *toolPicker) applyProbe(a *App, msg toolProbeMsg) {
	if msg.gen != p.probeGen {
		a.cfg.Log.Debug("dropped a stale tool probe result", "instance", p.instance, "gen", msg.gen, "newest", p.probeGen)
		return
	}
	p.probing = false
	p.probeErr = msg.err
	p.states = nil
	if msg.err != nil {
		a.cfg.Log.Warn("tool probe failed", "instance", p.instance, "err", msg.err)
		return
	}
	p.states = msg.states
	a.cfg.Log.Info("tool probe done", "instance", p.instance, "states", fmt.Sprint(msg.states))
	if p.installed(p.cursor) {
		p.moveToFirstMissing()
	}
}

// installed reports whether the last successful probe found the tool at
// index i installed.
func (p *toolPicker) installed(i int) bool {
	if i < 0 || i >= len(p.tools) {
		return false
	}
	return p.states[p.tools[i].Name].Installed
}

func (p *toolPicker) moveToFirstMissing() {
	for i := range p.tools {
		if !p.installed(i) {
			p.cursor = i
			return
		}
	}
}

// Widths of the picker's columns, so that the states and descriptions line
// up whatever the tool names are.
const (
	toolStateWidth = len("not installed")
	toolColumnGap  = "  "
)

func (p *toolPicker) view(a *App) string {
	width := max(1, a.width-4) // the border and the padding
	rows := []string{a.styles.Title.Render(truncate("Install a tool in "+p.instance, width)), ""}
	rows = append(rows, p.toolRows(a, width)...)
	rows = append(rows, "")
	rows = append(rows, p.statusRows(a, width)...)
	body := a.styles.Focused.Width(a.width).Height(a.height - a.footerHeight()).Render(strings.Join(rows, "\n"))
	return body + "\n" + a.noticeText() + "\n" + a.help.ShortHelpView(a.keys.toolPickerHelp())
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
	}
	return "not installed"
}

// statusRows return what the picker is doing, what went wrong, or what the
// tool under the cursor is.
func (p *toolPicker) statusRows(a *App, width int) []string {
	wrap := a.styles.Danger.Width(width)
	switch {
	case p.probing:
		return []string{a.styles.Busy.Render(a.spinner.View()) + " Checking which tools are installed in " + p.instance + "…"}
	case p.probeErr != nil:
		return []string{
			wrap.Render("Could not check which tools are installed: " + oneLine(p.probeErr.Error())),
			a.styles.Muted.Width(width).Render("Press r to check again. Enter still installs the selected tool, because the install scripts are safe to run twice."),
		}
	case len(p.tools) == 0:
		return nil
	}
	tool := p.tools[p.cursor]
	if !p.installed(p.cursor) {
		return []string{truncate("Enter installs "+tool.Name+" inside "+p.instance+" and streams its output.", width)}
	}
	rows := []string{a.styles.Muted.Render(truncate(tool.Name+" is installed at "+p.states[tool.Name].Path+".", width))}
	if p.allInstalled() {
		rows = append(rows, a.styles.OK.Render("Every tool is installed."))
	}
	return rows
}

func (p *toolPicker) allInstalled() bool {
	for i := range p.tools {
		if !p.installed(i) {
			return false
		}
	}
	return true
}

// toolPickerHelp lists the picker's keys for its footer.
func (k keyMap) toolPickerHelp() []key.Binding {
	install := k.Enter
	install.SetHelp("enter", "install")
	probe := k.Refresh
	probe.SetHelp("r", "check again")
	return []key.Binding{k.Up, k.Down, install, probe, k.Back}
}
