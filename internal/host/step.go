package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// lastLineCount is how many output lines a StepError keeps.
const lastLineCount = 20

// defaultStopGrace is how long a canceled step's programs get to exit
// after SIGINT, and how long Wait waits for a background program that
// keeps the output pipes open after the step's program exits.
const defaultStopGrace = 5 * time.Second

// maxLineLength splits longer output lines so that one endless line cannot
// use unbounded memory.
const maxLineLength = 64 * 1024

// Step is one install action with a title for the user.
type Step struct {
	Title string
	// Terminal means the step may prompt the user (sudo prompts for the
	// password), so the caller should run TerminalCommand with the
	// terminal attached. Run also works, without prompting.
	Terminal bool
	// Timeout bounds the whole step. It is an estimate for a slow network.
	Timeout time.Duration
	// stopGrace is how long the programs of a canceled step get to exit
	// after SIGINT before they are killed. Zero means defaultStopGrace.
	stopGrace time.Duration

	sys    System
	action func(ctx context.Context, run *runner) error
	// terminalArguments is the program and its arguments for
	// TerminalCommand.
	terminalArguments []string
}

// Run runs the step without a terminal: stdin is the null device, and each
// line of stdout and stderr goes to emit as it arrives. emit is never
// called concurrently. On failure Run returns a *StepError with the exit
// status and the last output lines, so the caller can offer a retry.
// Each program runs in a process group of its own on Unix: when ctx is
// done, the whole group gets SIGINT, and what is still running after the
// grace period gets SIGKILL, so no program the step started outlives it.
func (s Step) Run(ctx context.Context, emit func(line string)) error {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	return s.action(ctx, &runner{sys: s.sys, step: s, emit: emit})
}

// TerminalCommand returns the command of a Terminal step, to be run with the
// user's terminal attached (for example with Bubble Tea's ExecProcess).
// The command ends when the step's timeout expires. The caller must call
// cancel once the command is done.
func (s Step) TerminalCommand(ctx context.Context) (command *exec.Cmd, cancel context.CancelFunc, err error) {
	if !s.Terminal {
		return nil, nil, fmt.Errorf("step %q does not use the terminal: call Run", s.Title)
	}
	path, err := s.sys.LookPath(s.terminalArguments[0])
	if err != nil {
		return nil, nil, fmt.Errorf("step %q: %s was not found on PATH", s.Title, s.terminalArguments[0])
	}
	ctx, cancel = context.WithTimeout(ctx, s.Timeout)
	command = exec.CommandContext(ctx, path, s.terminalArguments[1:]...)
	command.Env = s.sys.Environ()
	return command, cancel, nil
}

// StepError is a failed step: which program failed, how, and what it
// printed last.
type StepError struct {
	// Step is the title of the step.
	Step string
	// Command is the program and its arguments, for display only.
	Command string
	// ExitStatus is the program's exit status, or -1 when it did not exit
	// by itself: not started, killed, timed out or cancelled.
	ExitStatus int
	// LastLines are the last lines of stdout and stderr, interleaved as
	// they arrived.
	LastLines []string
	// Err is the underlying error.
	Err error
}

func (e *StepError) Error() string {
	var text strings.Builder
	fmt.Fprintf(&text, "%s: %s failed", e.Step, e.Command)
	if e.ExitStatus >= 0 {
		fmt.Fprintf(&text, " with exit status %d", e.ExitStatus)
	} else if e.Err != nil {
		fmt.Fprintf(&text, ": %v", e.Err)
	}
	if n := len(e.LastLines); n > 0 {
		fmt.Fprintf(&text, ": %s", e.LastLines[n-1])
	}
	return text.String()
}

func (e *StepError) Unwrap() error { return e.Err }

// runner runs the programs of one step and streams their output.
type runner struct {
	sys  System
	step Step
	emit func(line string)
}

// run starts program (a name on PATH or a path) with stdin from the null
// device and extraEnvironment added to the System's environment, and waits
// for it.
func (r *runner) run(ctx context.Context, program string, arguments []string, extraEnvironment ...string) error {
	commandText := strings.Join(append([]string{program}, arguments...), " ")
	path := program
	if !strings.ContainsRune(program, '/') {
		found, err := r.sys.LookPath(program)
		if err != nil {
			return &StepError{
				Step:       r.step.Title,
				Command:    commandText,
				ExitStatus: -1,
				Err:        fmt.Errorf("%s was not found on PATH: install it and retry", program),
			}
		}
		path = found
	}

	out := &output{emit: r.emit}
	out.announce("+ " + strings.Join(append([]string{path}, arguments...), " "))
	command := exec.CommandContext(ctx, path, arguments...)
	command.Stdin = nil // reads from the null device
	stdout := &lineWriter{out: out}
	stderr := &lineWriter{out: out}
	command.Stdout = stdout
	command.Stderr = stderr
	command.Env = append(r.sys.Environ(), extraEnvironment...)
	// A child that leaves a background process holding the output pipes
	// open must not keep Wait from returning.
	command.WaitDelay = r.step.stopGrace
	if command.WaitDelay <= 0 {
		command.WaitDelay = defaultStopGrace
	}
	group := newProcessGroup(command)

	err := command.Run()
	group.end()
	stdout.flush()
	stderr.flush()
	if err == nil {
		return nil
	}
	return r.failure(ctx, commandText, out.last(), err)
}

func (r *runner) failure(ctx context.Context, commandText string, lastLines []string, err error) *StepError {
	failure := &StepError{Step: r.step.Title, Command: commandText, ExitStatus: -1, LastLines: lastLines, Err: err}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		failure.Err = fmt.Errorf("timed out after %s", r.step.Timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		failure.Err = context.Canceled
	default:
		var exitError *exec.ExitError
		if errors.As(err, &exitError) && exitError.Exited() {
			failure.ExitStatus = exitError.ExitCode()
		}
	}
	return failure
}

// output serializes the lines of both streams to emit and keeps the last
// ones for a StepError.
type output struct {
	mutex sync.Mutex
	emit  func(line string)
	tail  []string
}

func (o *output) line(text string) {
	o.mutex.Lock()
	defer o.mutex.Unlock()
	if len(o.tail) == lastLineCount {
		o.tail = append(o.tail[:0], o.tail[1:]...)
	}
	o.tail = append(o.tail, text)
	if o.emit != nil {
		o.emit(text)
	}
}

// announce emits a line that is not program output, such as the command
// about to run, and leaves it out of the tail.
func (o *output) announce(text string) {
	o.mutex.Lock()
	defer o.mutex.Unlock()
	if o.emit != nil {
		o.emit(text)
	}
}

func (o *output) last() []string {
	o.mutex.Lock()
	defer o.mutex.Unlock()
	return append([]string(nil), o.tail...)
}

// lineWriter cuts one stream into lines. exec.Cmd writes to it from a
// single goroutine per stream.
type lineWriter struct {
	out     *output
	pending []byte
}

func (w *lineWriter) Write(data []byte) (int, error) {
	w.pending = append(w.pending, data...)
	for {
		end := bytes.IndexByte(w.pending, '\n')
		if end < 0 {
			break
		}
		w.out.line(strings.TrimSuffix(string(w.pending[:end]), "\r"))
		w.pending = w.pending[end+1:]
	}
	for len(w.pending) > maxLineLength {
		w.out.line(string(w.pending[:maxLineLength]))
		w.pending = w.pending[maxLineLength:]
	}
	return len(data), nil
}

func (w *lineWriter) flush() {
	if len(w.pending) > 0 {
		w.out.line(strings.TrimSuffix(string(w.pending), "\r"))
		w.pending = nil
	}
}
