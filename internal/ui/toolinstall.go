package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
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
	// notRunning is set after a failure when the instance is not running,
	// with the status limactl listed for it, empty when unknown.
	notRunning bool
	status     lima.Status
}

// toolInstallEndedMsg reports to picker that an install it started has
// ended, successfully or not.
type toolInstallEndedMsg struct {
	picker *toolPicker
	end    installEnd
}

// installEnd is the outcome of one install.
type installEnd struct {
	tool      string
	succeeded bool
	canceled  bool
	reason    string // the failure, as one sentence
}

// installError is a failed install script, with the reason alone so that
// the picker can show it without the log view's wording around it.
type installError struct {
	tool   string
	reason string
}

func (e *installError) Error() string { return "installing " + e.tool + ": " + e.reason }

// probe starts one probe of the picker's instance, after canceling the
// previous one if it still runs, so that probes never pile up.
func (p *toolPicker) probe(a *App) tea.Cmd {
	p.cancelProbe(a)
	p.probeGen++
	p.probing = true
	p.probeStarted = time.Now()
	p.probeErr = nil
	p.notRunning, p.status = false, ""
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	p.stopProbe = cancel
	client, name, homes, gen := a.cfg.Limactl, p.instance, p.homes, p.probeGen
	return func() tea.Msg {
		defer cancel()
		msg := toolProbeMsg{picker: p, gen: gen}
		msg.states, msg.err = probeTools(ctx, client, name, homes)
		if msg.err != nil && ctx.Err() == nil {
			msg.notRunning, msg.status = instanceDown(ctx, client, name, msg.err)
		}
		return msg
	}
}

// probeTools runs the probe script in one `limactl shell` call and parses
// what it prints on stdout.
func probeTools(ctx context.Context, client Limactl, name string, homes tools.Homes) (map[string]tools.State, error) {
	args, err := tools.ProbeArgs(homes)
	if err != nil {
		return nil, err
	}
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

// instanceDown reports whether a probe failed because the instance is not
// running, and returns its listed status. limactl's message names a stopped
// instance, and a list tells the other statuses apart from an SSH failure.
func instanceDown(ctx context.Context, client Limactl, name string, probeErr error) (bool, lima.Status) {
	var limaErr *lima.Error
	wrongStatus := errors.As(probeErr, &limaErr) && limaErr.Kind == lima.KindWrongStatus
	result := client.List(ctx)
	if result.Err != nil {
		return wrongStatus, ""
	}
	for _, inst := range result.Instances {
		if inst.Name == name {
			return inst.Status != lima.StatusRunning, inst.Status
		}
	}
	return true, "" // deleted since the picker opened
}

// installTool starts the tool's install script as an operation and opens
// its log view, where esc offers to stop it. When the operation ends, the
// picker gets a message and probes again.
func (a *App) installTool(p *toolPicker, tool tools.Tool) tea.Cmd {
	args, err := tool.InstallArgs(p.homes)
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
	op := a.logView.op
	p.cancelAsk = &confirm{
		lines: []string{a.styles.Title.Render(fmt.Sprintf("Stop installing %s?", tool.Name)),
			"Running it again later is safe."},
		yes: func(a *App) tea.Cmd {
			a.cfg.Log.Info("tool install canceled by the user", "instance", name, "tool", tool.Name)
			op.Cancel()
			return nil
		},
	}
	a.logView.cancel = p.cancelAsk
	return tea.Batch(show, waitInstallEnd(p, tool.Name, op))
}

// runInstallScript runs the tool's script in the guest, streaming its
// output. On failure the log ends with a line that reports it, below the
// script's own last lines.
func runInstallScript(ctx context.Context, client Limactl, name string, tool tools.Tool, args []string, emit func(lima.Line)) error {
	err := client.Run(ctx, name, bytes.NewReader(tool.InstallScript()), emit, bashStdin(args)...)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		emit(lima.Line{Text: fmt.Sprintf("aisand: stopped installing %s; running it again is safe.", tool.Name)})
		return err
	}
	if scriptMessage(err) != "" {
		// The script's own message above already names the failure.
		emit(lima.Line{Text: fmt.Sprintf("aisand: installing %s failed; running it again is safe.", tool.Name)})
	} else {
		emit(lima.Line{Text: fmt.Sprintf("aisand: installing %s failed (%s); running it again is safe.", tool.Name, exitStatusText(err))})
	}
	return &installError{tool: tool.Name, reason: scriptFailure(err)}
}

// waitInstallEnd waits until op has ended and reports how.
func waitInstallEnd(p *toolPicker, tool string, op *ops.Operation) tea.Cmd {
	return func() tea.Msg {
		seen := 0
		for {
			_, total, done := op.Wait(context.Background(), seen)
			if done {
				break
			}
			seen = total
		}
		snap := op.Snapshot()
		end := installEnd{tool: tool, succeeded: snap.Status == ops.Succeeded, canceled: snap.Status == ops.Canceled}
		var failure *installError
		switch {
		case errors.As(snap.Err, &failure):
			end.reason = failure.reason
		case snap.Err != nil:
			end.reason = limactlMessage(snap.Err)
		}
		return toolInstallEndedMsg{picker: p, end: end}
	}
}

// applyInstallEnd closes the stop question if the install ended while it
// was open, and keeps the end of an install that did not succeed.
func (p *toolPicker) applyInstallEnd(a *App, msg toolInstallEndedMsg) {
	if p.cancelAsk != nil && a.confirm == p.cancelAsk {
		a.confirm = nil
	}
	p.cancelAsk = nil
	if msg.end.succeeded {
		p.lastInstall = nil
		return
	}
	end := msg.end
	p.lastInstall = &end
}

// bashStdin is the guest command that runs a script fed on stdin with args.
func bashStdin(args []string) []string {
	return append([]string{"bash", "-s"}, args...)
}

// scriptFailure describes a failed script run in one sentence. That is the
// script's own message when it wrote one, because it names any exit status
// that matters. Otherwise it is the exit status and the last stderr line, or
// limactl's own message when limactl failed before the script ran.
func scriptFailure(err error) string {
	var limaErr *lima.Error
	if !errors.As(err, &limaErr) {
		return err.Error()
	}
	if message := scriptMessage(err); message != "" {
		return message
	}
	status := exitStatusText(err)
	if limaErr.Message == "" || limaErr.Message == status {
		return status
	}
	return status + ": " + limaErr.Message
}

// scriptPrefix starts every message that the embedded scripts print.
const scriptPrefix = "aisand: "

// scriptMessage returns the message the script wrote before it exited on
// its own, without its prefix, or "" when the last stderr line is from
// something else, such as curl or SSH.
func scriptMessage(err error) string {
	var limaErr *lima.Error
	if !errors.As(err, &limaErr) || limaErr.ExitCode < 0 {
		return ""
	}
	message, ours := strings.CutPrefix(limaErr.Message, scriptPrefix)
	if !ours {
		return ""
	}
	return message
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
