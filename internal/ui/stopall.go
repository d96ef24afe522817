package ui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
)

// stopAllItem is the global menu's entry that stops every running VM.
func (a *App) stopAllItem() menuItem {
	running := runningNames(a.list.items)
	item := menuItem{label: "Stop all", run: func(a *App) tea.Cmd { return a.confirmStopAll(running) }}
	if len(running) == 0 {
		item.disabled = "no VM is running"
	}
	return item
}

func runningNames(items []lima.Instance) []string {
	var names []string
	for _, inst := range items {
		if inst.Status == lima.StatusRunning {
			names = append(names, inst.Name)
		}
	}
	return names
}

func (a *App) confirmStopAll(running []string) tea.Cmd {
	question := fmt.Sprintf("Stop all %d running VMs?", len(running))
	if len(running) == 1 {
		question = "Stop the one running VM?"
	}
	lines := []string{
		a.styles.Title.Render(question),
		truncate(strings.Join(running, ", "), max(20, a.width-10)),
	}
	a.confirm = &confirm{lines: lines, yes: func(a *App) tea.Cmd { return a.stopAll() }}
	return nil
}

// stopAll stops every running instance, one limactl call each, as one
// global operation. It lists the instances again first, so it stops those
// running now, not those running when the question was asked.
func (a *App) stopAll() tea.Cmd {
	client := a.cfg.Limactl
	cmd := a.runOperation(ops.Spec{
		Title: "Stop all VMs",
		Run: func(ctx context.Context, emit func(lima.Line)) error {
			result := client.List(ctx)
			if result.Err != nil {
				return result.Err
			}
			return stopEach(ctx, client, runningNames(result.Instances), emit)
		},
	})
	if a.logView == nil {
		return cmd // runOperation has set the notice
	}
	return tea.Batch(cmd, a.watchStopAll(a.logView.op))
}

// stopEach stops names in order, carrying on past failures, and ends with
// a summary. It fails when any stop failed.
func stopEach(ctx context.Context, client Limactl, names []string, emit func(lima.Line)) error {
	if len(names) == 0 {
		emit(lima.Line{Text: "No VM is running: nothing to stop."})
		return nil
	}
	var stopped []string
	var failed []string
	for i, name := range names {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		emit(lima.Line{Text: fmt.Sprintf("── Stopping %s (%d of %d)", name, i+1, len(names))})
		if err := client.Stop(ctx, name, false, emit); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %s", name, oneLine(limactlMessage(err))))
			continue
		}
		stopped = append(stopped, name)
	}
	emit(lima.Line{Text: ""})
	emit(lima.Line{Text: "Summary"})
	if len(stopped) > 0 {
		emit(lima.Line{Text: fmt.Sprintf("✓ Stopped %d: %s", len(stopped), strings.Join(stopped, ", "))})
	}
	for _, line := range failed {
		emit(lima.Line{Text: "✗ Failed to stop " + line})
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d VMs failed to stop", len(failed), len(names))
	}
	return nil
}
