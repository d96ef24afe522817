package ui

import (
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/japacx/aisand/internal/lima"
)

type shellDoneMsg struct {
	name string
	err  error
	// stderr holds what limactl wrote to stderr, to explain a failure
	// after the screen is back.
	stderr string
}

// tailWriter keeps the last bytes written to it.
type tailWriter struct{ buf []byte }

const shellStderrKeep = 4096

func (w *tailWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	if len(w.buf) > shellStderrKeep {
		w.buf = w.buf[len(w.buf)-shellStderrKeep:]
	}
	return len(p), nil
}

// openShell hands the terminal to `limactl shell NAME` and comes back to
// the list when the shell ends.
func (a *App) openShell(name string) tea.Cmd {
	cmd := a.cfg.Limactl.ShellCommand(name)
	tail := &tailWriter{}
	cmd.Stderr = io.MultiWriter(os.Stderr, tail)
	a.cfg.Log.Info("shell opened", "instance", name)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		return shellDoneMsg{name: name, err: err, stderr: string(tail.buf)}
	})
}

func (a *App) applyShellDone(msg shellDoneMsg) tea.Cmd {
	a.cfg.Log.Info("shell closed", "instance", msg.name, "err", msg.err)
	// A shell ends with the status of the user's last command, so only a
	// fatal line from limactl itself counts as a failure worth showing.
	if msg.err != nil {
		lines := strings.Split(strings.TrimSpace(msg.stderr), "\n")
		for i := len(lines) - 1; i >= 0; i-- {
			if rec, ok := lima.ParseLogLine(lines[i]); ok && rec.Level == "fatal" {
				a.notice = errorNotice("Shell " + msg.name + ": " + rec.Message)
				break
			}
		}
	}
	return a.refresh()
}
