package ui

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// openActions opens the selected instance's action menu, or the log of the
// operation it is busy with.
func (a *App) openActions() tea.Cmd {
	inst, ok := a.selectedInstance()
	if !ok {
		return nil
	}
	if op, busy := a.cfg.Ops.Busy(inst.Name); busy {
		return a.openLogView(op)
	}
	a.menu = newMenu(inst.Name, a.instanceActions(inst))
	return nil
}

// instanceActions lists what can be done to inst. An item whose status
// forbids it stays in the list, grayed, so the user sees what exists.
func (a *App) instanceActions(inst lima.Instance) []menuItem {
	name := inst.Name
	items := []menuItem{
		{label: "Shell", disabled: needs(inst, lima.StatusRunning), run: func(a *App) tea.Cmd { return a.openShell(name) }},
		{label: "Start", disabled: needs(inst, lima.StatusStopped), run: func(a *App) tea.Cmd { return a.startInstance(name) }},
		{label: "Stop", disabled: needs(inst, lima.StatusRunning), run: func(a *App) tea.Cmd { return a.stopInstance(name) }},
		{label: "Delete", run: func(a *App) tea.Cmd { return a.confirmDelete(inst) }},
	}
	// Items of later features, each defined in its own file, go below.
	items = append(items, a.installToolItem(inst))
	items = append(items, a.mountActions(inst)...)
	return items
}

// needs returns why an action that needs status cannot run on inst, or ""
// when it can.
func needs(inst lima.Instance, status lima.Status) string {
	if inst.Status == status {
		return ""
	}
	return "needs " + string(status)
}

func (a *App) startInstance(name string) tea.Cmd {
	client := a.cfg.Limactl
	return a.runOperation(ops.Spec{
		Title:    "Start " + name,
		Instance: name,
		Run: func(ctx context.Context, emit func(lima.Line)) error {
			return client.Start(ctx, name, emit)
		},
	})
}

func (a *App) stopInstance(name string) tea.Cmd {
	client := a.cfg.Limactl
	return a.runOperation(ops.Spec{
		Title:    "Stop " + name,
		Instance: name,
		Run: func(ctx context.Context, emit func(lima.Line)) error {
			return client.Stop(ctx, name, false, emit)
		},
	})
}

func (a *App) confirmDelete(inst lima.Instance) tea.Cmd {
	lines := []string{a.styles.Title.Render(fmt.Sprintf("Delete %s?", inst.Name)), "The VM and its disk are removed for good."}
	force := inst.Status == lima.StatusRunning
	if force {
		lines = append(lines, a.styles.Warn.Render("It is running and will be stopped by force first."))
	}
	name := inst.Name
	a.confirm = &confirm{lines: lines, yes: func(a *App) tea.Cmd { return a.deleteInstance(name, force) }}
	return nil
}

func (a *App) deleteInstance(name string, force bool) tea.Cmd {
	client := a.cfg.Limactl
	return a.runOperation(ops.Spec{
		Title:    "Delete " + name,
		Instance: name,
		Run: func(ctx context.Context, emit func(lima.Line)) error {
			return client.Delete(ctx, name, force, emit)
		},
	})
}

// runOperation starts spec and opens its log view.
func (a *App) runOperation(spec ops.Spec) tea.Cmd {
	op, err := a.cfg.Ops.Start(spec)
	if err != nil {
		if errors.Is(err, ops.ErrBusy) {
			a.notice = errorNotice(err.Error())
		} else {
			a.notice = errorNotice(spec.Title + ": " + err.Error())
		}
		return nil
	}
	return a.openLogView(op)
}
