//go:build unix

package host

import (
	"errors"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// groupPollInterval is how often end checks whether the interrupted
// programs have exited.
const groupPollInterval = 20 * time.Millisecond

// processGroup runs a step's program as the leader of a new process group,
// so that a cancel reaches every program it started, such as the
// downloads and builds of brew install, and none of them outlives the step.
type processGroup struct {
	command *exec.Cmd

	mutex sync.Mutex
	// interrupted is when the group was sent SIGINT, zero until then.
	interrupted time.Time
}

// newProcessGroup sets command up to start in its own process group and to
// interrupt the whole group when its context is done. Call end after
// command's Wait returns.
func newProcessGroup(command *exec.Cmd) *processGroup {
	group := &processGroup{command: command}
	command.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	command.Cancel = group.interrupt
	return group
}

// interrupt sends SIGINT to the group, so that each program can clean up as
// after a Ctrl+C.
func (g *processGroup) interrupt() error {
	g.mutex.Lock()
	g.interrupted = time.Now()
	g.mutex.Unlock()
	err := syscall.Kill(-g.command.Process.Pid, syscall.SIGINT)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}

// end kills what is left of an interrupted group once the command's
// WaitDelay has passed since the SIGINT. Wait alone kills only the leader,
// and returns as soon as the leader exits and the output pipes close, so
// a program that ignores SIGINT and writes elsewhere would go on running.
// end does nothing when the command was not interrupted.
func (g *processGroup) end() {
	g.mutex.Lock()
	interrupted := g.interrupted
	g.mutex.Unlock()
	if interrupted.IsZero() {
		return
	}
	group := -g.command.Process.Pid
	deadline := interrupted.Add(g.command.WaitDelay)
	// Signal 0 only checks that some program of the group is left.
	for time.Now().Before(deadline) && syscall.Kill(group, 0) == nil {
		time.Sleep(groupPollInterval)
	}
	// NOTE: a program that runs as another user, such as sudo started by
	// the Homebrew installer, cannot be signaled and is left running.
	_ = syscall.Kill(group, syscall.SIGKILL)
}
