package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
	"github.com/japacx/aisand/internal/ops"
	"github.com/japacx/aisand/internal/tools"
)

// probeTimeout bounds one probe. The script itself only looks up a few
// paths, so the time goes to limactl's SSH connection to the guest.
const probeTimeout = 2 * time.Minute

// toolProbeMsg is the result of one probe started by picker.
type toolProbeMsg struct {
	picker *toolPicker
	gen    int
	states map[string]tools.State
	err    error
}

// toolInstallEndedMsg reports to picker that an install it started has
// ended, successfully or not.
type toolInstallEndedMsg struct {
	picker *toolPicker
}

// probe starts one probe of the picker's instance.
func (p *toolPicker) probe(a *App) tea.Cmd {
	p.probeGen++
	p.probing = true
	p.probeErr = nil
	client, name, guestHome, gen := a.cfg.Limactl, p.instance, p.guestHome, p.probeGen
	return func() tea.Msg {
		states, err := probeTools(client, name, guestHome)
		return toolProbeMsg{picker: p, gen: gen, states: states, err: err}
	}
}

// probeTools runs the probe script in one `limactl shell` call and parses
// what it prints on stdout.
func probeTools(client Limactl, name, guestHome string) (map[string]tools.State, error) {
	args, err := tools.ProbeArgs(guestHome)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()

	var stdout bytes.Buffer
	collect := func(line lima.Line) {
		if !line.Stderr {
			stdout.WriteString(line.Text)
			stdout.WriteByte('\n')
		}
	}
	err = client.Run(ctx, name, bytes.NewReader(tools.ProbeScript()), collect, bashStdin(args)...)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("the probe timed out after %s", probeTimeout)
	case err != nil:
		return nil, errors.New(scriptFailure(err))
	}
	return tools.ParseProbe(stdout.Bytes())
}

// installTool starts the tool's install script as an operation and opens
// its log view. When the operation ends, the picker gets a message and
// probes again.
func (a *App) installTool(p *toolPicker, tool tools.Tool) tea.Cmd {
	hostHome, err := os.UserHomeDir()
	if err != nil {
		a.notice = errorNotice(fmt.Sprintf("Install %s: cannot find your home folder, which the VM mounts: %v", tool.Name, err))
		return nil
	}
	args, err := tool.InstallArgs(tools.Homes{Guest: p.guestHome, Host: hostHome})
	if err != nil {
		a.notice = errorNotice(fmt.Sprintf("Install %s: %v", tool.Name, err))
		return nil
	}

	client, name := a.cfg.Limactl, p.instance
	a.cfg.Log.Info("tool install started", "instance", name, "tool", tool.Name)
	show := a.runOperation(ops.Spec{
		Title:    fmt.Sprintf("Install %s in %s", tool.Name, name),
		Instance: name,
		Run: func(ctx context.Context, emit func(lima.Line)) error {
			return runInstallScript(ctx, client, name, tool, args, emit)
		},
	})
	if show == nil || a.logView == nil {
		return nil // runOperation has set the notice
	}
	return tea.Batch(show, waitInstallEnd(p, a.logView.op))
}

// runInstallScript runs the tool's script in the guest, streaming its
// output. On failure the log's last line gives the exit status, below the
// script's own last lines.
func runInstallScript(ctx context.Context, client Limactl, name string, tool tools.Tool, args []string, emit func(lima.Line)) error {
	err := client.Run(ctx, name, bytes.NewReader(tool.InstallScript()), emit, bashStdin(args)...)
	if err == nil {
		return nil
	}
	emit(lima.Line{Text: fmt.Sprintf("aisand: installing %s failed (%s); it is safe to run again.", tool.Name, exitStatusText(err))})
	return fmt.Errorf("installing %s: %s", tool.Name, scriptFailure(err))
}

// waitInstallEnd waits until op has ended.
func waitInstallEnd(p *toolPicker, op *ops.Operation) tea.Cmd {
	return func() tea.Msg {
		seen := 0
		for {
			_, total, done := op.Wait(context.Background(), seen)
			if done {
				return toolInstallEndedMsg{picker: p}
			}
			seen = total
		}
	}
}

// bashStdin is the guest command that runs a script fed on stdin with args.
func bashStdin(args []string) []string {
	return append([]string{"bash", "-s"}, args...)
}

// scriptFailure describes a failed script run: its exit status and its
// last stderr line, or limactl's own message when limactl failed before
// the script ran.
func scriptFailure(err error) string {
	var limaErr *lima.Error
	if !errors.As(err, &limaErr) {
		return err.Error()
	}
	status := exitStatusText(err)
	if limaErr.Message == "" || limaErr.Message == status {
		return status
	}
	return status + ": " + limaErr.Message
}

// exitStatusText is "exit status N" for a call that exited on its own, and
// the reason it was stopped otherwise.
func exitStatusText(err error) string {
	var limaErr *lima.Error
	switch {
	case errors.As(err, &limaErr) && limaErr.ExitCode >= 0:
		return fmt.Sprintf("exit status %d", limaErr.ExitCode)
	case errors.As(err, &limaErr):
		return limaErr.Message // timed out or canceled
	}
	return err.Error()
}
