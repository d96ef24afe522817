package ui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/host"
	"github.com/japacx/aisand/internal/lima"
)

// instanceList is the main screen's data: the instances from the newest
// list result, and which one is selected.
type instanceList struct {
	items []lima.Instance
	// selected is the selected instance's name, so the selection follows
	// an instance when the list changes around it.
	selected string
	loaded   bool
	// err is the failure of the newest list call. items then contains the
	// instances that could still be read.
	err error

	// Each refresh gets the next generation. A result older than the one
	// applied last is dropped, so a slow call never overwrites a newer list.
	nextGen    int
	appliedGen int
	inFlight   int
}

type listMsg struct {
	gen    int
	result lima.ListResult
}

type refreshTickMsg struct{}

type versionMsg struct {
	version lima.Version
	err     error
}

// refresh starts one `limactl list` call.
func (a *App) refresh() tea.Cmd {
	if a.cfg.Limactl == nil {
		// Host Setup is open until limactl is present.
		return nil
	}
	a.list.nextGen++
	a.list.inFlight++
	gen := a.list.nextGen
	client := a.cfg.Limactl
	return func() tea.Msg {
		return listMsg{gen: gen, result: client.List(context.Background())}
	}
}

func (a *App) scheduleRefresh() tea.Cmd {
	return tea.Tick(a.cfg.RefreshEvery, func(time.Time) tea.Msg { return refreshTickMsg{} })
}

// onRefreshTick refreshes while idle: not while a call is still out, and
// not while a screen is open over the list.
func (a *App) onRefreshTick() tea.Cmd {
	next := a.scheduleRefresh()
	if a.list.inFlight > 0 || a.menu != nil || a.confirm != nil {
		return next
	}
	return tea.Batch(a.refresh(), next)
}

func (a *App) applyList(msg listMsg) tea.Cmd {
	a.list.inFlight--
	if msg.gen < a.list.appliedGen {
		a.cfg.Log.Debug("dropped a stale list result", "gen", msg.gen, "applied", a.list.appliedGen)
		return nil
	}
	a.list.appliedGen = msg.gen
	a.list.err = msg.result.Err
	// A failed call that read nothing says nothing about the instances:
	// keep the last list rather than show an empty one that looks as if
	// every VM were gone.
	if msg.result.Err != nil && len(msg.result.Instances) == 0 && a.list.loaded {
		a.cfg.Log.Warn("limactl list failed; keeping the previous list", "err", msg.result.Err)
		return nil
	}
	a.list.loaded = true
	previous := a.selectedIndex()
	a.list.items = msg.result.Instances
	if msg.result.Err != nil {
		a.cfg.Log.Warn("limactl list failed", "err", msg.result.Err)
		if isRootRefusal(msg.result.Err) {
			a.cfg.Problem = RootProblem()
		}
	}
	a.keepSelection(previous)
	return nil
}

// keepSelection keeps the selected name if it is still listed, else
// selects the instance now at the old position, so deleting one leaves the
// cursor on its neighbour.
func (a *App) keepSelection(previous int) {
	for _, inst := range a.list.items {
		if inst.Name == a.list.selected {
			return
		}
	}
	a.list.selected = ""
	if len(a.list.items) > 0 {
		i := max(0, min(previous, len(a.list.items)-1))
		a.list.selected = a.list.items[i].Name
	}
}

func (a *App) selectedIndex() int {
	for i, inst := range a.list.items {
		if inst.Name == a.list.selected {
			return i
		}
	}
	return -1
}

func (a *App) selectedInstance() (lima.Instance, bool) {
	i := a.selectedIndex()
	if i < 0 {
		return lima.Instance{}, false
	}
	return a.list.items[i], true
}

func (a *App) moveSelection(delta int) {
	if len(a.list.items) == 0 {
		return
	}
	i := a.selectedIndex() + delta
	i = max(0, min(i, len(a.list.items)-1))
	a.list.selected = a.list.items[i].Name
}

// checkVersion reads limactl's version, from the host check when it has
// already run `limactl --version`, else with a call of its own.
func (a *App) checkVersion() tea.Cmd {
	if v, ok := a.checkedVersion(); ok {
		return func() tea.Msg { return versionMsg{version: v} }
	}
	client := a.cfg.Limactl
	return func() tea.Msg {
		v, err := client.Version(context.Background())
		return versionMsg{version: v, err: err}
	}
}

func (a *App) applyVersion(msg versionMsg) tea.Cmd {
	switch {
	case isRootRefusal(msg.err):
		a.cfg.Problem = RootProblem()
	case msg.err != nil:
		a.cfg.Log.Warn("limactl --version failed", "err", msg.err)
		a.notice = errorNotice(fmt.Sprintf("Could not read the limactl version: %v", msg.err))
	case !msg.version.AtLeast(lima.MinimumVersion.Major, lima.MinimumVersion.Minor):
		a.notice = errorNotice(fmt.Sprintf("limactl %s is older than %s, which aisand needs; upgrade Lima (brew upgrade lima).",
			msg.version, lima.MinimumVersion))
	default:
		a.cfg.Log.Info("limactl version", "version", msg.version.String())
	}
	return nil
}

// checkedVersion returns the limactl version the host check read.
func (a *App) checkedVersion() (lima.Version, bool) {
	if a.cfg.Host == nil || a.cfg.Host.Report == nil {
		return lima.Version{}, false
	}
	dependency, ok := a.cfg.Host.Report.Dependency("limactl")
	if !ok || dependency.State != host.Found || dependency.Version == "" {
		return lima.Version{}, false
	}
	v, err := lima.ParseVersion(dependency.Version)
	return v, err == nil
}
