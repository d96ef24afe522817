package ui

import (
	"errors"
	"io"
	"os"
	"os/exec"
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
	a.cfg.Log.Info("shell closed", "instance", msg.name, "err", msg.err, "stderr", msg.stderr)
	if text := shellFailure(msg); text != "" {
		a.notice = errorNotice("Shell " + msg.name + ": " + text)
	}
	return a.refresh()
}

// sshFailureStatus is the exit status ssh uses for its own errors, such
// as a refused connection, as opposed to the status of the user's last
// command, which the shell passes on.
const sshFailureStatus = 255

// shellFailure returns why the shell failed, or "" when it ended the way
// shells do: with the status of the user's last command.
func shellFailure(msg shellDoneMsg) string {
	if msg.err == nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(msg.stderr), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if rec, ok := lima.ParseLogLine(lines[i]); ok && rec.Level == "fatal" {
			return rec.Message
		}
	}
	var exitErr *exec.ExitError
	if errors.As(msg.err, &exitErr) && exitErr.ExitCode() != sshFailureStatus {
		return ""
	}
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return last
	}
	return msg.err.Error()
}
