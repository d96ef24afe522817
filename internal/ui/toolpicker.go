package ui

import (
	"context"
	"fmt"
	"os"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/tools"
)

// toolPicker is the page that lists the catalog's tools for one running
// instance, shows which of them the probe found installed, and installs
// the chosen one. An installed tool is grayed and cannot be chosen, but a
// tool that needs setup can, and its install adds only what is missing.
type toolPicker struct {
	instance string
	homes    tools.Homes
	tools    []tools.Tool
	cursor   int

	// states is nil until a probe succeeds, and again after one fails,
	// because an old finding may no longer hold.
	states       map[string]tools.State
	probing      bool
	probeStarted time.Time
	probeErr     error
	// notRunning is set when the last probe failed because the instance
	// is not running, with the status limactl listed for it.
	notRunning bool
	status     lima.Status
	// probeGen numbers the probes, so that only the newest one's result
	// is applied.
	probeGen int
	// stopProbe cancels the running probe's limactl call.
	stopProbe context.CancelFunc

	// lastInstall is the end of the last install that did not succeed,
	// shown until an install succeeds or a probe finds its tool installed.
	lastInstall *installEnd
	// cancelAsk is the question that esc opens in the log view of a
	// running install.
	cancelAsk *confirm
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
		return "guest home unknown, see config.user.home in limactl list --format json " + inst.Name
	}
	return ""
}

// openToolPicker opens the picker for inst and starts the first probe.
func (a *App) openToolPicker(inst lima.Instance) tea.Cmd {
	if reason := installToolBlocked(inst); reason != "" {
		a.notice = errorNotice("Install tool: " + reason)
		if inst.GuestHome == "" && inst.Status == lima.StatusRunning {
			a.notice = errorNotice(fmt.Sprintf("Install tool: limactl reports no guest home (config.user.home) for %s, "+
				"so aisand cannot tell where to install; check `limactl list --format json %s`.", inst.Name, inst.Name))
		}
		return nil
	}
	hostHome, err := os.UserHomeDir()
	if err != nil {
		a.notice = errorNotice(fmt.Sprintf("Install tool: cannot find your home folder, which the VM mounts: %v", err))
		return nil
	}
	homes := tools.Homes{Guest: inst.GuestHome, Host: hostHome}
	if _, err := tools.ProbeArgs(homes); err != nil {
		a.notice = errorNotice("Install tool: " + err.Error())
		return nil
	}
	p := &toolPicker{instance: inst.Name, homes: homes, tools: tools.Catalog()}
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
			p.applyInstallEnd(a, msg)
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
		p.cancelProbe(a)
		return nil, nil
	case key.Matches(msg, a.keys.Quit):
		p.cancelProbe(a)
		return p, tea.Quit
	case key.Matches(msg, a.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, a.keys.Down):
		p.cursor = min(len(p.tools)-1, p.cursor+1)
	case key.Matches(msg, a.keys.Refresh):
		if p.probing {
			a.notice = infoNotice("Already checking which tools are installed in " + p.instance + ".")
			return p, nil
		}
		return p, p.probe(a)
	case key.Matches(msg, a.keys.Enter):
		return p, p.choose(a)
	}
	return p, nil
}

// choose installs the tool under the cursor unless the probe found it
// installed. Nothing can be chosen while a probe runs, nor when the last
// probe found the instance not running. After another probe failure the
// states are unknown, and the tool can still be installed, because the
// install scripts are idempotent.
func (p *toolPicker) choose(a *App) tea.Cmd {
	if len(p.tools) == 0 {
		return nil
	}
	tool := p.tools[p.cursor]
	switch state := p.states[tool.Name]; {
	case p.probing:
		a.notice = infoNotice("Still checking which tools are installed in " + p.instance + ".")
		return nil
	case p.notRunning:
		a.notice = errorNotice(fmt.Sprintf("%s is not running: start it first, then press r here.", p.instance))
		return nil
	case state.Installed:
		a.notice = infoNotice(fmt.Sprintf("%s is already installed in %s at %s.", tool.Name, p.instance, state.Path))
		return nil
	}
	return a.installTool(p, tool)
}

// canChoose reports whether enter would start an install of the tool
// under the cursor, for the footer.
func (p *toolPicker) canChoose() bool {
	return len(p.tools) > 0 && !p.probing && !p.notRunning && !p.installed(p.cursor)
}

// applyProbe stores a probe's result, unless a newer probe has started.
func (p *toolPicker) applyProbe(a *App, msg toolProbeMsg) {
	if msg.gen != p.probeGen {
		a.cfg.Log.Debug("dropped a stale tool probe result", "instance", p.instance, "gen", msg.gen, "newest", p.probeGen)
		return
	}
	p.probing = false
	p.stopProbe = nil
	p.probeErr = msg.err
	p.notRunning, p.status = msg.notRunning, msg.status
	p.states = nil
	if msg.err != nil {
		a.cfg.Log.Warn("tool probe failed", "instance", p.instance, "err", msg.err, "status", string(msg.status))
		return
	}
	p.states = msg.states
	a.cfg.Log.Info("tool probe done", "instance", p.instance, "states", fmt.Sprint(msg.states))
	if p.lastInstall != nil && p.states[p.lastInstall.tool].Installed {
		p.lastInstall = nil
	}
	if p.installed(p.cursor) {
		p.moveToFirstMissing()
	}
}

// cancelProbe ends the running probe's limactl call, if any, because its
// result has no reader once the picker closes.
func (p *toolPicker) cancelProbe(a *App) {
	if p.stopProbe == nil {
		return
	}
	a.cfg.Log.Debug("tool probe canceled", "instance", p.instance, "gen", p.probeGen)
	p.stopProbe()
	p.stopProbe = nil
	p.probing = false
}

// installed reports whether the last successful probe found the tool at
// index i ready.
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

func (p *toolPicker) allInstalled() bool {
	for i := range p.tools {
		if !p.installed(i) {
			return false
		}
	}
	return true
}
